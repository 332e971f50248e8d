//===- Indexing.cpp - slices, concatenation, embeddings -------------------===//
//
// Part of dlc. argmax -> a reduction carrying the maximum and its index;
// slice -> tensor.extract_slice; slice_backward -> the
// cotangent inserted into zeros; concat -> each input inserted into one
// empty tensor at its offset. embedding -> an elementwise generic over the
// result that reads its row's id and extracts the table's element (a
// gather); embedding_backward -> a loop over the positions that adds each
// row of the cotangent into the row its id names (a scatter-add: repeated
// ids sum).
// An id outside [0, V) reads zeros and adds nothing: no access leaves the
// table.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace dlc::dl;

namespace {

/// `id` (an integer) as an index, whether it is in [0, rows), and the row to
/// read: the id when in range, else 0.
std::pair<Value, Value> rowOf(OpBuilder &b, Location loc, Value id,
                              int64_t rows) {
  Value index = b.create<arith::IndexCastOp>(loc, b.getIndexType(), id);
  // Unsigned: a negative id is out of range too.
  Value inRange = b.create<arith::CmpIOp>(
      loc, arith::CmpIPredicate::ult, index,
      b.create<arith::ConstantIndexOp>(loc, rows));
  Value row = b.create<arith::SelectOp>(
      loc, inRange, index, b.create<arith::ConstantIndexOp>(loc, 0));
  return {inRange, row};
}

struct EmbeddingToLinalg : public OpConversionPattern<EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    Value table = adaptor.getTable();
    int64_t rows = cast<RankedTensorType>(table.getType()).getDimSize(0);
    Value result = buildElementwise(
        rewriter, op.getLoc(), type,
        MappedOperand{adaptor.getIds(),
                      getDroppingMap(rewriter.getContext(), rank, rank - 1)},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          auto [inRange, row] = rowOf(b, l, args[0], rows);
          Value column = b.create<linalg::IndexOp>(l, rank - 1);
          Value element = b.create<tensor::ExtractOp>(
              l, table, ValueRange{row, column});
          return b.create<arith::SelectOp>(
              l, inRange, element,
              buildFloat(b, l, type.getElementType(), 0.0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct EmbeddingBackwardToLoops
    : public OpConversionPattern<EmbeddingBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EmbeddingBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type elementType = type.getElementType();
    int64_t rows = type.getDimSize(0), width = type.getDimSize(1);
    auto idsType = cast<RankedTensorType>(adaptor.getIds().getType());
    int64_t positions = idsType.getNumElements();
    // The positions in one dimension: ids [P], the cotangent [P, D].
    Value ids = buildReshape(
        rewriter, loc, adaptor.getIds(),
        RankedTensorType::get({positions}, idsType.getElementType()));
    Value grad = buildReshape(
        rewriter, loc, adaptor.getGrad(),
        RankedTensorType::get({positions, width}, elementType));
    Value zero = buildFilled(rewriter, loc, type,
                             rewriter.getFloatAttr(elementType, 0.0));
    Value c0 = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value c1 = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    Value cP = rewriter.create<arith::ConstantIndexOp>(loc, positions);
    Value cD = rewriter.create<arith::ConstantIndexOp>(loc, width);
    auto outer = rewriter.create<scf::ForOp>(
        loc, c0, cP, c1, ValueRange{zero},
        [&](OpBuilder &b, Location l, Value p, ValueRange acc) {
          Value id = b.create<tensor::ExtractOp>(l, ids, p);
          auto [inRange, row] = rowOf(b, l, id, rows);
          auto inner = b.create<scf::ForOp>(
              l, c0, cD, c1, acc,
              [&](OpBuilder &ib, Location il, Value d, ValueRange rowAcc) {
                Value dy = ib.create<tensor::ExtractOp>(il, grad,
                                                        ValueRange{p, d});
                Value add = ib.create<arith::SelectOp>(
                    il, inRange, dy, buildFloat(ib, il, elementType, 0.0));
                Value old = ib.create<tensor::ExtractOp>(il, rowAcc[0],
                                                         ValueRange{row, d});
                Value sum = ib.create<arith::AddFOp>(il, old, add);
                ib.create<scf::YieldOp>(
                    il, ib.create<tensor::InsertOp>(il, sum, rowAcc[0],
                                                    ValueRange{row, d})
                            .getResult());
              });
          b.create<scf::YieldOp>(l, inner.getResults());
        });
    rewriter.replaceOp(op, outer.getResults());
    return success();
  }
};

/// argmax: a reduction carrying the largest value so far (from -inf) and
/// its index (from 0); a later element replaces them only when strictly
/// larger, so ties keep the first index and NaN never wins.
struct ArgmaxToLinalg : public OpConversionPattern<ArgmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ArgmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = inputType.getElementType();
    int64_t rank = inputType.getRank(), axis = op.getAxis();
    auto valuesType = RankedTensorType::get(resultType.getShape(), elementType);
    Value best = buildFilled(
        rewriter, loc, valuesType,
        rewriter.getFloatAttr(elementType,
                              -std::numeric_limits<double>::infinity()));
    Value index = buildFilled(rewriter, loc, resultType,
                              rewriter.getIntegerAttr(rewriter.getI32Type(), 0));
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    AffineMap reduced = getDroppingMap(ctx, rank, {axis});
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{valuesType, resultType}, ValueRange{adaptor.getInput()},
        ValueRange{best, index},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank), reduced,
                            reduced},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value larger = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT,
                                                 args[0], args[1]);
          Value at = b.create<arith::IndexCastOp>(
              l, b.getI32Type(), b.create<linalg::IndexOp>(l, axis));
          b.create<linalg::YieldOp>(
              l, ValueRange{
                     b.create<arith::SelectOp>(l, larger, args[0], args[1]),
                     b.create<arith::SelectOp>(l, larger, at, args[2])});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

struct SliceToTensor : public OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, cast<RankedTensorType>(op.getType()), adaptor.getInput(),
        getAsIndexOpFoldResult(ctx, op.getOffsets()),
        getAsIndexOpFoldResult(ctx, op.getSizes()),
        getAsIndexOpFoldResult(ctx, op.getStrides()));
    return success();
  }
};

struct SliceBackwardToTensor : public OpConversionPattern<SliceBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(
        op, buildPlaced(rewriter, op.getLoc(), adaptor.getGrad(),
                        type.getShape(), op.getOffsets(), op.getStrides(),
                        rewriter.getFloatAttr(type.getElementType(), 0.0)));
    return success();
  }
};

struct ConcatToTensor : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = rewriter.getContext();
    Value result = rewriter.create<tensor::EmptyOp>(loc, type.getShape(),
                                                    type.getElementType());
    int64_t axis = op.getAxis(), offset = 0;
    SmallVector<int64_t> strides(type.getRank(), 1);
    for (Value input : adaptor.getInputs()) {
      auto part = cast<RankedTensorType>(input.getType());
      SmallVector<int64_t> offsets(type.getRank(), 0);
      offsets[axis] = offset;
      result = rewriter.create<tensor::InsertSliceOp>(
          loc, input, result, getAsIndexOpFoldResult(ctx, offsets),
          getAsIndexOpFoldResult(ctx, part.getShape()),
          getAsIndexOpFoldResult(ctx, strides));
      offset += part.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void dlc::dl::populateDLIndexingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ArgmaxToLinalg, SliceToTensor, SliceBackwardToTensor,
               ConcatToTensor,
               EmbeddingToLinalg, EmbeddingBackwardToLoops>(
      patterns.getContext());
}
