//===- Reduction.cpp - dl reductions to reduction linalg.generic ----------===//
//
// Part of dlc. sum/mean/max reduce their axes in one linalg.generic; mean
// scales the sum; keepdims re-inserts the size-1 dims with expand_shape.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace dlc::dl;

namespace {

/// The identity of the reduction `op` for `elementType`.
TypedAttr getInit(Operation *op, OpBuilder &b, Type elementType) {
  if (!isa<MaxOp>(op))
    return b.getZeroAttr(elementType);
  if (auto floatType = dyn_cast<FloatType>(elementType))
    return b.getFloatAttr(
        floatType,
        APFloat::getInf(floatType.getFloatSemantics(), /*Negative=*/true));
  auto intType = cast<IntegerType>(elementType);
  return b.getIntegerAttr(intType,
                          APInt::getSignedMinValue(intType.getWidth()));
}

/// Combines an element into the accumulator: args = (element, accumulator).
Value combine(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  bool isFloat = isa<FloatType>(args[0].getType());
  if (isa<MaxOp>(op))
    return isFloat ? b.create<arith::MaximumFOp>(loc, args[0], args[1])
                         .getResult()
                   : b.create<arith::MaxSIOp>(loc, args[0], args[1]).getResult();
  return isFloat ? b.create<arith::AddFOp>(loc, args[0], args[1]).getResult()
                 : b.create<arith::AddIOp>(loc, args[0], args[1]).getResult();
}

template <typename OpTy>
struct ReductionToGeneric : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    ArrayRef<int64_t> axes = op.getAxes();
    MappedOperand in{input,
                     rewriter.getMultiDimIdentityMap(inputType.getRank())};
    Value reduced = buildReduction(
        rewriter, loc, inputType.getShape(), axes, in,
        getInit(op, rewriter, elementType),
        [&](OpBuilder &b, Location l, ValueRange args) {
          return combine(op, b, l, args);
        });
    if (isa<MeanOp>(op)) {
      int64_t count = 1;
      for (int64_t axis : axes)
        count *= inputType.getDimSize(axis);
      auto reducedType = cast<RankedTensorType>(reduced.getType());
      MappedOperand sum{reduced,
                        rewriter.getMultiDimIdentityMap(reducedType.getRank())};
      reduced = buildElementwise(
          rewriter, loc, reducedType, sum,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value scale = buildFloat(b, l, elementType, 1.0 / count);
            return b.create<arith::MulFOp>(l, args[0], scale);
          });
    }
    rewriter.replaceOp(op, buildReshape(rewriter, loc, reduced,
                                        cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void dlc::dl::populateDLReductionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ReductionToGeneric<SumOp>, ReductionToGeneric<MeanOp>,
               ReductionToGeneric<MaxOp>>(patterns.getContext());
}
