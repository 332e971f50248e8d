//===- Pool.cpp - dl.max_pool2d, dl.avg_pool2d and gradients to linalg ----===//
//
// Part of dlc.
//
//  - max_pool2d / avg_pool2d: one reduction generic over the loops (n, c, kh,
//    kw, oh, ow) reading the padded input at (n, c, oh*sh + kh, ow*sw + kw):
//    the output position innermost, so that tiles vectorize along ow. The
//    padding is -inf for max, 0 for avg; avg then divides by KH KW.
//  - backward ops: dy (for max, masked to the window's first maximum: an
//    index reduction) is added into the input gradient once per window
//    position (kh, kw), each time into a strided slice [.., kh - ph::sh,
//    kw - pw::sw] cut to the windows whose position (kh, kw) is not padding.
//  - Windows that tile the input (no padding, kernel <= stride: the usual
//    2 x 2 pooling) use the input as a view [N, C, OH, KH, OW, KW] instead:
//    the reductions and a single scatter generic then read and write rows
//    contiguously and vectorize.
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

#include <limits>

using namespace mlir;
using namespace dlc::dl;

namespace {

/// The padded extent of `x` [N, C, H, W] under `window`.
SmallVector<int64_t> paddedShape(ArrayRef<int64_t> x,
                                 const shapes::Pool2dWindow &window) {
  return {x[0], x[1], x[2] + 2 * window.padding[0],
          x[3] + 2 * window.padding[1]};
}

/// `x` padded by the window's padding with `fill`.
Value padded(OpBuilder &b, Location loc, Value x,
             const shapes::Pool2dWindow &window, TypedAttr fill) {
  auto type = cast<RankedTensorType>(x.getType());
  return buildPlaced(b, loc, x, paddedShape(type.getShape(), window),
                     {0, 0, window.padding[0], window.padding[1]}, {1, 1, 1, 1},
                     fill);
}

/// The loops (n, c, kh, kw, oh, ow) of a window reduction: the maps of the
/// padded input and of the output.
struct WindowMaps {
  WindowMaps(MLIRContext *ctx, const shapes::Pool2dWindow &window) {
    AffineExpr d[6];
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(d));
    input = AffineMap::get(6, 0,
                           {d[0], d[1], d[4] * window.stride[0] + d[2],
                            d[5] * window.stride[1] + d[3]},
                           ctx);
    output = AffineMap::get(6, 0, {d[0], d[1], d[4], d[5]}, ctx);
    kernel = AffineMap::get(6, 0, {d[2], d[3]}, ctx);
  }
  AffineMap input, output, kernel;
};

/// Whether the windows tile the input: no padding, each window inside one
/// stride (kernel <= stride) and the strides inside the input. The input is
/// then a view [N, C, OH, KH, OW, KW] (windowView) and every map a
/// projected permutation that reads rows contiguously, which vectorizes (a
/// read at oh*s + kh does not).
bool windowsTile(const shapes::Pool2dWindow &window, ArrayRef<int64_t> x,
                 ArrayRef<int64_t> y) {
  for (int d = 0; d < 2; ++d)
    if (window.padding[d] != 0 || window.kernel[d] > window.stride[d] ||
        y[2 + d] * window.stride[d] > x[2 + d])
      return false;
  return true;
}

/// `x` [N, C, H, W] as its windows [N, C, OH, KH, OW, KW] (windowsTile).
Value windowView(OpBuilder &b, Location loc, Value x,
                 const shapes::Pool2dWindow &window, ArrayRef<int64_t> y) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> s = type.getShape();
  Type element = type.getElementType();
  auto slice = [&](Value v, ArrayRef<int64_t> sizes) -> Value {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getShape() == sizes)
      return v;
    SmallVector<int64_t> zeros(sizes.size(), 0), ones(sizes.size(), 1);
    return b.create<tensor::ExtractSliceOp>(
        loc, RankedTensorType::get(sizes, element), v,
        getAsIndexOpFoldResult(ctx, zeros), getAsIndexOpFoldResult(ctx, sizes),
        getAsIndexOpFoldResult(ctx, ones));
  };
  int64_t s0 = window.stride[0], s1 = window.stride[1];
  Value strides = slice(x, {s[0], s[1], y[2] * s0, y[3] * s1});
  Value view = b.create<tensor::ExpandShapeOp>(
      loc, RankedTensorType::get({s[0], s[1], y[2], s0, y[3], s1}, element),
      strides, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4, 5}});
  return slice(view,
               {s[0], s[1], y[2], window.kernel[0], y[3], window.kernel[1]});
}

