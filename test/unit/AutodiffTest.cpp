//===- AutodiffTest.cpp - dl-autodiff on ops with several results/regions -===//
//
// Part of dlc. The dl dialect has no op with several results or with regions
// yet (batch_norm and the loop op will be the first), so this test defines
// two test-only ops in C++ and checks that dl-autodiff differentiates through
// them: `test.pair` (two results, DifferentiableOpInterface's
// buildMultiResultVJP) and `test.execute` (a region run once,
// DifferentiableRegionOpInterface, which differentiates its own body).
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLDialect.h"
#include "DL/IR/DLOps.h"
#include "DL/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <string>

using namespace mlir;
using namespace dlc::dl;

namespace dlc::test {

/// What the last VJP call received, for the tests to check.
struct Received {
  SmallVector<Value> resultGrads;
  SmallVector<Value> captured;
  SmallVector<bool> needed;
};
static Received received;

/// `%p:2 = "test.pair"(%x)`: the results are x and -x. Its VJP is
/// `dx = dp0 - dp1`, where a null cotangent counts as zero.
class PairOp
    : public Op<PairOp, OpTrait::NResults<2>::Impl, OpTrait::OneOperand,
                DifferentiableOpInterface::Trait> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PairOp)
  using Op::Op;
  static StringRef getOperationName() { return "test.pair"; }
  static ArrayRef<StringRef> getAttributeNames() { return {}; }

  LogicalResult buildMultiResultVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    ArrayRef<bool> needed,
                                    SmallVectorImpl<Value> &operandGrads) {
    received = {llvm::to_vector(resultGrads),
                {},
                SmallVector<bool>(needed.begin(), needed.end())};
    Value d0 = resultGrads[0], d1 = resultGrads[1];
    Location loc = getLoc();
    Value dx;
    if (d0 && d1)
      dx = b.create<SubOp>(loc, d0, d1);
    else if (d0)
      dx = d0;
    else
      dx = b.create<NegOp>(loc, d1);
    operandGrads.push_back(needed[0] ? dx : Value());
    return success();
  }
};

/// Terminates test.execute's body.
class YieldOp : public Op<YieldOp, OpTrait::ZeroResults,
                          OpTrait::VariadicOperands, OpTrait::IsTerminator> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(YieldOp)
  using Op::Op;
  static StringRef getOperationName() { return "test.yield"; }
  static ArrayRef<StringRef> getAttributeNames() { return {}; }
};

/// `%r = "test.execute"(%x) ({ ^bb0(%a): ... "test.yield"(%v) })`: runs its
/// body once, the block arguments bound to the operands; the results are the
/// yielded values. The body may use values from above (captures).
class ExecuteOp : public Op<ExecuteOp, OpTrait::OneRegion,
                            OpTrait::VariadicResults, OpTrait::VariadicOperands,
                            DifferentiableRegionOpInterface::Trait> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ExecuteOp)
  using Op::Op;
  static StringRef getOperationName() { return "test.execute"; }
  static ArrayRef<StringRef> getAttributeNames() { return {}; }

  /// Differentiates the body as dl-autodiff does a function: the body is
  /// recomputed after the forward ops (its values are not visible outside),
  /// then each cloned op's VJP is called in reverse order.
  LogicalResult buildRegionVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                               ArrayRef<Value> captured, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &inputGrads) {
    received = {llvm::to_vector(resultGrads), llvm::to_vector(captured),
                SmallVector<bool>(needed.begin(), needed.end())};
    Block &body = getRegion().front();
    IRMapping mapping;
    mapping.map(body.getArguments(), getOperands());
    SmallVector<Operation *> clones;
    for (Operation &op : body.without_terminator())
      clones.push_back(b.clone(op, mapping));
    DenseMap<Value, Value> cotangent;
    auto accumulate = [&](Value v, Value grad) {
      Value &sum = cotangent[v];
      sum = sum ? b.create<AddOp>(getLoc(), sum, grad).getResult() : grad;
    };
    for (auto [yielded, grad] :
         llvm::zip(body.getTerminator()->getOperands(), resultGrads))
      if (grad)
        accumulate(mapping.lookupOrDefault(yielded), grad);
    for (Operation *op : llvm::reverse(clones)) {
      SmallVector<Value> opResultGrads;
      for (Value r : op->getResults())
        opResultGrads.push_back(cotangent.lookup(r));
      if (llvm::none_of(opResultGrads, [](Value g) { return bool(g); }))
        continue;
      auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
      if (!differentiable)
        return op->emitOpError("has no gradient");
      SmallVector<bool> all(op->getNumOperands(), true);
      SmallVector<Value> grads;
      if (failed(
              differentiable.buildMultiResultVJP(b, opResultGrads, all, grads)))
        return failure();
      for (auto [operand, grad] : llvm::zip(op->getOperands(), grads))
        if (grad)
          accumulate(operand, grad);
    }
    // Operands, then captured values; a value read twice gets its gradient
    // once.
    SmallVector<Value> inputs(getOperands());
    inputs.append(captured.begin(), captured.end());
    DenseSet<Value> seen;
    for (auto [input, need] : llvm::zip(inputs, needed))
      inputGrads.push_back(need && seen.insert(input).second
                               ? cotangent.lookup(input)
                               : Value());
    return success();
  }
};

/// The dialect of the test ops.
class TestDialect : public Dialect {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestDialect)
  explicit TestDialect(MLIRContext *ctx)
      : Dialect(getDialectNamespace(), ctx, TypeID::get<TestDialect>()) {
    addOperations<PairOp, YieldOp, ExecuteOp>();
  }
  static StringRef getDialectNamespace() { return "test"; }
};

} // namespace dlc::test

