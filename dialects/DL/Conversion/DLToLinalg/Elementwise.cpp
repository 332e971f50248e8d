//===- Elementwise.cpp - dl elementwise ops to linalg.generic -------------===//
//
// Part of dlc. Every elementwise dl op becomes one all-parallel linalg.generic
// that reads its operands NumPy-broadcast; only the scalar body differs.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace dlc::dl;

namespace {

/// Builds `floatOp` or `intOp` on scalars depending on their type.
template <typename FloatOp, typename IntOp>
Value buildArith(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return b.create<FloatOp>(loc, args[0], args[1]);
  return b.create<IntOp>(loc, args[0], args[1]);
}

Value buildScalar(AddOp, OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::AddFOp, arith::AddIOp>(b, loc, args);
}
Value buildScalar(SubOp, OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::SubFOp, arith::SubIOp>(b, loc, args);
}
Value buildScalar(MulOp, OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::MulFOp, arith::MulIOp>(b, loc, args);
}
Value buildScalar(DivOp, OpBuilder &b, Location loc, ValueRange args) {
  return buildArith<arith::DivFOp, arith::DivSIOp>(b, loc, args);
}

/// True for floats narrower than 32 bits (f16, bf16). Their maximum and
/// minimum are built from compares and selects, not arith.maximumf and
/// minimumf: on x86 targets without native arithmetic in the type (all but
/// AVX512-FP16 for f16, all for bf16), LLVM 19 expands the vector
/// llvm.maximum/minimum it becomes into a signed-zero fix-up that takes NaN
/// for a zero, so maximum(NaN, +0) and relu(NaN) gave +0 and minimum(NaN, -0)
/// gave -0 where f32 and f64 give NaN (test/e2e/f16.mlir).
bool isNarrowFloat(Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  return floatType && floatType.getWidth() < 32;
}

/// The IEEE 754-2019 maximum (`isMax`) or minimum of floats `x` and `y`, as
/// arith.maximumf and minimumf define them (NaN if either is NaN; +0 above
/// -0), from compares and selects.
Value buildSelectMinMax(OpBuilder &b, Location loc, Value x, Value y,
                        bool isMax) {
  using P = arith::CmpFPredicate;
  Value wins = b.create<arith::CmpFOp>(loc, isMax ? P::OGT : P::OLT, x, y);
  Value result = b.create<arith::SelectOp>(loc, wins, x, y); // NaN y: y
  Value xIsNaN = b.create<arith::CmpFOp>(loc, P::UNO, x, x);
  result = b.create<arith::SelectOp>(loc, xIsNaN, x, result);
  // Equal operands differ only in the sign of a zero: the maximum's sign bit
  // is set only if both are (and), the minimum's if either is (or).
  auto bitsType = b.getIntegerType(x.getType().getIntOrFloatBitWidth());
  Value xBits = b.create<arith::BitcastOp>(loc, bitsType, x);
  Value yBits = b.create<arith::BitcastOp>(loc, bitsType, y);
  Value bits = isMax ? b.create<arith::AndIOp>(loc, xBits, yBits).getResult()
                     : b.create<arith::OrIOp>(loc, xBits, yBits).getResult();
  Value equal = b.create<arith::CmpFOp>(loc, P::OEQ, x, y);
  return b.create<arith::SelectOp>(
      loc, equal, b.create<arith::BitcastOp>(loc, x.getType(), bits), result);
}

Value buildScalar(MaximumOp, OpBuilder &b, Location loc, ValueRange args) {
  if (isNarrowFloat(args[0].getType()))
    return buildSelectMinMax(b, loc, args[0], args[1], /*isMax=*/true);
  return buildArith<arith::MaximumFOp, arith::MaxSIOp>(b, loc, args);
}
Value buildScalar(MinimumOp, OpBuilder &b, Location loc, ValueRange args) {
  if (isNarrowFloat(args[0].getType()))
    return buildSelectMinMax(b, loc, args[0], args[1], /*isMax=*/false);
  return buildArith<arith::MinimumFOp, arith::MinSIOp>(b, loc, args);
}
Value buildScalar(NegOp, OpBuilder &b, Location loc, ValueRange args) {
  Type type = args[0].getType();
  if (isa<FloatType>(type))
    return b.create<arith::NegFOp>(loc, args[0]);
  Value zero = b.create<arith::ConstantOp>(loc, b.getIntegerAttr(type, 0));
  return b.create<arith::SubIOp>(loc, zero, args[0]);
}
Value buildScalar(ReluOp, OpBuilder &b, Location loc, ValueRange args) {
  Value zero = buildFloat(b, loc, args[0].getType(), 0.0);
  if (isNarrowFloat(args[0].getType())) {
    // x > 0 or NaN ? x : +0 (see isNarrowFloat).
    Value keep =
        b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UGT, args[0], zero);
    return b.create<arith::SelectOp>(loc, keep, args[0], zero);
  }
  return b.create<arith::MaximumFOp>(loc, args[0], zero);
}
Value buildScalar(SigmoidOp, OpBuilder &b, Location loc, ValueRange args) {
  // 1 / (1 + exp(-x))
  Type type = args[0].getType();
  Value one = buildFloat(b, loc, type, 1.0);
  Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, args[0]));
  return b.create<arith::DivFOp>(loc, one, b.create<arith::AddFOp>(loc, one, e));
}
Value buildScalar(TanhOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::TanhOp>(loc, args[0]);
}
Value buildScalar(ExpOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::ExpOp>(loc, args[0]);
}
Value buildScalar(LogOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::LogOp>(loc, args[0]);
}
Value buildScalar(SqrtOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::SqrtOp>(loc, args[0]);
}
Value buildScalar(FloorOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::FloorOp>(loc, args[0]);
}
Value buildScalar(CosOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::CosOp>(loc, args[0]);
}
Value buildScalar(SinOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::SinOp>(loc, args[0]);
}
Value buildScalar(ErfOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::ErfOp>(loc, args[0]);
}
Value buildScalar(GeluOp, OpBuilder &b, Location loc, ValueRange args) {
  // x / 2 (1 + erf(x / sqrt 2))
  Type type = args[0].getType();
  Value scaled = b.create<arith::MulFOp>(
      loc, args[0], buildFloat(b, loc, type, 1.0 / std::sqrt(2.0)));
  Value cdf = b.create<arith::AddFOp>(loc, buildFloat(b, loc, type, 1.0),
                                      b.create<math::ErfOp>(loc, scaled));
  Value half = b.create<arith::MulFOp>(loc, args[0],
                                       buildFloat(b, loc, type, 0.5));
  return b.create<arith::MulFOp>(loc, half, cdf);
}
Value buildScalar(GeluTanhOp, OpBuilder &b, Location loc, ValueRange args) {
  // x / 2 (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
  Type type = args[0].getType();
  Value x = args[0];
  Value x3 = b.create<arith::MulFOp>(loc, b.create<arith::MulFOp>(loc, x, x), x);
  Value inner = b.create<arith::AddFOp>(
      loc, x,
      b.create<arith::MulFOp>(loc, x3, buildFloat(b, loc, type, 0.044715)));
  Value u = b.create<arith::MulFOp>(
      loc, inner, buildFloat(b, loc, type, std::sqrt(2.0 / M_PI)));
  Value t = b.create<arith::AddFOp>(loc, buildFloat(b, loc, type, 1.0),
                                    b.create<math::TanhOp>(loc, u));
  Value half = b.create<arith::MulFOp>(loc, x, buildFloat(b, loc, type, 0.5));
  return b.create<arith::MulFOp>(loc, half, t);
}
Value buildScalar(StepOp, OpBuilder &b, Location loc, ValueRange args) {
  // x > 0 ? 1 : 0
  Type type = args[0].getType();
  Value zero = buildFloat(b, loc, type, 0.0);
  Value positive =
      b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, args[0], zero);
  return b.create<arith::SelectOp>(loc, positive, buildFloat(b, loc, type, 1.0),
                                   zero);
}
Value buildScalar(SignOp, OpBuilder &b, Location loc, ValueRange args) {
  // x > 0 ? 1 : (x < 0 ? -1 : 0)
  Type type = args[0].getType();
  Value zero = buildFloat(b, loc, type, 0.0);
  Value positive =
      b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, args[0], zero);
  Value negative =
      b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, args[0], zero);
  Value inner = b.create<arith::SelectOp>(
      loc, negative, buildFloat(b, loc, type, -1.0), zero);
  return b.create<arith::SelectOp>(loc, positive, buildFloat(b, loc, type, 1.0),
                                   inner);
}