/// Computes a window reduction's new accumulator from the inputs' elements
/// and the accumulator (`args`) and the loops of the window position (kh,
/// kw) for linalg.index.
using WindowBody = llvm::function_ref<Value(
    OpBuilder &, Location, ValueRange args, int64_t khLoop, int64_t kwLoop)>;

/// The reduction over each window of `inputs` (the padded input first, then
/// tensors of the output's shape), from `init` to an `outShape` tensor.
Value reduceWindows(OpBuilder &b, Location loc, ValueRange inputs,
                    const shapes::Pool2dWindow &window,
                    ArrayRef<int64_t> outShape, TypedAttr init,
                    WindowBody body) {
  MLIRContext *ctx = b.getContext();
  auto outType = RankedTensorType::get(outShape, init.getType());
  Value acc = buildFilled(b, loc, outType, init);
  using utils::IteratorType;
  auto par = IteratorType::parallel, red = IteratorType::reduction;
  auto xShape = cast<RankedTensorType>(inputs[0].getType()).getShape();
  if (windowsTile(window, xShape, outShape)) {
    // Loops (n, c, oh, kh, ow, kw) over the window view.
    AffineExpr d[6];
    bindDimsList(ctx, MutableArrayRef<AffineExpr>(d));
    AffineMap out = AffineMap::get(6, 0, {d[0], d[1], d[2], d[4]}, ctx);
    SmallVector<Value> operands = {
        windowView(b, loc, inputs[0], window, outShape)};
    SmallVector<AffineMap> indexing = {
        AffineMap::getMultiDimIdentityMap(6, ctx)};
    for (Value in : inputs.drop_front()) {
      operands.push_back(in);
      indexing.push_back(out);
    }
    indexing.push_back(out);
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{outType}, operands, ValueRange{acc}, indexing,
            SmallVector<IteratorType>{par, par, par, red, par, red},
            [&](OpBuilder &nb, Location nloc, ValueRange args) {
              nb.create<linalg::YieldOp>(nloc, body(nb, nloc, args, 3, 5));
            })
        .getResult(0);
  }
  WindowMaps maps(ctx, window);
  // The loops kh and kw appear in no operand's map but as (k*s + kh): a
  // [KH, KW] tensor that the body does not read gives their extents (as
  // linalg's pooling ops do).
  SmallVector<Value> operands(inputs);
  operands.push_back(b.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{window.kernel[0], window.kernel[1]},
      init.getType()));
  SmallVector<AffineMap> indexing = {maps.input};
  for (size_t i = 1; i < inputs.size(); ++i)
    indexing.push_back(maps.output);
  indexing.push_back(maps.kernel);
  indexing.push_back(maps.output);
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{outType}, operands, ValueRange{acc}, indexing,
          SmallVector<IteratorType>{par, par, red, red, par, par},
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            SmallVector<Value> read(args.drop_back(2));
            read.push_back(args.back());
            nb.create<linalg::YieldOp>(nloc, body(nb, nloc, read, 2, 3));
          })
      .getResult(0);
}

/// The input gradient of a pooling whose windows tile the input: one
/// generic over the window view of dx, [N, C, OH, KH, OW, KW], each element
/// `share(args, kh, kw)` from `inputs` (tensors of the output's shape, read
/// at the element's window); the input positions no window reads are 0.
Value tiledScatter(OpBuilder &b, Location loc, RankedTensorType xType,
                   ArrayRef<int64_t> y, const shapes::Pool2dWindow &window,
                   ValueRange inputs,
                   llvm::function_ref<Value(OpBuilder &, Location, ValueRange,
                                            Value kh, Value kw)>
                       share) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> x = xType.getShape();
  Type element = xType.getElementType();
  int64_t s0 = window.stride[0], s1 = window.stride[1];
  auto viewType =
      RankedTensorType::get({x[0], x[1], y[2], s0, y[3], s1}, element);
  AffineExpr d[6];
  bindDimsList(ctx, MutableArrayRef<AffineExpr>(d));
  AffineMap out = AffineMap::get(6, 0, {d[0], d[1], d[2], d[4]}, ctx);
  SmallVector<MappedOperand> mapped;
  for (Value in : inputs)
    mapped.push_back({in, out});
  Value view = buildElementwise(
      b, loc, viewType, mapped,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value kh = nb.create<linalg::IndexOp>(nloc, 3);
        Value kw = nb.create<linalg::IndexOp>(nloc, 5);
        Value value = share(nb, nloc, args, kh, kw);
        if (window.kernel[0] == s0 && window.kernel[1] == s1)
          return value;
        // Positions of a stride past the kernel belong to no window.
        auto below = [&](Value i, int64_t k) {
          return nb.create<arith::CmpIOp>(
              nloc, arith::CmpIPredicate::ult, i,
              nb.create<arith::ConstantIndexOp>(nloc, k));
        };
        Value inside = nb.create<arith::AndIOp>(
            nloc, below(kh, window.kernel[0]), below(kw, window.kernel[1]));
        return nb
            .create<arith::SelectOp>(nloc, inside, value,
                                     buildFloat(nb, nloc, element, 0.0))
            .getResult();
      });
  Value rows = b.create<tensor::CollapseShapeOp>(
      loc, RankedTensorType::get({x[0], x[1], y[2] * s0, y[3] * s1}, element),
      view, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4, 5}});
  return buildPlaced(b, loc, rows, x, {0, 0, 0, 0}, {1, 1, 1, 1},
                     b.getZeroAttr(element));
}

