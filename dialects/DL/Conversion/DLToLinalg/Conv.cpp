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
//    dy[n,g,o,oh,ow]; with sw = 1 by partial sums per vector lane
//    (lanePartialsFilterGradient), else through im2col or directly.
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

/// The loops of a correlation generic (8, or 9 for the filter gradient's
/// lane partials) and the maps over them.
struct CorrelationLoops {
  CorrelationLoops(MLIRContext *ctx, unsigned count = 8)
      : ctx(ctx), count(count) {
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(d, count));
  }
  AffineMap map(ArrayRef<AffineExpr> results) const {
    return AffineMap::get(count, 0, results, ctx);
  }
  MLIRContext *ctx;
  unsigned count;
  AffineExpr d[9];
};

/// The correlation generic: out (a zero-filled `outShape`) += a(aMap) *
/// b(bMap); the first outShape.size() loops parallel (out's dims, in order),
/// the others reduced.
Value buildCorrelation(OpBuilder &b, Location loc, Value lhs, AffineMap lhsMap,
                       Value rhs, AffineMap rhsMap,
                       ArrayRef<int64_t> outShape) {
  MLIRContext *ctx = b.getContext();
  Type element = cast<RankedTensorType>(lhs.getType()).getElementType();
  auto outType = RankedTensorType::get(outShape, element);
  Value init = buildFilled(b, loc, outType, b.getZeroAttr(element));
  unsigned loops = lhsMap.getNumDims(), parallel = outShape.size();
  AffineMap outMap = AffineMap::get(
      loops, 0, AffineMap::getMultiDimIdentityMap(parallel, ctx).getResults(),
      ctx);
  SmallVector<utils::IteratorType> iterators(parallel,
                                             utils::IteratorType::parallel);
  iterators.append(loops - parallel, utils::IteratorType::reduction);
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

/// x zero-padded by the window's padding (and `extraRight` more zero
/// columns), in the grouped layout.
Value paddedGroupedInput(OpBuilder &b, Location loc, Value x,
                         const shapes::Conv2dWindow &window,
                         int64_t extraRight = 0) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> s = type.getShape();
  Value padded =
      buildPlaced(b, loc, x,
                  {s[0], s[1], s[2] + 2 * window.padding[0],
                   s[3] + 2 * window.padding[1] + extraRight},
                  {0, 0, window.padding[0], window.padding[1]}, {1, 1, 1, 1},
                  b.getZeroAttr(type.getElementType()));
  return splitGroups(b, loc, padded, 1, window.groups);
}

/// Output rows of a direct convolution are computed in multiples of this
/// many columns (the zero-padded input gives the extra ones), so that the
/// vector tiles of codegen need no masks: 16 f32 lanes (AVX-512; AVX2 and
/// NEON widths divide it).
constexpr int64_t kDirectRowMultiple = 16;

/// The row width a direct convolution computes for output rows of `width`
/// with a window of stride `stride` along them: a multiple of
/// kDirectRowMultiple for stride 1 and one group or one channel per group
/// (directResult's cases), else `width`.
int64_t directRowWidth(int64_t width, int64_t stride, int64_t groups,
                       int64_t channels) {
  if (stride != 1 || !(groups == 1 || channels == groups))
    return width;
  return llvm::alignTo(width, kDirectRowMultiple);
}

