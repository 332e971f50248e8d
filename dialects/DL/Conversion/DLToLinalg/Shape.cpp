//===- Shape.cpp - dl constants and shape ops to arith/tensor/linalg ------===//
//
// Part of dlc. constant -> arith.constant; fill, and constants that are
// splats, -> linalg.fill (a splat constant would become a full data array in
// the object; the conversion driver folds fills into splat constants before
// it tries patterns, so both paths matter); reshape ->
// collapse/expand_shape; transpose -> linalg.transpose; broadcast -> a
// broadcasting linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace dlc::dl;

namespace {

struct ConstantToArith : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value is not a typed attribute");
    // A splat of more than one element is a fill: as a constant it would
    // become a full data array in the object.
    auto type = cast<RankedTensorType>(op.getType());
    auto splat = dyn_cast<SplatElementsAttr>(value);
    if (splat && type.getNumElements() > 1) {
      rewriter.replaceOp(op, buildFilled(rewriter, op.getLoc(), type,
                                         splat.getSplatValue<TypedAttr>()));
      return success();
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct FillToLinalg : public OpConversionPattern<FillOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FillOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildFilled(rewriter, op.getLoc(),
                                       cast<RankedTensorType>(op.getType()),
                                       op.getElementAttr()));
    return success();
  }
};

struct ReshapeToTensor : public OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildReshape(rewriter, op.getLoc(),
                                        adaptor.getInput(),
                                        cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeToLinalg : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value init = rewriter.create<tensor::EmptyOp>(op.getLoc(), type.getShape(),
                                                  type.getElementType());
    auto transpose = rewriter.create<linalg::TransposeOp>(
        op.getLoc(), adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

struct BroadcastToLinalg : public OpConversionPattern<BroadcastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = buildBroadcastElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        adaptor.getInput(),
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void dlc::dl::populateDLShapeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantToArith, FillToLinalg, ReshapeToTensor,
               TransposeToLinalg, BroadcastToLinalg>(patterns.getContext());
}
