//===- DLOpsTest.cpp - unit tests of the dl ops' C++ API -----------------===//
//
// Part of dlc. Checks the shape helpers and that ops built from C++ (as the
// front end and passes build them) infer their result types and verify.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLDialect.h"
#include "DL/IR/DLOps.h"
#include "DL/IR/DLShapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace dlc::dl;

namespace {

TEST(ShapeRules, BroadcastAlignsAtTheRight) {
  shapes::ShapeResult r = shapes::broadcast({64, 256}, {256});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (shapes::Shape{64, 256}));

  r = shapes::broadcast({4, 1, 3}, {5, 1});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (shapes::Shape{4, 5, 3}));

  r = shapes::broadcast({}, {2, 3});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, (shapes::Shape{2, 3}));
}

TEST(ShapeRules, BroadcastReportsTheOffendingDimension) {
  shapes::ShapeResult r = shapes::broadcast({4, 3}, {2, 4});
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error(), "operand shapes [4, 3] and [2, 4] are not "
                       "broadcast-compatible (result dimension 1)");
  r = shapes::broadcast({7, 3}, {2, 3});
  EXPECT_FALSE(r);
  EXPECT_NE(r.error().find("(result dimension 0)"), std::string::npos);
}

TEST(ShapeRules, MatmulReduceTranspose) {
  EXPECT_EQ(*shapes::matmul({2, 4, 3}, {2, 3, 5}), (shapes::Shape{2, 4, 5}));
  EXPECT_EQ(shapes::matmul({4, 3}, {4, 5}).error(),
            "contracting dimensions differ: lhs [4, 3] has K = 3 but rhs "
            "[4, 5] has K = 4");
  EXPECT_EQ(shapes::matmul({2, 4, 3}, {3, 3, 5}).error(),
            "batch dimensions differ: [2] vs [3]");
  EXPECT_EQ(*shapes::reduce({2, 3, 4}, {0, 2}, false), (shapes::Shape{3}));
  EXPECT_EQ(*shapes::reduce({2, 3, 4}, {1}, true), (shapes::Shape{2, 1, 4}));
  EXPECT_EQ(shapes::reduce({2, 3}, {1, 0}, false).error(),
            "axes [1, 0] must be strictly increasing");
  EXPECT_EQ(*shapes::transpose({2, 3, 4}, {2, 0, 1}), (shapes::Shape{4, 2, 3}));
  EXPECT_EQ(shapes::transpose({2, 3}, {0, 0}).error(),
            "perm [0, 0] is not a permutation of [0, 2)");
}

/// A module with one block to build ops into, and diagnostics collected.
class DLOpsBuild : public ::testing::Test {
protected:
  DLOpsBuild() : builder(&context) {
    context.loadDialect<DLDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToStart(module->getBody());
  }

  RankedTensorType tensor(ArrayRef<int64_t> shape, Type elt = {}) {
    return RankedTensorType::get(shape, elt ? elt : builder.getF32Type());
  }

  Value fill(RankedTensorType type, double v = 0.0) {
    return builder.create<FillOp>(loc(), type, builder.getF64FloatAttr(v));
  }

  Location loc() { return builder.getUnknownLoc(); }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

TEST_F(DLOpsBuild, MatmulInfersItsResultType) {
  Value a = fill(tensor({64, 784}));
  Value b = fill(tensor({784, 256}));
  auto mm = builder.create<MatmulOp>(loc(), a, b);
  EXPECT_EQ(mm.getType(), tensor({64, 256}));
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(DLOpsBuild, BatchedMatmul) {
  Value a = fill(tensor({8, 4, 16, 32}));
  Value b = fill(tensor({8, 4, 32, 16}));
  auto mm = builder.create<MatmulOp>(loc(), a, b);
  EXPECT_EQ(mm.getType(), tensor({8, 4, 16, 16}));
}

TEST_F(DLOpsBuild, BinaryOpsBroadcast) {
  Value x = fill(tensor({64, 256}));
  Value b = fill(tensor({256}));
  EXPECT_EQ(builder.create<AddOp>(loc(), x, b).getType(), tensor({64, 256}));
  Value col = fill(tensor({64, 1}));
  EXPECT_EQ(builder.create<DivOp>(loc(), col, b).getType(), tensor({64, 256}));
}

TEST_F(DLOpsBuild, ReductionsDropOrKeepAxes) {
  Value x = fill(tensor({64, 10}));
  auto axes = builder.getDenseI64ArrayAttr({1});
  EXPECT_EQ(builder.create<SumOp>(loc(), x, axes, nullptr).getType(),
            tensor({64}));
  EXPECT_EQ(
      builder.create<MaxOp>(loc(), x, axes, builder.getUnitAttr()).getType(),
      tensor({64, 1}));
  auto all = builder.getDenseI64ArrayAttr({0, 1});
  EXPECT_EQ(builder.create<MeanOp>(loc(), x, all, nullptr).getType(),
            tensor({}));
}

TEST_F(DLOpsBuild, CrossEntropyIsAScalar) {
  Value logits = fill(tensor({64, 10}));
  Value labels = fill(tensor({64}, builder.getI32Type()));
  auto ce = builder.create<CrossEntropyOp>(loc(), logits, labels);
  EXPECT_EQ(ce.getType(), tensor({}));
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(DLOpsBuild, VerifierRejectsABadReshape) {
  Value x = fill(tensor({4, 3}));
  builder.create<ReshapeOp>(loc(), tensor({5}), x);
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_NE(message.find("element count changes from 12"), std::string::npos)
      << message;
}

TEST_F(DLOpsBuild, FillFoldsToASplat) {
  auto f = builder.create<FillOp>(loc(), tensor({2, 2}),
                                  builder.getF64FloatAttr(1.5));
  SmallVector<OpFoldResult> results;
  ASSERT_TRUE(succeeded(f->fold(results)));
  auto attr = dyn_cast<SplatElementsAttr>(cast<Attribute>(results[0]));
  ASSERT_TRUE(attr);
  EXPECT_EQ(attr.getSplatValue<float>(), 1.5f);
}

} // namespace
