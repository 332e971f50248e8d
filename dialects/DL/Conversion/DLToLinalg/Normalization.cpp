//===- Normalization.cpp - dl.batch_norm, dl.layer_norm, gradients, linalg ===//
//
// Part of dlc. Per channel c (dimension 1) over the M other elements:
//  - batch_norm: two reductions (sum x, then sum (x - mean)^2: the two-pass
//    variance), a per-channel scale = gamma / sqrt(var + eps) and shift =
//    beta - mean scale, then y = x scale + shift in one elementwise pass.
//  - batch_norm_backward: the reductions sum dy and sum dy (x - mean), then
//    per channel a = gamma istd, k = a istd^2 sum dy (x - mean) / M and
//    o = k mean - a sum dy / M, and dx = a dy - k x + o in one pass.
//  - layer_norm, per row over the last axis: the row sums of x and of
//    (x - mean)^2, rstd = 1 / sqrt(var + eps), y in one pass; its backward
//    the row sums of g = dy gamma and g xhat, dx in one pass, and dgamma and
//    dbeta as sums over the rows.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace dlc::dl;

namespace {

/// The maps and sizes of a per-channel computation over x [N, C, ...].
struct ChannelSpace {
  ChannelSpace(OpBuilder &b, RankedTensorType x) : x(x) {
    MLIRContext *ctx = b.getContext();
    int64_t rank = x.getRank();
    all = AffineMap::getMultiDimIdentityMap(rank, ctx);
    channel = AffineMap::get(rank, 0, {b.getAffineDimExpr(1)}, ctx);
    for (int64_t d = 0; d < rank; ++d)
      if (d != 1)
        axes.push_back(d);
    count = double(x.getNumElements()) / x.getDimSize(1);
    stats = RankedTensorType::get({x.getDimSize(1)}, x.getElementType());
    identity1 = AffineMap::getMultiDimIdentityMap(1, ctx);
  }
  /// sum over the non-channel axes of body(inputs...) (the body returns the
  /// term; the sum is added here). `inputs`' maps are over x's dimensions.
  /// With spatial dimensions, in two steps: partial sums per (channel,
  /// position along the last dimension), over loops (c, n, ..., w) whose
  /// innermost w stays parallel (vector accumulators, no horizontal
  /// reduction per tile), then their sum over w.
  Value sum(OpBuilder &b, Location loc, ArrayRef<MappedOperand> inputs,
            ElementBuilder term) const {
    auto add = [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
      Value t = term(nb, nloc, args.drop_back());
      return nb.create<arith::AddFOp>(nloc, t, args.back());
    };
    TypedAttr zero = b.getZeroAttr(x.getElementType());
    int64_t rank = x.getRank();
    if (rank < 3)
      return buildReduction(b, loc, x.getShape(), axes, inputs, zero, add);
    MLIRContext *ctx = b.getContext();
    // Loop i of (c, n, d2, ..., w) is x's dimension order[i].
    SmallVector<AffineExpr> old(rank);
    old[0] = b.getAffineDimExpr(1);
    old[1] = b.getAffineDimExpr(0);
    for (int64_t d = 2; d < rank; ++d)
      old[d] = b.getAffineDimExpr(d);
    AffineMap toOld = AffineMap::get(rank, 0, old, ctx);
    SmallVector<Value> values;
    SmallVector<AffineMap> maps;
    for (const MappedOperand &in : inputs) {
      values.push_back(in.value);
      maps.push_back(in.map.compose(toOld));
    }
    int64_t w = x.getDimSize(rank - 1);
    auto partialType =
        RankedTensorType::get({x.getDimSize(1), w}, x.getElementType());
    maps.push_back(AffineMap::get(
        rank, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(rank - 1)}, ctx));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::reduction);
    iterators.front() = iterators.back() = utils::IteratorType::parallel;
    Value partials =
        b.create<linalg::GenericOp>(
             loc, TypeRange{partialType}, values,
             ValueRange{buildFilled(b, loc, partialType, zero)}, maps,
             iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               nb.create<linalg::YieldOp>(nloc, add(nb, nloc, args));
             })
            .getResult(0);
    return buildReduction(
        b, loc, partialType.getShape(), {1},
        {{partials, AffineMap::getMultiDimIdentityMap(2, ctx)}}, zero,
        [](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          return nb.create<arith::AddFOp>(nloc, args[0], args[1]);
        });
  }
  /// A per-channel value [C] from per-channel inputs.
  Value perChannel(OpBuilder &b, Location loc, ValueRange inputs,
                   ElementBuilder body) const {
    SmallVector<MappedOperand> in;
    for (Value v : inputs)
      in.push_back({v, identity1});
    return buildElementwise(b, loc, stats, in, body);
  }
  Value constant(OpBuilder &b, Location loc, double v) const {
    return buildFloat(b, loc, x.getElementType(), v);
  }

  RankedTensorType x, stats;
  AffineMap all, channel, identity1;
  SmallVector<int64_t> axes;
  double count;
};

