//===- Conv.cpp - dl.conv2d and its gradients to linalg -------------------===//
//
// Part of dlc. Each op becomes one linalg.generic over a grouped layout
// (activations [N, G, C/G, H, W], filters [G, O/G, C/G, KH, KW]), reached and
// left by reshapes: every indexing map is affine and every output map a
// projected permutation, so the generics tile like any other.
//
//  - conv2d: y[n,g,o,oh,ow] += xp[n,g,c,oh*sh+kh*dh,ow*sw+kw*dw] w[g,o,c,kh,kw]
//    with xp = x zero-padded (the padding an insert into a zero tensor).
//  - backward_filter: dw[g,o,c,kh,kw] += xp[n,g,c,oh*sh+kh*dh,ow*sw+kw*dw]
//    dy[n,g,o,oh,ow].
//  - backward_input: the transposed convolution as a stride-1 correlation:
//    zp = dy spread with stride (s) into zeros at offset (K-1)*d, then
//    dx[n,g,c,h,w] += zp[n,g,o,ph+h+kh*dh,pw+w+kw*dw] wf[g,o,c,kh,kw], wf the
//    filter flipped in space (wf[..,kh,kw] = w[..,KH-1-kh,KW-1-kw]).
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace dlc::dl;

namespace {

/// [D0, D1, ...] with dimension 1 split into (groups, D1 / groups), or for a
/// filter dimension 0 split likewise.
Value splitGroups(OpBuilder &b, Location loc, Value value, int64_t dim,
                  int64_t groups) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (auto [i, d] : llvm::enumerate(type.getShape())) {
    if (int64_t(i) == dim) {
      shape.push_back(groups);
      shape.push_back(d / groups);
    } else {
      shape.push_back(d);
    }
  }
  return buildReshape(b, loc, value,
                      RankedTensorType::get(shape, type.getElementType()));
}

/// The 8 loops of a correlation generic and the maps over them.
struct CorrelationLoops {
  explicit CorrelationLoops(MLIRContext *ctx) : ctx(ctx) {
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(d));
  }
  AffineMap map(ArrayRef<AffineExpr> results) const {
    return AffineMap::get(8, 0, results, ctx);
  }
  MLIRContext *ctx;
  AffineExpr d[8];
};

/// The 8-loop correlation generic: out (a zero-filled `outShape`) +=
/// a(aMap) * b(bMap); loops 0-4 parallel (out's dims), 5-7 reduced.
Value buildCorrelation(OpBuilder &b, Location loc, Value lhs, AffineMap lhsMap,
                       Value rhs, AffineMap rhsMap,
                       ArrayRef<int64_t> outShape) {
  MLIRContext *ctx = b.getContext();
  Type element = cast<RankedTensorType>(lhs.getType()).getElementType();
  auto outType = RankedTensorType::get(outShape, element);
  Value init = buildFilled(b, loc, outType, b.getZeroAttr(element));
  AffineMap outMap = AffineMap::get(
      8, 0, AffineMap::getMultiDimIdentityMap(5, ctx).getResults(), ctx);
  SmallVector<utils::IteratorType> iterators(5, utils::IteratorType::parallel);
  iterators.append(3, utils::IteratorType::reduction);
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{outType}, ValueRange{lhs, rhs}, ValueRange{init},
          ArrayRef<AffineMap>{lhsMap, rhsMap, outMap}, iterators,
          [](OpBuilder &nb, Location nloc, ValueRange args) {
            Value product = nb.create<arith::MulFOp>(nloc, args[0], args[1]);
            Value sum = nb.create<arith::AddFOp>(nloc, product, args[2]);
            nb.create<linalg::YieldOp>(nloc, sum);
          })
      .getResult(0);
}

/// x zero-padded by the window's padding, in the grouped layout.
Value paddedGroupedInput(OpBuilder &b, Location loc, Value x,
                         const shapes::Conv2dWindow &window) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> s = type.getShape();
  Value padded = buildPlaced(
      b, loc, x,
      {s[0], s[1], s[2] + 2 * window.padding[0], s[3] + 2 * window.padding[1]},
      {0, 0, window.padding[0], window.padding[1]}, {1, 1, 1, 1},
      b.getZeroAttr(type.getElementType()));
  return splitGroups(b, loc, padded, 1, window.groups);
}

struct Conv2dToLinalg : public OpConversionPattern<Conv2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    shapes::Conv2dWindow window = op.getWindow();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> y = resultType.getShape();
    ArrayRef<int64_t> w =
        cast<RankedTensorType>(adaptor.getFilter().getType()).getShape();
    int64_t g = window.groups;
    Value xp = paddedGroupedInput(rewriter, loc, adaptor.getInput(), window);
    Value wg = splitGroups(rewriter, loc, adaptor.getFilter(), 0, g);
    // Loops (n, g, o, oh, ow, c, kh, kw).
    CorrelationLoops l(ctx);
    const AffineExpr *d = l.d;
    AffineMap xMap = l.map(
        {d[0], d[1], d[5], d[3] * window.stride[0] + d[6] * window.dilation[0],
         d[4] * window.stride[1] + d[7] * window.dilation[1]});
    AffineMap wMap = l.map({d[1], d[2], d[5], d[6], d[7]});
    Value out = buildCorrelation(rewriter, loc, xp, xMap, wg, wMap,
                                 {y[0], g, w[0] / g, y[2], y[3]});
    rewriter.replaceOp(op, buildReshape(rewriter, loc, out, resultType));
    return success();
  }
};