/// The -inf padding of max pooling.
TypedAttr lowest(Value x) {
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  return FloatAttr::get(element, -std::numeric_limits<double>::infinity());
}

/// The window maxima of the -inf-padded input `xp` (NaN-propagating, as
/// PyTorch).
Value windowMax(OpBuilder &b, Location loc, Value xp,
                const shapes::Pool2dWindow &window,
                ArrayRef<int64_t> outShape) {
  return reduceWindows(
      b, loc, xp, window, outShape, lowest(xp),
      [](OpBuilder &nb, Location nloc, ValueRange args, int64_t, int64_t) {
        return nb.create<arith::MaximumFOp>(nloc, args[0], args[1]);
      });
}

struct MaxPool2dToLinalg : public OpConversionPattern<MaxPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    shapes::Pool2dWindow window = op.getWindow();
    Value xp = padded(rewriter, loc, adaptor.getInput(), window,
                      lowest(adaptor.getInput()));
    rewriter.replaceOp(
        op, windowMax(rewriter, loc, xp, window, op.getType().getShape()));
    return success();
  }
};

struct AvgPool2dToLinalg : public OpConversionPattern<AvgPool2dOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPool2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    shapes::Pool2dWindow window = op.getWindow();
    auto type = cast<RankedTensorType>(op.getType());
    Type element = type.getElementType();
    Value xp = padded(rewriter, loc, adaptor.getInput(), window,
                      rewriter.getZeroAttr(element));
    Value sum = reduceWindows(
        rewriter, loc, xp, window, type.getShape(),
        rewriter.getZeroAttr(element),
        [](OpBuilder &nb, Location nloc, ValueRange args, int64_t, int64_t) {
          return nb.create<arith::AddFOp>(nloc, args[0], args[1]);
        });
    // Divide (not multiply by the reciprocal), as PyTorch does.
    double count = window.kernel[0] * window.kernel[1];
    Value mean = buildElementwise(
        rewriter, loc, type,
        {{sum, AffineMap::getMultiDimIdentityMap(4, rewriter.getContext())}},
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          return nb.create<arith::DivFOp>(nloc, args[0],
                                          buildFloat(nb, nloc, element, count));
        });
    rewriter.replaceOp(op, mean);
    return success();
  }
};

/// The geometry of a pooling window (dilation 1).
WindowGeometry geometryOf(const shapes::Pool2dWindow &window) {
  WindowGeometry g;
  for (int d = 0; d < 2; ++d) {
    g.kernel[d] = window.kernel[d];
    g.stride[d] = window.stride[d];
    g.padding[d] = window.padding[d];
  }
  return g;
}