/// 1 / sqrt(variance + eps).
Value inverseStd(OpBuilder &b, Location loc, Value variance, double eps,
                 const ChannelSpace &space) {
  return space.perChannel(
      b, loc, variance, [&](OpBuilder &nb, Location nloc, ValueRange a) {
        Value e = space.constant(nb, nloc, eps);
        Value s = nb.create<math::SqrtOp>(
            nloc, nb.create<arith::AddFOp>(nloc, a[0], e));
        return nb.create<arith::DivFOp>(nloc, space.constant(nb, nloc, 1.0), s)
            .getResult();
      });
}

struct BatchNormToLinalg : public OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    ChannelSpace space(rewriter, cast<RankedTensorType>(x.getType()));
    double inv = 1.0 / space.count;
    auto scaled = [&](OpBuilder &b, Location l, ValueRange a) -> Value {
      return b.create<arith::MulFOp>(l, a[0], space.constant(b, l, inv));
    };
    Value mean = space.perChannel(
        rewriter, loc,
        space.sum(rewriter, loc, {{x, space.all}},
                  [](OpBuilder &, Location, ValueRange a) { return a[0]; }),
        scaled);
    Value squares =
        space.sum(rewriter, loc, {{x, space.all}, {mean, space.channel}},
                  [](OpBuilder &b, Location l, ValueRange a) -> Value {
                    Value d = b.create<arith::SubFOp>(l, a[0], a[1]);
                    return b.create<arith::MulFOp>(l, d, d);
                  });
    Value variance = space.perChannel(rewriter, loc, squares, scaled);
    Value istd = inverseStd(rewriter, loc, variance,
                            op.getEps().convertToDouble(), space);
    Value scale =
        space.perChannel(rewriter, loc, {adaptor.getGamma(), istd},
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return b.create<arith::MulFOp>(l, a[0], a[1]);
                         });
    Value shift =
        space.perChannel(rewriter, loc, {adaptor.getBeta(), mean, scale},
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           Value ms = b.create<arith::MulFOp>(l, a[1], a[2]);
                           return b.create<arith::SubFOp>(l, a[0], ms);
                         });
    Value y = buildElementwise(
        rewriter, loc, space.x,
        {{x, space.all}, {scale, space.channel}, {shift, space.channel}},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value xs = b.create<arith::MulFOp>(l, a[0], a[1]);
          return b.create<arith::AddFOp>(l, xs, a[2]);
        });
    rewriter.replaceOp(op, {y, mean, variance});
    return success();
  }
};

