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

/// The reduction over each window of `inputs` (the padded input first, then
/// tensors of the output's shape), from `init` to an `outShape` tensor.
Value reduceWindows(OpBuilder &b, Location loc, ValueRange inputs,
                    const shapes::Pool2dWindow &window,
                    ArrayRef<int64_t> outShape, TypedAttr init,
                    ElementBuilder body) {
  MLIRContext *ctx = b.getContext();
  WindowMaps maps(ctx, window);
  auto outType = RankedTensorType::get(outShape, init.getType());
  Value acc = buildFilled(b, loc, outType, init);
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
  using utils::IteratorType;
  SmallVector<IteratorType> iterators = {
      IteratorType::parallel,  IteratorType::parallel, IteratorType::reduction,
      IteratorType::reduction, IteratorType::parallel, IteratorType::parallel};
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{outType}, operands, ValueRange{acc}, indexing,
          iterators,
          [&](OpBuilder &nb, Location nloc, ValueRange args) {
            SmallVector<Value> read(args.drop_back(2));
            read.push_back(args.back());
            nb.create<linalg::YieldOp>(nloc, body(nb, nloc, read));
          })
      .getResult(0);
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
  return reduceWindows(b, loc, xp, window, outShape, lowest(xp),
                       [](OpBuilder &nb, Location nloc, ValueRange args) {
                         return nb.create<arith::MaximumFOp>(nloc, args[0],
                                                             args[1]);
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
    Value sum =
        reduceWindows(rewriter, loc, xp, window, type.getShape(),
                      rewriter.getZeroAttr(element),
                      [](OpBuilder &nb, Location nloc, ValueRange args) {
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
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value hit = nb.create<arith::OrIOp>(
              nloc,
              nb.create<arith::CmpFOp>(nloc, arith::CmpFPredicate::OEQ, args[0],
                                       args[1]),
              nb.create<arith::CmpFOp>(nloc, arith::CmpFPredicate::UNO, args[0],
                                       args[0]));
          Value index = nb.create<arith::AddIOp>(
              nloc,
              nb.create<arith::MulIOp>(
                  nloc, nb.create<linalg::IndexOp>(nloc, 2),
                  nb.create<arith::ConstantIndexOp>(nloc, kw)),
              nb.create<linalg::IndexOp>(nloc, 3));
          Value candidate = nb.create<arith::SelectOp>(
              nloc, hit, nb.create<arith::IndexCastOp>(nloc, i32, index),
              nb.create<arith::ConstantIntOp>(nloc, count, i32));
          return nb.create<arith::MinSIOp>(nloc, args[2], candidate);
        });
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