/// Lowers an elementwise op to a broadcasting linalg.generic whose body is
/// buildScalar(OpTy).
template <typename OpTy>
struct ElementwiseToGeneric : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildScalar(op, b, loc, args);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Converts a scalar to the float type `to`: between floats extf or truncf
/// (through f32 between two 16-bit formats), from integers sitofp (uitofp
/// for i1, whose true is 1).
Value buildConversion(OpBuilder &b, Location loc, Value x, FloatType to) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (auto fromFloat = dyn_cast<FloatType>(from)) {
    unsigned fromWidth = fromFloat.getWidth(), toWidth = to.getWidth();
    if (fromWidth < toWidth)
      return b.create<arith::ExtFOp>(loc, to, x);
    if (fromWidth > toWidth)
      return b.create<arith::TruncFOp>(loc, to, x);
    Value wide = b.create<arith::ExtFOp>(loc, b.getF32Type(), x);
    return b.create<arith::TruncFOp>(loc, to, wide);
  }
  if (from.isInteger(1))
    return b.create<arith::UIToFPOp>(loc, to, x);
  return b.create<arith::SIToFPOp>(loc, to, x);
}

/// dl.cast: an all-parallel linalg.generic converting each element.
struct CastToGeneric : public OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    auto to = cast<FloatType>(resultType.getElementType());
    Type from =
        cast<RankedTensorType>(adaptor.getInput().getType()).getElementType();
    auto fromFloat = dyn_cast<FloatType>(from);
    if (fromFloat && fromFloat.getWidth() == to.getWidth() &&
        fromFloat.getWidth() >= 32)
      return rewriter.notifyMatchFailure(
          op, "no conversion between distinct floats of 32 bits or more");
    if (!fromFloat && !from.isSignlessInteger())
      return rewriter.notifyMatchFailure(op, "operand is not a float or a "
                                             "signless integer tensor");
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildConversion(b, loc, args[0], to);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void dlc::dl::populateDLElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ElementwiseToGeneric<AddOp>, ElementwiseToGeneric<SubOp>,
               ElementwiseToGeneric<MulOp>, ElementwiseToGeneric<DivOp>,
               ElementwiseToGeneric<MaximumOp>, ElementwiseToGeneric<MinimumOp>,
               ElementwiseToGeneric<NegOp>, ElementwiseToGeneric<ReluOp>,
               ElementwiseToGeneric<SigmoidOp>, ElementwiseToGeneric<TanhOp>,
               ElementwiseToGeneric<ExpOp>, ElementwiseToGeneric<LogOp>,
               ElementwiseToGeneric<SqrtOp>, ElementwiseToGeneric<StepOp>,
               ElementwiseToGeneric<FloorOp>, ElementwiseToGeneric<CosOp>,
               ElementwiseToGeneric<SinOp>, ElementwiseToGeneric<SignOp>,
               ElementwiseToGeneric<ErfOp>, ElementwiseToGeneric<GeluOp>,
               ElementwiseToGeneric<GeluTanhOp>, CastToGeneric>(patterns.getContext());
}