struct Conv2dBackwardFilterToLinalg
    : public OpConversionPattern<Conv2dBackwardFilterOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2dBackwardFilterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    shapes::Conv2dWindow window = op.getWindow();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> w = resultType.getShape();
    int64_t g = window.groups;
    Value xp = paddedGroupedInput(rewriter, loc, adaptor.getInput(), window);
    Value dy = splitGroups(rewriter, loc, adaptor.getDy(), 1, g);
    // Loops (g, o, c, kh, kw, n, oh, ow).
    CorrelationLoops l(ctx);
    const AffineExpr *d = l.d;
    AffineMap xMap = l.map(
        {d[5], d[0], d[2], d[6] * window.stride[0] + d[3] * window.dilation[0],
         d[7] * window.stride[1] + d[4] * window.dilation[1]});
    AffineMap dyMap = l.map({d[5], d[0], d[1], d[6], d[7]});
    Value out = buildCorrelation(rewriter, loc, xp, xMap, dy, dyMap,
                                 {g, w[0] / g, w[1], w[2], w[3]});
    rewriter.replaceOp(op, buildReshape(rewriter, loc, out, resultType));
    return success();
  }
};

struct Conv2dBackwardInputToLinalg
    : public OpConversionPattern<Conv2dBackwardInputOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2dBackwardInputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    shapes::Conv2dWindow window = op.getWindow();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> x = resultType.getShape();
    ArrayRef<int64_t> w =
        cast<RankedTensorType>(adaptor.getFilter().getType()).getShape();
    ArrayRef<int64_t> y =
        cast<RankedTensorType>(adaptor.getDy().getType()).getShape();
    int64_t g = window.groups;
    // dy spread into zp: [N, O, Hp + (KH-1) dh, Wp + (KW-1) dw].
    int64_t lead[2], extent[2];
    for (int i = 0; i < 2; ++i) {
      lead[i] = (w[2 + i] - 1) * window.dilation[i];
      extent[i] = x[2 + i] + 2 * window.padding[i] + lead[i];
    }
    Value zp = buildPlaced(
        rewriter, loc, adaptor.getDy(), {y[0], y[1], extent[0], extent[1]},
        {0, 0, lead[0], lead[1]}, {1, 1, window.stride[0], window.stride[1]},
        rewriter.getZeroAttr(resultType.getElementType()));
    // Only rows (and columns) from the padding on are read: slicing them
    // keeps the correlation's maps free of constant offsets, which MLIR 19's
    // tiling would apply twice (once in the tile's slice, once in the map).
    if (window.padding[0] != 0 || window.padding[1] != 0) {
      int64_t start[4] = {0, 0, window.padding[0], window.padding[1]};
      int64_t shape[4] = {y[0], y[1], extent[0] - window.padding[0],
                          extent[1] - window.padding[1]};
      int64_t ones[4] = {1, 1, 1, 1};
      zp = rewriter.create<tensor::ExtractSliceOp>(
          loc, zp, getAsIndexOpFoldResult(ctx, start),
          getAsIndexOpFoldResult(ctx, shape), getAsIndexOpFoldResult(ctx, ones));
    }
    zp = splitGroups(rewriter, loc, zp, 1, g);
    // The filter flipped in space, [G, O/G, C/G, KH, KW]: each element
    // reads its mirror through tensor.extract (a flipped indexing map, with
    // its negative coefficients, does not survive MLIR 19's tiling).
    Value wg = splitGroups(rewriter, loc, adaptor.getFilter(), 0, g);
    auto wgType = cast<RankedTensorType>(wg.getType());
    Value empty = rewriter.create<tensor::EmptyOp>(loc, wgType.getShape(),
                                                   wgType.getElementType());
    SmallVector<utils::IteratorType> parallel(5, utils::IteratorType::parallel);
    wg = rewriter
             .create<linalg::GenericOp>(
                 loc, TypeRange{wgType}, ValueRange{}, ValueRange{empty},
                 ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(5, ctx)},
                 parallel,
                 [&](OpBuilder &nb, Location nloc, ValueRange) {
                   SmallVector<Value> at;
                   for (int64_t i = 0; i < 5; ++i) {
                     Value index = nb.create<linalg::IndexOp>(nloc, i);
                     if (i >= 3) {
                       Value last = nb.create<arith::ConstantIndexOp>(
                           nloc, wgType.getDimSize(i) - 1);
                       index = nb.create<arith::SubIOp>(nloc, last, index);
                     }
                     at.push_back(index);
                   }
                   nb.create<linalg::YieldOp>(
                       nloc,
                       nb.create<tensor::ExtractOp>(nloc, wg, at).getResult());
                 })
             .getResult(0);
    // Loops (n, g, c, h, w, o, kh, kw).
    CorrelationLoops l(ctx);
    const AffineExpr *d = l.d;
    AffineMap zMap = l.map({d[0], d[1], d[5], d[3] + d[6] * window.dilation[0],
                            d[4] + d[7] * window.dilation[1]});
    AffineMap wMap = l.map({d[1], d[5], d[2], d[6], d[7]});
    Value out = buildCorrelation(rewriter, loc, zp, zMap, wg, wMap,
                                 {x[0], g, x[1] / g, x[2], x[3]});
    rewriter.replaceOp(op, buildReshape(rewriter, loc, out, resultType));
    return success();
  }
};

} // namespace

void dlc::dl::populateDLConvToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2dToLinalg, Conv2dBackwardFilterToLinalg,
               Conv2dBackwardInputToLinalg>(patterns.getContext());
}