struct BatchNormBackwardToLinalg
    : public OpConversionPattern<BatchNormBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput(), dy = adaptor.getDy();
    Value mean = adaptor.getMean();
    ChannelSpace space(rewriter, cast<RankedTensorType>(x.getType()));
    Value sumDy =
        space.sum(rewriter, loc, {{dy, space.all}},
                  [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    Value sumDyX = space.sum(
        rewriter, loc, {{dy, space.all}, {x, space.all}, {mean, space.channel}},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = b.create<arith::SubFOp>(l, a[1], a[2]);
          return b.create<arith::MulFOp>(l, a[0], d);
        });
    Value istd = inverseStd(rewriter, loc, adaptor.getVariance(),
                            op.getEps().convertToDouble(), space);
    double inv = 1.0 / space.count;
    // a = gamma istd; k = a istd^2 sumDyX / M; o = k mean - a sumDy / M.
    Value a =
        space.perChannel(rewriter, loc, {adaptor.getGamma(), istd},
                         [](OpBuilder &b, Location l, ValueRange v) -> Value {
                           return b.create<arith::MulFOp>(l, v[0], v[1]);
                         });
    Value k = space.perChannel(
        rewriter, loc, {a, istd, sumDyX},
        [&](OpBuilder &b, Location l, ValueRange v) -> Value {
          Value i2 = b.create<arith::MulFOp>(l, v[1], v[1]);
          Value t = b.create<arith::MulFOp>(
              l, b.create<arith::MulFOp>(l, v[0], i2), v[2]);
          return b.create<arith::MulFOp>(l, t, space.constant(b, l, inv));
        });
    Value o =
        space.perChannel(rewriter, loc, {k, mean, a, sumDy},
                         [&](OpBuilder &b, Location l, ValueRange v) -> Value {
                           Value km = b.create<arith::MulFOp>(l, v[0], v[1]);
                           Value as = b.create<arith::MulFOp>(
                               l, b.create<arith::MulFOp>(l, v[2], v[3]),
                               space.constant(b, l, inv));
                           return b.create<arith::SubFOp>(l, km, as);
                         });
    Value dx =
        buildElementwise(rewriter, loc, space.x,
                         {{dy, space.all},
                          {x, space.all},
                          {a, space.channel},
                          {k, space.channel},
                          {o, space.channel}},
                         [](OpBuilder &b, Location l, ValueRange v) -> Value {
                           Value ady = b.create<arith::MulFOp>(l, v[2], v[0]);
                           Value kx = b.create<arith::MulFOp>(l, v[3], v[1]);
                           return b.create<arith::AddFOp>(
                               l, b.create<arith::SubFOp>(l, ady, kx), v[4]);
                         });
    // dgamma = istd sumDyX; dbeta = sumDy.
    Value dgamma =
        space.perChannel(rewriter, loc, {istd, sumDyX},
                         [](OpBuilder &b, Location l, ValueRange v) -> Value {
                           return b.create<arith::MulFOp>(l, v[0], v[1]);
                         });
    rewriter.replaceOp(op, {dx, dgamma, sumDy});
    return success();
  }
};

/// The maps and sizes of a per-row computation over x [R..., D] (rows: all
/// but the last axis).
struct RowSpace {
  RowSpace(OpBuilder &b, RankedTensorType x) : x(x) {
    MLIRContext *ctx = b.getContext();
    int64_t rank = x.getRank();
    all = AffineMap::getMultiDimIdentityMap(rank, ctx);
    row = getDroppingMap(ctx, rank, {rank - 1});
    feature = AffineMap::get(rank, 0, {b.getAffineDimExpr(rank - 1)}, ctx);
    for (int64_t d = 0; d + 1 < rank; ++d)
      rows.push_back(d);
    width = x.getShape().back();
    stats = RankedTensorType::get(x.getShape().drop_back(), x.getElementType());
    features = RankedTensorType::get({width}, x.getElementType());
  }
  /// Per row, the sum over the row of term(inputs...).
  Value rowSum(OpBuilder &b, Location loc, ArrayRef<MappedOperand> inputs,
               ElementBuilder term) const {
    return sum(b, loc, {x.getRank() - 1}, inputs, term);
  }
  /// Per feature, the sum over the rows of term(inputs...).
  Value featureSum(OpBuilder &b, Location loc, ArrayRef<MappedOperand> inputs,
                   ElementBuilder term) const {
    return sum(b, loc, rows, inputs, term);
  }
  /// A per-row value from per-row inputs.
  Value perRow(OpBuilder &b, Location loc, ValueRange inputs,
               ElementBuilder body) const {
    SmallVector<MappedOperand> in;
    AffineMap id =
        AffineMap::getMultiDimIdentityMap(stats.getRank(), b.getContext());
    for (Value v : inputs)
      in.push_back({v, id});
    return buildElementwise(b, loc, stats, in, body);
  }
  Value constant(OpBuilder &b, Location loc, double v) const {
    return buildFloat(b, loc, x.getElementType(), v);
  }

  RankedTensorType x, stats, features;
  AffineMap all, row, feature;
  SmallVector<int64_t> rows;
  int64_t width;

private:
  Value sum(OpBuilder &b, Location loc, ArrayRef<int64_t> axes,
            ArrayRef<MappedOperand> inputs, ElementBuilder term) const {
    return buildReduction(
        b, loc, x.getShape(), axes, inputs, b.getZeroAttr(x.getElementType()),
        [&](OpBuilder &nb, Location nloc, ValueRange args) -> Value {
          Value t = term(nb, nloc, args.drop_back());
          return nb.create<arith::AddFOp>(nloc, t, args.back());
        });
  }
};

/// (x - mean) rstd, from a row's x, mean and rstd.
Value normalized(OpBuilder &b, Location l, Value x, Value mean, Value rstd) {
  return b.create<arith::MulFOp>(l, b.create<arith::SubFOp>(l, x, mean), rstd);
}