namespace {

using dlc::test::received;

/// Parses `source`, runs dl-autodiff on it and returns @grad (null, with the
/// diagnostics in `errors`, on failure).
class AutodiffTest : public ::testing::Test {
protected:
  AutodiffTest() {
    context.loadDialect<DLDialect, func::FuncDialect, dlc::test::TestDialect>();
  }

  func::FuncOp differentiate(StringRef source) {
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      errors += diag.str() + "\n";
      return success();
    });
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return {};
    PassManager pm(&context);
    pm.addPass(createDLAutodiffPass());
    if (failed(pm.run(*module)))
      return {};
    return module->lookupSymbol<func::FuncOp>("grad");
  }

  /// The operands of @grad's return: loss, outputs, then the gradients.
  static Value returned(func::FuncOp grad, unsigned i) {
    return grad.getBody().front().getTerminator()->getOperand(i);
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::string errors;
};

/// A model whose loss is `loss` (an expression of %p#0 and %p#1 in `body`).
std::string pairModel(StringRef body, StringRef loss) {
  return (R"(
func.func @model(%w: tensor<3xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %p:2 = "test.pair"(%w) : (tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
)" + body +
          "\n  return " + loss + " : tensor<f32>\n}\n")
      .str();
}

TEST_F(AutodiffTest, MultiResultOpReceivesOneCotangentPerResult) {
  func::FuncOp grad = differentiate(pairModel(R"(
  %s = dl.add %p#0, %p#1 : tensor<3xf32>, tensor<3xf32>
  %l = dl.sum %s axes = [0] : tensor<3xf32>)",
                                              "%l"));
  ASSERT_TRUE(grad) << errors;
  ASSERT_EQ(received.resultGrads.size(), 2u);
  EXPECT_TRUE(received.resultGrads[0]);
  EXPECT_TRUE(received.resultGrads[1]);
  EXPECT_EQ(received.needed, (SmallVector<bool>{true}));
  // The gradient of w is the one test.pair built: dp0 - dp1.
  auto sub = returned(grad, 1).getDefiningOp<SubOp>();
  ASSERT_TRUE(sub) << errors;
  EXPECT_EQ(sub.getLhs(), received.resultGrads[0]);
  EXPECT_EQ(sub.getRhs(), received.resultGrads[1]);
}

TEST_F(AutodiffTest, ResultWithoutCotangentGetsNull) {
  // Only the second result reaches the loss: the first cotangent is null.
  func::FuncOp grad = differentiate(
      pairModel("  %l = dl.sum %p#1 axes = [0] : tensor<3xf32>", "%l"));
  ASSERT_TRUE(grad) << errors;
  ASSERT_EQ(received.resultGrads.size(), 2u);
  EXPECT_FALSE(received.resultGrads[0]);
  EXPECT_TRUE(received.resultGrads[1]);
  auto neg = returned(grad, 1).getDefiningOp<NegOp>();
  ASSERT_TRUE(neg);
  EXPECT_EQ(neg.getInput(), received.resultGrads[1]);

  // Only the first: the second is null.
  grad = differentiate(
      pairModel("  %l = dl.sum %p#0 axes = [0] : tensor<3xf32>", "%l"));
  ASSERT_TRUE(grad) << errors;
  ASSERT_EQ(received.resultGrads.size(), 2u);
  EXPECT_TRUE(received.resultGrads[0]);
  EXPECT_FALSE(received.resultGrads[1]);
  EXPECT_EQ(returned(grad, 1), received.resultGrads[0]);
}

TEST_F(AutodiffTest, RegionOpDifferentiatesItsBody) {
  // r = x * w inside the region, x an operand (an input: no gradient), w a
  // parameter captured from above.
  func::FuncOp grad = differentiate(R"(
func.func @model(%x: tensor<3xf32> {dl.kind = "input", dl.name = "x"},
                 %w: tensor<3xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %r = "test.execute"(%x) ({
  ^bb0(%a: tensor<3xf32>):
    %m = dl.mul %a, %w : tensor<3xf32>, tensor<3xf32>
    "test.yield"(%m) : (tensor<3xf32>) -> ()
  }) : (tensor<3xf32>) -> tensor<3xf32>
  %l = dl.sum %r axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}
)");
  ASSERT_TRUE(grad) << errors;
  Value x = grad.getArgument(0), w = grad.getArgument(1);
  ASSERT_EQ(received.resultGrads.size(), 1u);
  EXPECT_TRUE(received.resultGrads[0]);
  EXPECT_EQ(received.captured, (SmallVector<Value>{w}));
  // x is an input, w (captured) a parameter.
  EXPECT_EQ(received.needed, (SmallVector<bool>{false, true}));
  // dw = dr * x, built by the region op from its body.
  auto mul = returned(grad, 1).getDefiningOp<MulOp>();
  ASSERT_TRUE(mul);
  EXPECT_EQ(mul.getLhs(), received.resultGrads[0]);
  EXPECT_EQ(mul.getRhs(), x);
}

TEST_F(AutodiffTest, RegionOpWithoutTheHookIsAnError) {
  // An op with a region but without DifferentiableRegionOpInterface (here
  // an unregistered one; test/Transforms/autodiff.mlir has scf's) stops the
  // pass rather than losing the gradient of what its region captures.
  context.allowUnregisteredDialects();
  func::FuncOp grad = differentiate(R"(
func.func @model(%w: tensor<3xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %r = "other.region"() ({
    "other.yield"(%w) : (tensor<3xf32>) -> ()
  }) : () -> tensor<3xf32>
  %l = dl.sum %r axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}
)");
  EXPECT_FALSE(grad);
  EXPECT_NE(errors.find("'other.region' op has no gradient, but the loss "
                        "depends on a parameter through it"),
            std::string::npos)
      << errors;
}

} // namespace
