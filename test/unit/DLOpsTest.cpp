//===- DLOpsTest.cpp - unit tests of the dl ops' C++ API -----------------===//
//
// Part of dlc. Checks the shape helpers and that ops built from C++ (as the
// front end and passes build them) infer their result types and verify.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLDialect.h"
#include "DL/IR/DLOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace dlc::dl;

namespace {

TEST(BroadcastShapes, AlignsAtTheRight) {
  auto r = broadcastShapes({64, 256}, {256});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (SmallVector<int64_t>{64, 256}));

  r = broadcastShapes({4, 1, 3}, {5, 1});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (SmallVector<int64_t>{4, 5, 3}));

  r = broadcastShapes({}, {2, 3});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, (SmallVector<int64_t>{2, 3}));
}

TEST(BroadcastShapes, ReportsTheOffendingDimension) {
  int64_t bad = -1;
  EXPECT_FALSE(broadcastShapes({4, 3}, {2, 4}, &bad).has_value());
  EXPECT_EQ(bad, 1);
  EXPECT_FALSE(broadcastShapes({7, 3}, {2, 3}, &bad).has_value());
  EXPECT_EQ(bad, 0);
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