/// The NCHW result `type` of a correlation `out` [N, G, C/G, H, W'] whose
/// rows may be computed wider (W' >= W): reshaped when W' = W, else its
/// valid columns copied (a view of them would not be contiguous) straight
/// into NCHW, y[n, c, h, w] = out[n, 0, c, h, w] (one group) or
/// out[n, c, 0, h, w] (one channel per group).
Value directResult(OpBuilder &b, Location loc, Value out,
                   RankedTensorType type) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> o = cast<RankedTensorType>(out.getType()).getShape();
  ArrayRef<int64_t> y = type.getShape();
  if (o[4] == y[3])
    return buildReshape(b, loc, out, type);
  int64_t sizes[5] = {o[0], o[1], o[2], o[3], y[3]};
  int64_t zeros[5] = {0, 0, 0, 0, 0}, ones[5] = {1, 1, 1, 1, 1};
  Value valid = b.create<tensor::ExtractSliceOp>(
      loc, out, getAsIndexOpFoldResult(ctx, zeros),
      getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, ones));
  AffineExpr e[4];
  bindDimsList(ctx, MutableArrayRef<AffineExpr>(e));
  AffineExpr zero = getAffineConstantExpr(0, ctx);
  AffineMap read =
      o[1] == 1 ? AffineMap::get(4, 0, {e[0], zero, e[1], e[2], e[3]}, ctx)
                : AffineMap::get(4, 0, {e[0], e[1], zero, e[2], e[3]}, ctx);
  return buildElementwise(
      b, loc, type, {{valid, read}},
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

//===----------------------------------------------------------------------===//
// Ungrouped convolutions as matrix products (im2col)
//===----------------------------------------------------------------------===//

/// `value` with its dimensions permuted: result dimension i is `value`'s
/// dimension perm[i] (a copy, which fuses with elementwise neighbours).
Value permuted(OpBuilder &b, Location loc, Value value,
               ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> reads(perm.size());
  for (auto [i, p] : llvm::enumerate(perm)) {
    shape.push_back(type.getDimSize(p));
    reads[p] = b.getAffineDimExpr(i);
  }
  AffineMap map = AffineMap::get(perm.size(), 0, reads, b.getContext());
  return buildElementwise(
      b, loc, RankedTensorType::get(shape, type.getElementType()),
      {{value, map}},
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

/// lhs [M, K] @ rhs [K, N] as linalg.matmul on a zero-filled accumulator:
/// the register-tiled kernels of dlc-tile-and-vectorize.
Value matrixProduct(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  auto lt = cast<RankedTensorType>(lhs.getType());
  auto rt = cast<RankedTensorType>(rhs.getType());
  auto type = RankedTensorType::get({lt.getDimSize(0), rt.getDimSize(1)},
                                    lt.getElementType());
  Value zero = buildFilled(b, loc, type, b.getZeroAttr(lt.getElementType()));
  return b
      .create<linalg::MatmulOp>(loc, TypeRange{type}, ValueRange{lhs, rhs},
                                zero)
      .getResult(0);
}

/// `value` reshaped to `shape` (same element type).
Value reshaped(OpBuilder &b, Location loc, Value value,
               ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  return buildReshape(b, loc, value,
                      RankedTensorType::get(shape, type.getElementType()));
}

/// The im2col matrix of x [N, C, H, W] for a window with kernel [KH, KW]
/// and output [OH, OW]: cols[(c, kh, kw), (n, oh, ow)] = xp[n, c, oh*sh +
/// kh*dh, ow*sw + kw*dw], xp the zero-padded x. Shape [C KH KW, N OH OW].
Value im2col(OpBuilder &b, Location loc, Value x,
             const shapes::Conv2dWindow &window, ArrayRef<int64_t> kernel,
             ArrayRef<int64_t> out) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> s = type.getShape();
  Value xp = buildPlaced(
      b, loc, x,
      {s[0], s[1], s[2] + 2 * window.padding[0], s[3] + 2 * window.padding[1]},
      {0, 0, window.padding[0], window.padding[1]}, {1, 1, 1, 1},
      b.getZeroAttr(type.getElementType()));
  // Loops (c, kh, kw, n, oh, ow).
  AffineExpr d[6];
  bindDimsList(b.getContext(), MutableArrayRef<AffineExpr>(d));
  AffineMap read = AffineMap::get(
      6, 0,
      {d[3], d[0], d[4] * window.stride[0] + d[1] * window.dilation[0],
       d[5] * window.stride[1] + d[2] * window.dilation[1]},
      b.getContext());
  auto colsType =
      RankedTensorType::get({s[1], kernel[0], kernel[1], s[0], out[0], out[1]},
                            type.getElementType());
  Value cols = buildElementwise(
      b, loc, colsType, {{xp, read}},
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  return reshaped(b, loc, cols,
                  {s[1] * kernel[0] * kernel[1], s[0] * out[0] * out[1]});
}

/// dy [N, O, OH, OW] as the matrix [O, N OH OW].
Value outputMatrix(OpBuilder &b, Location loc, Value dy) {
  ArrayRef<int64_t> y = cast<RankedTensorType>(dy.getType()).getShape();
  return reshaped(b, loc, permuted(b, loc, dy, {1, 0, 2, 3}),
                  {y[1], y[0] * y[2] * y[3]});
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
    if (g == 1 && window.stride[1] != 1) {
      // Strided: y^T [O, N OH OW] = w [O, C KH KW] @ im2col(x), back to
      // NCHW. (Stride 1 is a direct convolution below: no im2col traffic.)
      Value cols = im2col(rewriter, loc, adaptor.getInput(), window,
                          {w[2], w[3]}, {y[2], y[3]});
      Value wm = reshaped(rewriter, loc, adaptor.getFilter(),
                          {w[0], w[1] * w[2] * w[3]});
      Value yt = reshaped(rewriter, loc, matrixProduct(rewriter, loc, wm, cols),
                          {y[1], y[0], y[2], y[3]});
      rewriter.replaceOp(op, permuted(rewriter, loc, yt, {1, 0, 2, 3}));
      return success();
    }
    // Direct: the rows of a stride-1 (in W) convolution are computed to a
    // multiple of kDirectRowMultiple columns, the extra ones sliced off.
    int64_t ow = directRowWidth(y[3], window.stride[1], g, w[0]);
    Value xp = paddedGroupedInput(rewriter, loc, adaptor.getInput(), window,
                                  ow - y[3]);
    Value wg = splitGroups(rewriter, loc, adaptor.getFilter(), 0, g);
    // Loops (n, g, o, oh, ow, c, kh, kw).
    CorrelationLoops l(ctx);
    const AffineExpr *d = l.d;
    AffineMap xMap = l.map(
        {d[0], d[1], d[5], d[3] * window.stride[0] + d[6] * window.dilation[0],
         d[4] * window.stride[1] + d[7] * window.dilation[1]});
    AffineMap wMap = l.map({d[1], d[2], d[5], d[6], d[7]});
    Value out = buildCorrelation(rewriter, loc, xp, xMap, wg, wMap,
                                 {y[0], g, w[0] / g, y[2], ow});
    rewriter.replaceOp(op, directResult(rewriter, loc, out, resultType));
    return success();
  }
};

/// Output rows at least this long get the filter gradient by lane partials
/// (shorter ones would compute mostly padding).
constexpr int64_t kMinLaneRow = 12;

/// dy [N, O, OH, OW] spread for the direct input gradient
/// (Conv2dBackwardInputToLinalg): zp [N, O, Hp + (KH-1) dh, Wp'] holds
/// dy[n, o, oh, ow] at (lead0 + oh sh, lead1 + ow sw), lead = (K-1) d, zeros
/// elsewhere. Its rows are wide enough for the input gradient's rows
/// (directRowWidth) and, with sw = 1, for the filter gradient's
/// (lanePartialsFilterGradient reads its dy from zp too: one padded tensor
/// serves both gradients).
Value spreadOutputGradient(OpBuilder &b, Location loc, Value dy,
                           ArrayRef<int64_t> x, ArrayRef<int64_t> w,
                           const shapes::Conv2dWindow &window) {
  ArrayRef<int64_t> y = cast<RankedTensorType>(dy.getType()).getShape();
  int64_t xw = directRowWidth(x[3], 1, window.groups, x[1]);
  int64_t lead[2], extent[2];
  for (int i = 0; i < 2; ++i) {
    lead[i] = (w[2 + i] - 1) * window.dilation[i];
    extent[i] = x[2 + i] + 2 * window.padding[i] + lead[i];
  }
  extent[1] += xw - x[3];
  if (window.stride[1] == 1)
    extent[1] = std::max<int64_t>(
        extent[1], lead[1] + llvm::alignTo(y[3], kDirectRowMultiple));
  Type element = cast<RankedTensorType>(dy.getType()).getElementType();
  return buildPlaced(
      b, loc, dy, {y[0], y[1], extent[0], extent[1]}, {0, 0, lead[0], lead[1]},
      {1, 1, window.stride[0], window.stride[1]}, b.getZeroAttr(element));
}

/// The filter gradient of a convolution with stride 1 along rows, summed
/// over (n, oh, ow) with ow split into (ow1, lane), lane the kDirectRowMultiple
/// positions of a vector kept as a parallel dimension of partial sums:
///   dwp[g,o,c,kh,kw,lane] += xp[n,g,c,oh*sh+kh*dh,ow1*L+lane+kw*dw]
///                            dyp[n,g,o,oh,ow1,lane]
/// (dyp: dy with its rows zero-padded to whole vectors, xp the padded input
/// with the columns they read), then dw = the sum over lane. With
/// `shareSpreadDy`, dyp is a view of the input gradient's spread dy
/// (spreadOutputGradient; CSE merges the two), else dy padded alone. Codegen
/// tiles it as an outer product of output x input channels, one vector of lanes
/// each, its accumulators in registers across (oh, ow1): no im2col matrix.
Value lanePartialsFilterGradient(OpBuilder &b, Location loc, Value x, Value dy,
                                 const shapes::Conv2dWindow &window,
                                 RankedTensorType resultType,
                                 bool shareSpreadDy) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> w = resultType.getShape();
  ArrayRef<int64_t> y = cast<RankedTensorType>(dy.getType()).getShape();
  int64_t g = window.groups, lanes = kDirectRowMultiple;
  int64_t rowWidth = llvm::alignTo(y[3], lanes);
  Value xp = paddedGroupedInput(b, loc, x, window, rowWidth - y[3]);
  // dy's rows, rowWidth long: from the input gradient's spread dy when
  // there is one, else dy alone padded.
  Value dyp;
  if (shareSpreadDy) {
    ArrayRef<int64_t> xShape = cast<RankedTensorType>(x.getType()).getShape();
    Value zp = spreadOutputGradient(b, loc, dy, xShape, w, window);
    int64_t offsets[4] = {0, 0, (w[2] - 1) * window.dilation[0],
                          (w[3] - 1) * window.dilation[1]};
    int64_t sizes[4] = {y[0], y[1], y[2], rowWidth};
    int64_t strides[4] = {1, 1, window.stride[0], 1};
    dyp = b.create<tensor::ExtractSliceOp>(
        loc, zp, getAsIndexOpFoldResult(ctx, offsets),
        getAsIndexOpFoldResult(ctx, sizes),
        getAsIndexOpFoldResult(ctx, strides));
  } else {
    dyp = buildPlaced(b, loc, dy, {y[0], y[1], y[2], rowWidth}, {0, 0, 0, 0},
                      {1, 1, 1, 1}, b.getZeroAttr(resultType.getElementType()));
  }
  dyp =
      reshaped(b, loc, dyp, {y[0], g, y[1] / g, y[2], rowWidth / lanes, lanes});
  // Loops (g, o, c, kh, kw, lane, n, oh, ow1).
  CorrelationLoops l(ctx, 9);
  const AffineExpr *d = l.d;
  AffineMap xMap = l.map({d[6], d[0], d[2],
                          d[7] * window.stride[0] + d[3] * window.dilation[0],
                          d[8] * lanes + d[5] + d[4] * window.dilation[1]});
  AffineMap dyMap = l.map({d[6], d[0], d[1], d[7], d[8], d[5]});
  Value partials = buildCorrelation(b, loc, xp, xMap, dyp, dyMap,
                                    {g, w[0] / g, w[1], w[2], w[3], lanes});
  SmallVector<int64_t> shape = {g, w[0] / g, w[1], w[2], w[3], lanes};
  Value sum = buildReduction(
      b, loc, shape, {5},
      {{partials, AffineMap::getMultiDimIdentityMap(6, ctx)}},
      b.getZeroAttr(resultType.getElementType()),
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        return nb.create<arith::AddFOp>(nloc, args[0], args[1]).getResult();
      });
  return buildReshape(b, loc, sum, resultType);
}

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
    ArrayRef<int64_t> y =
        cast<RankedTensorType>(adaptor.getDy().getType()).getShape();
    if (window.stride[1] == 1 && y[3] >= kMinLaneRow) {
      // The input gradient of the same dy and window, if the model computes
      // it, spreads dy into a padded tensor this one can read too.
      bool shared = llvm::any_of(op.getDy().getUsers(), [&](Operation *user) {
        auto dx = dyn_cast<Conv2dBackwardInputOp>(user);
        return dx && dx.getDy() == op.getDy() &&
               dx.getStride() == op.getStride() &&
               dx.getPadding() == op.getPadding() &&
               dx.getDilation() == op.getDilation() &&
               dx.getGroups() == op.getGroups() &&
               dx.getType() == op.getInput().getType() &&
               dx.getFilter().getType() == op.getType();
      });
      rewriter.replaceOp(op, lanePartialsFilterGradient(
                                 rewriter, loc, adaptor.getInput(),
                                 adaptor.getDy(), window, resultType, shared));
      return success();
    }
    if (g == 1) {
      // Strided or short rows: dw^T [C KH KW, O] = im2col(x) @ dy as
      // [N OH OW, O].
      Value cols = im2col(rewriter, loc, adaptor.getInput(), window,
                          {w[2], w[3]}, {y[2], y[3]});
      Value dyRows = reshaped(
          rewriter, loc, permuted(rewriter, loc, adaptor.getDy(), {0, 2, 3, 1}),
          {y[0] * y[2] * y[3], y[1]});
      Value dwt = matrixProduct(rewriter, loc, cols, dyRows);
      rewriter.replaceOp(
          op, reshaped(rewriter, loc, permuted(rewriter, loc, dwt, {1, 0}), w));
      return success();
    }
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
    if (g == 1 && window.stride[1] != 1) {
      // Strided: dcols [C KH KW, N OH OW] = w^T @ dy as [O, N OH OW], then
      // every window position (kh, kw) adds its rows into a strided slice of
      // dx (col2im). (Stride 1 is a direct convolution below.)
      Value wt = permuted(rewriter, loc,
                          reshaped(rewriter, loc, adaptor.getFilter(),
                                   {w[0], w[1] * w[2] * w[3]}),
                          {1, 0});
      Value dcols =
          reshaped(rewriter, loc,
                   matrixProduct(rewriter, loc, wt,
                                 outputMatrix(rewriter, loc, adaptor.getDy())),
                   {w[1], w[2], w[3], y[0], y[2], y[3]});
      WindowGeometry geometry;
      for (int d = 0; d < 2; ++d) {
        geometry.kernel[d] = w[2 + d];
        geometry.stride[d] = window.stride[d];
        geometry.padding[d] = window.padding[d];
        geometry.dilation[d] = window.dilation[d];
      }
      // current[n, c, i, j] + dcols[c, kh, kw, n, first + i, first + j].
      AffineExpr d[4];
      bindDimsList(ctx, MutableArrayRef<AffineExpr>(d));
      Value dx = buildWindowScatter(
          rewriter, loc, resultType, {y[2], y[3]}, geometry,
          [&](Value current, const WindowBox &box, int64_t kh, int64_t kw) {
            int64_t offsets[6] = {0, kh, kw, 0, box.first[0], box.first[1]};
            int64_t sizes[6] = {w[1], 1, 1, y[0], box.count[0], box.count[1]};
            int64_t ones[6] = {1, 1, 1, 1, 1, 1};
            auto rowsType =
                RankedTensorType::get({w[1], y[0], box.count[0], box.count[1]},
                                      resultType.getElementType());
            Value rows = rewriter.create<tensor::ExtractSliceOp>(
                loc, rowsType, dcols, getAsIndexOpFoldResult(ctx, offsets),
                getAsIndexOpFoldResult(ctx, sizes),
                getAsIndexOpFoldResult(ctx, ones));
            return buildElementwise(
                rewriter, loc, cast<RankedTensorType>(current.getType()),
                {{current, AffineMap::getMultiDimIdentityMap(4, ctx)},
                 {rows, AffineMap::get(4, 0, {d[1], d[0], d[2], d[3]}, ctx)}},
                [](OpBuilder &nb, Location nloc, ValueRange args) {
                  return nb.create<arith::AddFOp>(nloc, args[0], args[1]);
                });
          });
      rewriter.replaceOp(op, dx);
      return success();
    }
    // dy spread into zp (spreadOutputGradient); rows of dx computed to xw
    // columns (directRowWidth), which zp's extra zero columns supply.
    int64_t xw = directRowWidth(x[3], 1, g, x[1]);
    Value zp =
        spreadOutputGradient(rewriter, loc, adaptor.getDy(), x, w, window);
    ArrayRef<int64_t> extent =
        cast<RankedTensorType>(zp.getType()).getShape().drop_front(2);
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
                                 {x[0], g, x[1] / g, x[2], xw});
    rewriter.replaceOp(op, directResult(rewriter, loc, out, resultType));
    return success();
  }
};

} // namespace

void dlc::dl::populateDLConvToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2dToLinalg, Conv2dBackwardFilterToLinalg,
               Conv2dBackwardInputToLinalg>(patterns.getContext());
}
