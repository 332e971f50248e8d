//===- Matmul.cpp - dl.matmul to linalg.matmul / batch_matmul -------------===//
//
// Part of dlc. Rank 2 becomes linalg.matmul, rank 3 linalg.batch_matmul;
// higher ranks collapse their batch dims into one around a batch_matmul.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace dlc::dl;

namespace {

/// Collapses the leading `rank - 2` dims of `value` into one.
Value collapseBatch(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t batch = 1;
  ReassociationIndices batchDims;
  for (int64_t i = 0; i < rank - 2; ++i) {
    batch *= shape[i];
    batchDims.push_back(i);
  }
  auto collapsed = RankedTensorType::get(
      {batch, shape[rank - 2], shape[rank - 1]}, type.getElementType());
  return b.create<tensor::CollapseShapeOp>(
      loc, collapsed, value,
      SmallVector<ReassociationIndices>{batchDims, {rank - 2}, {rank - 1}});
}

struct MatmulToLinalg : public OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    if (rank > 3) {
      lhs = collapseBatch(rewriter, loc, lhs);
      rhs = collapseBatch(rewriter, loc, rhs);
    }
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    SmallVector<int64_t> shape(lhsType.getShape().drop_back());
    shape.push_back(rhsType.getShape().back());
    auto accType = RankedTensorType::get(shape, resultType.getElementType());
    Value zero = buildFilled(rewriter, loc, accType,
                             rewriter.getZeroAttr(accType.getElementType()));
    Value product;
    if (rank == 2)
      product = rewriter
                    .create<linalg::MatmulOp>(loc, TypeRange{accType},
                                              ValueRange{lhs, rhs}, zero)
                    .getResult(0);
    else
      product = rewriter
                    .create<linalg::BatchMatmulOp>(loc, TypeRange{accType},
                                                   ValueRange{lhs, rhs}, zero)
                    .getResult(0);
    rewriter.replaceOp(op, buildReshape(rewriter, loc, product, resultType));
    return success();
  }
};

} // namespace

void dlc::dl::populateDLMatmulToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulToLinalg>(patterns.getContext());
}