struct MaxPool2dBackwardToLinalg
    : public OpConversionPattern<MaxPool2dBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPool2dBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    shapes::Pool2dWindow window = op.getWindow();
    auto xType = cast<RankedTensorType>(op.getType());
    auto yType = cast<RankedTensorType>(adaptor.getDy().getType());
    Value xp = padded(rewriter, loc, adaptor.getInput(), window,
                      lowest(adaptor.getInput()));
    Value y = windowMax(rewriter, loc, xp, window, yType.getShape());
    // The row-major index kh KW + kw of each window's first maximum (or
    // first NaN): the least index whose element equals the maximum.
    int64_t kw = window.kernel[1], count = window.kernel[0] * window.kernel[1];
    Type i32 = rewriter.getI32Type();
    Value first = reduceWindows(
        rewriter, loc, ValueRange{xp, y}, window, yType.getShape(),
        rewriter.getI32IntegerAttr(count),
        [&](OpBuilder &nb, Location nloc, ValueRange args, int64_t khLoop,
            int64_t kwLoop) {
          Value hit = nb.create<arith::OrIOp>(
              nloc,
              nb.create<arith::CmpFOp>(nloc, arith::CmpFPredicate::OEQ, args[0],
                                       args[1]),
              nb.create<arith::CmpFOp>(nloc, arith::CmpFPredicate::UNO, args[0],
                                       args[0]));
          Value index = nb.create<arith::AddIOp>(
              nloc,
              nb.create<arith::MulIOp>(
                  nloc, nb.create<linalg::IndexOp>(nloc, khLoop),
                  nb.create<arith::ConstantIndexOp>(nloc, kw)),
              nb.create<linalg::IndexOp>(nloc, kwLoop));
          Value candidate = nb.create<arith::SelectOp>(
              nloc, hit, nb.create<arith::IndexCastOp>(nloc, i32, index),
              nb.create<arith::ConstantIntOp>(nloc, count, i32));
          return nb.create<arith::MinSIOp>(nloc, args[2], candidate);
        });
    if (windowsTile(window, xType.getShape(), yType.getShape())) {
      rewriter.replaceOp(
          op,
          tiledScatter(rewriter, loc, xType, yType.getShape(), window,
                       ValueRange{first, adaptor.getDy()},
                       [&](OpBuilder &nb, Location nloc, ValueRange args,
                           Value kh, Value kwIndex) {
                         Value k = nb.create<arith::AddIOp>(
                             nloc,
                             nb.create<arith::MulIOp>(
                                 nloc, kh,
                                 nb.create<arith::ConstantIndexOp>(nloc, kw)),
                             kwIndex);
                         Value routed = nb.create<arith::CmpIOp>(
                             nloc, arith::CmpIPredicate::eq, args[0],
                             nb.create<arith::IndexCastOp>(nloc, i32, k));
                         return nb
                             .create<arith::SelectOp>(
                                 nloc, routed, args[1],
                                 buildFloat(nb, nloc, args[1].getType(), 0.0))
                             .getResult();
                       }));
      return success();
    }
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    Value dx = buildWindowScatter(
        rewriter, loc, xType, yType.getShape().drop_front(2),
        geometryOf(window),
        [&](Value current, const WindowBox &box, int64_t kh, int64_t kwIndex) {
          int64_t k = kh * kw + kwIndex;
          return buildElementwise(
              rewriter, loc, cast<RankedTensorType>(current.getType()),
              {{current, identity},
               {sliceBox(rewriter, loc, first, box), identity},
               {sliceBox(rewriter, loc, adaptor.getDy(), box), identity}},
              [&](OpBuilder &nb, Location nloc, ValueRange args) {
                Value routed = nb.create<arith::CmpIOp>(
                    nloc, arith::CmpIPredicate::eq, args[1],
                    nb.create<arith::ConstantIntOp>(nloc, k, i32));
                Value zero = buildFloat(nb, nloc, args[2].getType(), 0.0);
                return nb.create<arith::AddFOp>(
                    nloc, args[0],
                    nb.create<arith::SelectOp>(nloc, routed, args[2], zero));
              });
        });
    rewriter.replaceOp(op, dx);
    return success();
  }
};

struct AvgPool2dBackwardToLinalg
    : public OpConversionPattern<AvgPool2dBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPool2dBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    shapes::Pool2dWindow window = op.getWindow();
    auto xType = cast<RankedTensorType>(op.getType());
    auto yType = cast<RankedTensorType>(adaptor.getDy().getType());
    double count = window.kernel[0] * window.kernel[1];
    if (windowsTile(window, xType.getShape(), yType.getShape())) {
      rewriter.replaceOp(
          op,
          tiledScatter(
              rewriter, loc, xType, yType.getShape(), window,
              ValueRange{adaptor.getDy()},
              [&](OpBuilder &nb, Location nloc, ValueRange args, Value, Value) {
                return nb.create<arith::DivFOp>(
                    nloc, args[0],
                    buildFloat(nb, nloc, args[0].getType(), count));
              }));
      return success();
    }
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    Value dx = buildWindowScatter(
        rewriter, loc, xType, yType.getShape().drop_front(2),
        geometryOf(window),
        [&](Value current, const WindowBox &box, int64_t, int64_t) {
          return buildElementwise(
              rewriter, loc, cast<RankedTensorType>(current.getType()),
              {{current, identity},
               {sliceBox(rewriter, loc, adaptor.getDy(), box), identity}},
              [&](OpBuilder &nb, Location nloc, ValueRange args) {
                Value share = nb.create<arith::DivFOp>(
                    nloc, args[1],
                    buildFloat(nb, nloc, args[1].getType(), count));
                return nb.create<arith::AddFOp>(nloc, args[0], share);
              });
        });
    rewriter.replaceOp(op, dx);
    return success();
  }
};

} // namespace

void dlc::dl::populateDLPoolToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPool2dToLinalg, AvgPool2dToLinalg, MaxPool2dBackwardToLinalg,
               AvgPool2dBackwardToLinalg>(patterns.getContext());
}