struct LayerNormToLinalg : public OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    RowSpace space(rewriter, cast<RankedTensorType>(x.getType()));
    double inv = 1.0 / double(space.width), eps = op.getEps().convertToDouble();
    Value mean = space.perRow(
        rewriter, loc,
        space.rowSum(rewriter, loc, {{x, space.all}},
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; }),
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return b.create<arith::MulFOp>(l, a[0], space.constant(b, l, inv));
        });
    // The two-pass variance, then 1 / sqrt(var + eps).
    Value squares =
        space.rowSum(rewriter, loc, {{x, space.all}, {mean, space.row}},
                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                       Value d = b.create<arith::SubFOp>(l, a[0], a[1]);
                       return b.create<arith::MulFOp>(l, d, d);
                     });
    Value rstd = space.perRow(
        rewriter, loc, squares, [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = b.create<arith::MulFOp>(l, a[0], space.constant(b, l, inv));
          Value s = b.create<math::SqrtOp>(
              l, b.create<arith::AddFOp>(l, v, space.constant(b, l, eps)));
          return b.create<arith::DivFOp>(l, space.constant(b, l, 1.0), s)
              .getResult();
        });
    Value y = buildElementwise(
        rewriter, loc, space.x,
        {{x, space.all},
         {mean, space.row},
         {rstd, space.row},
         {adaptor.getGamma(), space.feature},
         {adaptor.getBeta(), space.feature}},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value xhat = normalized(b, l, a[0], a[1], a[2]);
          return b.create<arith::AddFOp>(
              l, b.create<arith::MulFOp>(l, xhat, a[3]), a[4]);
        });
    rewriter.replaceOp(op, {y, mean, rstd});
    return success();
  }
};

struct LayerNormBackwardToLinalg
    : public OpConversionPattern<LayerNormBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput(), dy = adaptor.getDy();
    Value gamma = adaptor.getGamma(), mean = adaptor.getMean(),
          rstd = adaptor.getRstd();
    RowSpace space(rewriter, cast<RankedTensorType>(x.getType()));
    double inv = 1.0 / double(space.width);
    // Per row: sum g and sum g xhat, g = dy gamma.
    Value sumG =
        space.rowSum(rewriter, loc, {{dy, space.all}, {gamma, space.feature}},
                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                       return b.create<arith::MulFOp>(l, a[0], a[1]);
                     });
    Value sumGX = space.rowSum(
        rewriter, loc,
        {{dy, space.all},
         {gamma, space.feature},
         {x, space.all},
         {mean, space.row},
         {rstd, space.row}},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value g = b.create<arith::MulFOp>(l, a[0], a[1]);
          return b.create<arith::MulFOp>(l, g,
                                         normalized(b, l, a[2], a[3], a[4]));
        });
    // dx = rstd (g - sumG / D - xhat sumGX / D).
    Value dx = buildElementwise(
        rewriter, loc, space.x,
        {{dy, space.all},
         {gamma, space.feature},
         {x, space.all},
         {mean, space.row},
         {rstd, space.row},
         {sumG, space.row},
         {sumGX, space.row}},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value c = space.constant(b, l, inv);
          Value g = b.create<arith::MulFOp>(l, a[0], a[1]);
          Value xhat = normalized(b, l, a[2], a[3], a[4]);
          Value t = b.create<arith::SubFOp>(
              l, g, b.create<arith::MulFOp>(l, a[5], c));
          t = b.create<arith::SubFOp>(
              l, t,
              b.create<arith::MulFOp>(l, xhat,
                                      b.create<arith::MulFOp>(l, a[6], c)));
          return b.create<arith::MulFOp>(l, a[4], t);
        });
    // Over the rows: dgamma = sum dy xhat, dbeta = sum dy.
    Value dgamma = space.featureSum(
        rewriter, loc,
        {{dy, space.all}, {x, space.all}, {mean, space.row}, {rstd, space.row}},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return b.create<arith::MulFOp>(l, a[0],
                                         normalized(b, l, a[1], a[2], a[3]));
        });
    Value dbeta =
        space.featureSum(rewriter, loc, {{dy, space.all}},
                         [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    rewriter.replaceOp(op, {dx, dgamma, dbeta});
    return success();
  }
};

} // namespace

void dlc::dl::populateDLNormalizationToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormToLinalg, BatchNormBackwardToLinalg, LayerNormToLinalg,
               LayerNormBackwardToLinalg>(patterns.getContext());
}
