//===- Attention.cpp - dl.attention and its backward, fused ---------------===//
//
// Part of dlc. Attention as FlashAttention computes it: one loop nest over
// the batch (the leading dimensions collapsed into N) and blocks of queries
// and keys, whose tiles are linalg ops that tile and vectorize like any
// others (the score and product tiles are linalg.matmul). The forward keeps
// a running max m, sum l and output accumulator per query row (the online
// softmax) and stores only the output and lse = m + log l; the backward
// (FlashAttention-2's: keys outer, queries inner) recomputes each tile's
// probabilities from lse. Neither stores the [N, Tq, Tk] probabilities:
// the largest temporary is one [block, block] tile. With `causal`, blocks
// entirely above the diagonal are skipped.
//
// k (and in the backward q and dO) are transposed once per call, so that
// every tile product is a plain matmul: S = Q_t (k^T)_t in the forward,
// S^T = K_t (q^T)_t in the backward, whose dq is accumulated transposed.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace dlc::dl;

namespace {

/// The block of a sequence of `length` queries or keys: the whole sequence
/// up to 64 (one tile: no online rescaling at all), else the largest of 64,
/// 32, 16, 8 that divides it (else, again, the whole sequence). 64 keeps a
/// [64, 64] score tile and the [64, D] operand tiles in L1 for D <= 64.
int64_t blockOf(int64_t length) {
  if (length <= 64)
    return length;
  for (int64_t block : {64, 32, 16, 8})
    if (length % block == 0)
      return block;
  return length;
}

/// -inf of `element` type.
TypedAttr minusInfAttr(OpBuilder &b, FloatType element) {
  return b.getFloatAttr(element,
                        APFloat::getInf(element.getFloatSemantics(), true));
}

/// The sizes of one attention: N (the batch dimensions, collapsed), the
/// query and key lengths and blocks, the head widths.
struct Geometry {
  int64_t n = 1, tq, tk, d, dv, bq, bk;
  SmallVector<int64_t> batch; ///< the dimensions collapsed into N
  FloatType element;

  Geometry(RankedTensorType q, RankedTensorType k, RankedTensorType v) {
    int64_t rank = q.getRank();
    batch.assign(q.getShape().begin(), q.getShape().end() - 2);
    for (int64_t size : batch)
      n *= size;
    tq = q.getDimSize(rank - 2);
    d = q.getDimSize(rank - 1);
    tk = k.getDimSize(rank - 2);
    dv = v.getDimSize(rank - 1);
    bq = blockOf(tq);
    bk = blockOf(tk);
    element = cast<FloatType>(q.getElementType());
  }
  RankedTensorType type(ArrayRef<int64_t> shape) const {
    return RankedTensorType::get(shape, element);
  }
  TypedAttr zero(OpBuilder &b) const { return b.getZeroAttr(element); }
  TypedAttr minusInf(OpBuilder &b) const {
    return minusInfAttr(b, element);
  }
};

/// Builds the loop nest's pieces at one location.
struct Builder {
  OpBuilder &b;
  Location loc;
  const Geometry &g;

  Value index(int64_t value) {
    return b.create<arith::ConstantIndexOp>(loc, value);
  }
  Value constant(double value) { return buildFloat(b, loc, g.element, value); }

  /// `value` [A..., X] or [A..., X, Y] as [N, X] or [N, X, Y].
  Value collapse(Value value, unsigned keep) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape{g.n};
    llvm::append_range(shape, type.getShape().take_back(keep));
    return buildReshape(b, loc, value, g.type(shape));
  }
  /// `value` [N, ...] back as `type`.
  Value expand(Value value, Type type) {
    return buildReshape(b, loc, value, cast<RankedTensorType>(type));
  }

  /// A tensor of `shape` that nothing else shares (an alloc_tensor, which CSE
  /// does not merge: two iteration arguments must not start from one value).
  Value fresh(ArrayRef<int64_t> shape) {
    return b.create<bufferization::AllocTensorOp>(loc, g.type(shape),
                                                  ValueRange());
  }
  /// A fresh tensor of `shape` filled with `value`.
  Value filled(ArrayRef<int64_t> shape, TypedAttr value) {
    Value scalar = b.create<arith::ConstantOp>(loc, value);
    return b.create<linalg::FillOp>(loc, scalar, fresh(shape)).getResult(0);
  }

  /// t [N, X, Y] with its last two dimensions swapped.
  Value transpose(Value t) {
    auto type = cast<RankedTensorType>(t.getType());
    Value init = b.create<tensor::EmptyOp>(
        loc, ArrayRef<int64_t>{type.getDimSize(0), type.getDimSize(2),
                               type.getDimSize(1)},
        g.element);
    return b
        .create<linalg::TransposeOp>(loc, t, init,
                                     ArrayRef<int64_t>{0, 2, 1})
        ->getResult(0);
  }

  /// The [rows, cols] tile of t [N, X, Y] at (n, row, col).
  Value tile(Value t, Value n, OpFoldResult row, int64_t rows, OpFoldResult col,
             int64_t cols) {
    return b.create<tensor::ExtractSliceOp>(
        loc, g.type({rows, cols}), t, ArrayRef<OpFoldResult>{n, row, col},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(rows),
                               b.getIndexAttr(cols)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                               b.getIndexAttr(1)});
  }
  /// `value` [rows, cols] written into t [N, X, Y] at (n, row, col).
  Value putTile(Value value, Value t, Value n, OpFoldResult row,
                OpFoldResult col) {
    auto type = cast<RankedTensorType>(value.getType());
    return b.create<tensor::InsertSliceOp>(
        loc, value, t, ArrayRef<OpFoldResult>{n, row, col},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1),
                               b.getIndexAttr(type.getDimSize(0)),
                               b.getIndexAttr(type.getDimSize(1))},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                               b.getIndexAttr(1)});
  }
  /// The `size` elements of row n of t [N, X] from `offset`.
  Value row(Value t, Value n, OpFoldResult offset, int64_t size) {
    return b.create<tensor::ExtractSliceOp>(
        loc, g.type({size}), t, ArrayRef<OpFoldResult>{n, offset},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(size)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  }
  Value putRow(Value value, Value t, Value n, OpFoldResult offset) {
    auto type = cast<RankedTensorType>(value.getType());
    return b.create<tensor::InsertSliceOp>(
        loc, value, t, ArrayRef<OpFoldResult>{n, offset},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1),
                               b.getIndexAttr(type.getDimSize(0))},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  }

  /// lhs [M, K] @ rhs [K, N] added to `acc` [M, N].
  Value matmulInto(Value lhs, Value rhs, Value acc) {
    return b
        .create<linalg::MatmulOp>(loc, TypeRange{acc.getType()},
                                  ValueRange{lhs, rhs}, acc)
        .getResult(0);
  }
  /// lhs [M, K] @ rhs [K, N].
  Value matmul(Value lhs, Value rhs) {
    auto l = cast<RankedTensorType>(lhs.getType());
    auto r = cast<RankedTensorType>(rhs.getType());
    return matmulInto(lhs, rhs,
                      buildFilled(b, loc, g.type({l.getDimSize(0),
                                                  r.getDimSize(1)}),
                                  g.zero(b)));
  }

  /// A map of a 2-d iteration space to its dimension `d` alone.
  AffineMap dim(unsigned d) {
    return AffineMap::get(2, 0, b.getAffineDimExpr(d), b.getContext());
  }
  AffineMap identity(unsigned rank) { return b.getMultiDimIdentityMap(rank); }

  /// `m`, or 0 where it is -inf (a row that has seen no key yet), so that
  /// exp(x - m) of masked scores stays 0 rather than NaN.
  static Value finite(OpBuilder &nb, Location l, Value m, FloatType element) {
    Value minusInf =
        nb.create<arith::ConstantOp>(l, minusInfAttr(nb, element));
    Value isInf =
        nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, m, minusInf);
    Value zero = nb.create<arith::ConstantOp>(l, nb.getZeroAttr(element));
    return nb.create<arith::SelectOp>(l, isInf, zero, m);
  }
};

/// The mask tile of a (query block, key block) pair: the given mask, padded
/// to the scores' rank and read at the batch element of n, broadcast where
/// its dimensions are 1.
struct MaskTiles {
  Value mask; ///< null without a mask; else of the scores' rank
  SmallVector<int64_t> shape;

  MaskTiles(Builder &bb, Value given, int64_t scoreRank) {
    if (!given)
      return;
    auto type = cast<RankedTensorType>(given.getType());
    shape.assign(scoreRank - type.getRank(), 1);
    llvm::append_range(shape, type.getShape());
    mask = buildReshape(bb.b, bb.loc, given, bb.g.type(shape));
  }

  /// The tile for batch element n, queries from `qb` and keys from `kb`, read
  /// from an iteration space whose dimensions are (queries, keys), or (keys,
  /// queries) when `transposed`.
  MappedOperand read(Builder &bb, Value n, Value qb, Value kb,
                     bool transposed) {
    OpBuilder &b = bb.b;
    int64_t rank = shape.size();
    // The batch element's index per batch dimension (row-major in N).
    SmallVector<OpFoldResult> offsets, sizes, strides(rank, b.getIndexAttr(1));
    int64_t stride = bb.g.n;
    for (int64_t d = 0; d < rank - 2; ++d) {
      int64_t size = bb.g.batch[d];
      stride /= size;
      if (shape[d] == 1) {
        offsets.push_back(b.getIndexAttr(0));
      } else {
        Value quotient =
            b.create<arith::DivUIOp>(bb.loc, n, bb.index(stride));
        offsets.push_back(
            b.create<arith::RemUIOp>(bb.loc, quotient, bb.index(size))
                .getResult());
      }
      sizes.push_back(b.getIndexAttr(1));
    }
    int64_t rows = shape[rank - 2] == 1 ? 1 : bb.g.bq;
    int64_t cols = shape[rank - 1] == 1 ? 1 : bb.g.bk;
    offsets.push_back(rows == 1 ? OpFoldResult(b.getIndexAttr(0)) : qb);
    offsets.push_back(cols == 1 ? OpFoldResult(b.getIndexAttr(0)) : kb);
    sizes.push_back(b.getIndexAttr(rows));
    sizes.push_back(b.getIndexAttr(cols));
    Value tile = b.create<tensor::ExtractSliceOp>(
        bb.loc, bb.g.type({rows, cols}), mask, offsets, sizes, strides);
    MappedOperand mapped =
        broadcastOperand(b, bb.loc, tile, ArrayRef<int64_t>{bb.g.bq, bb.g.bk});
    if (transposed)
      mapped.map = mapped.map.compose(AffineMap::getPermutationMap(
          ArrayRef<unsigned>{1, 0}, b.getContext()));
    return mapped;
  }
};

/// In a generic over a (queries, keys) tile, or (keys, queries) when
/// `transposed`: the causal mask's -inf where key kb + j > query qb + i +
/// Tk - Tq, else `score`.
Value causalSelect(OpBuilder &nb, Location l, const Geometry &g, Value score,
                   Value qb, Value kb, bool transposed) {
  Value i = nb.create<linalg::IndexOp>(l, transposed ? 1 : 0);
  Value j = nb.create<linalg::IndexOp>(l, transposed ? 0 : 1);
  Value query = nb.create<arith::AddIOp>(l, qb, i);
  Value key = nb.create<arith::AddIOp>(l, kb, j);
  Value limit = nb.create<arith::AddIOp>(
      l, query, nb.create<arith::ConstantIndexOp>(l, g.tk - g.tq));
  Value masked =
      nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sgt, key, limit);
  Value minusInf = nb.create<arith::ConstantOp>(l, g.minusInf(nb));
  return nb.create<arith::SelectOp>(l, masked, minusInf, score);
}

/// The scaled, masked scores of a tile (queries, keys) or (keys, queries):
/// `raw` (the tile's q k^T) times the scale, plus the mask and the causal
/// mask; with `lse`, exp of that minus lse (the backward's probabilities).
Value scores(Builder &bb, Value raw, double scale, MaskTiles &mask,
             bool causal, Value n, Value qb, Value kb, bool transposed,
             Value lse = {}) {
  auto type = cast<RankedTensorType>(raw.getType());
  SmallVector<MappedOperand> inputs{{raw, bb.identity(2)}};
  if (lse)
    inputs.push_back({lse, bb.dim(transposed ? 1 : 0)});
  if (mask.mask)
    inputs.push_back(mask.read(bb, n, qb, kb, transposed));
  const Geometry &g = bb.g;
  bool hasMask = mask.mask != nullptr, hasLse = bool(lse);
  return buildElementwise(
      bb.b, bb.loc, type, inputs,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value s = nb.create<arith::MulFOp>(
            l, args[0], buildFloat(nb, l, g.element, scale));
        if (hasMask)
          s = nb.create<arith::AddFOp>(l, s, args.back());
        if (causal)
          s = causalSelect(nb, l, g, s, qb, kb, transposed);
        if (hasLse)
          s = nb.create<math::ExpOp>(l, nb.create<arith::SubFOp>(l, s, args[1]));
        return s;
      });
}

struct AttentionToLinalg : public OpConversionPattern<AttentionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto qType = cast<RankedTensorType>(adaptor.getQ().getType());
    Geometry g(qType, cast<RankedTensorType>(adaptor.getK().getType()),
               cast<RankedTensorType>(adaptor.getV().getType()));
    Builder bb{rewriter, loc, g};
    Value q = bb.collapse(adaptor.getQ(), 2);
    Value kT = bb.transpose(bb.collapse(adaptor.getK(), 2));
    Value v = bb.collapse(adaptor.getV(), 2);
    MaskTiles mask(bb, adaptor.getMask(), qType.getRank());
    double scale = op.getScale().convertToDouble();
    bool causal = op.getCausal();

    auto nLoop = rewriter.create<scf::ForOp>(
        loc, bb.index(0), bb.index(g.n), bb.index(1),
        ValueRange{bb.fresh({g.n, g.tq, g.dv}), bb.fresh({g.n, g.tq})});
    rewriter.setInsertionPointToStart(nLoop.getBody());
    Value n = nLoop.getInductionVar();
    auto qLoop = rewriter.create<scf::ForOp>(
        loc, bb.index(0), bb.index(g.tq), bb.index(g.bq),
        nLoop.getRegionIterArgs());
    rewriter.create<scf::YieldOp>(loc, qLoop.getResults());

    // One block of queries: the running max, sum and output over the keys.
    rewriter.setInsertionPointToStart(qLoop.getBody());
    Value qb = qLoop.getInductionVar();
    Value qTile = bb.tile(q, n, qb, g.bq, rewriter.getIndexAttr(0), g.d);
    Value keysEnd = bb.index(g.tk);
    if (causal) {
      // The keys the block's last query sees, rounded up to a whole block.
      Value last = rewriter.create<arith::AddIOp>(
          loc, qb, bb.index(g.bq + g.tk - g.tq + g.bk - 1));
      Value blocks = rewriter.create<arith::DivUIOp>(
          loc, rewriter.create<arith::MaxSIOp>(loc, last, bb.index(0)),
          bb.index(g.bk));
      keysEnd = rewriter.create<arith::MinSIOp>(
          loc, rewriter.create<arith::MulIOp>(loc, blocks, bb.index(g.bk)),
          keysEnd);
    }
    auto kLoop = rewriter.create<scf::ForOp>(
        loc, bb.index(0), keysEnd, bb.index(g.bk),
        ValueRange{bb.filled({g.bq}, g.minusInf(rewriter)),
                   bb.filled({g.bq}, g.zero(rewriter)),
                   bb.filled({g.bq, g.dv}, g.zero(rewriter))});
    {
      // The online softmax's step over one block of keys.
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(kLoop.getBody());
      Value kb = kLoop.getInductionVar();
      Value m = kLoop.getRegionIterArg(0), l = kLoop.getRegionIterArg(1),
            acc = kLoop.getRegionIterArg(2);
      Value s = scores(bb,
                       bb.matmul(qTile, bb.tile(kT, n, rewriter.getIndexAttr(0),
                                                g.d, kb, g.bk)),
                       scale, mask, causal, n, qb, kb, /*transposed=*/false);
      FloatType element = g.element;
      Value rowMax = buildReduction(
          rewriter, loc, {g.bq, g.bk}, {1}, {{s, bb.identity(2)}},
          g.minusInf(rewriter),
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return nb.create<arith::MaximumFOp>(nl, args[0], args[1]);
          });
      auto rowType = g.type({g.bq});
      Value mNew = buildElementwise(
          rewriter, loc, rowType, {{m, bb.identity(1)}, {rowMax, bb.identity(1)}},
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return nb.create<arith::MaximumFOp>(nl, args[0], args[1]);
          });
      Value p = buildElementwise(
          rewriter, loc, g.type({g.bq, g.bk}),
          {{s, bb.identity(2)}, {mNew, bb.dim(0)}},
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return nb.create<math::ExpOp>(
                nl, nb.create<arith::SubFOp>(
                        nl, args[0],
                        Builder::finite(nb, nl, args[1], element)));
          });
      // alpha = exp(m - m'): how much the row's earlier keys shrink.
      Value alpha = buildElementwise(
          rewriter, loc, rowType, {{m, bb.identity(1)}, {mNew, bb.identity(1)}},
          [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return nb.create<math::ExpOp>(
                nl, nb.create<arith::SubFOp>(
                        nl, args[0],
                        Builder::finite(nb, nl, args[1], element)));
          });
      Value rowSum = buildReduction(
          rewriter, loc, {g.bq, g.bk}, {1}, {{p, bb.identity(2)}},
          g.zero(rewriter),
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return nb.create<arith::AddFOp>(nl, args[0], args[1]);
          });
      Value lNew = buildElementwise(
          rewriter, loc, rowType,
          {{l, bb.identity(1)}, {alpha, bb.identity(1)},
           {rowSum, bb.identity(1)}},
          [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
            return nb.create<arith::AddFOp>(
                nl, nb.create<arith::MulFOp>(nl, args[0], args[1]), args[2]);
          });
      // acc alpha + P V, in acc's buffer.
      Value shrunk =
          rewriter
              .create<linalg::GenericOp>(
                  loc, TypeRange{acc.getType()}, ValueRange{alpha},
                  ValueRange{acc},
                  ArrayRef<AffineMap>{bb.dim(0), bb.identity(2)},
                  SmallVector<utils::IteratorType>(
                      2, utils::IteratorType::parallel),
                  [](OpBuilder &nb, Location nl, ValueRange args) {
                    nb.create<linalg::YieldOp>(
                        nl, ValueRange{nb.create<arith::MulFOp>(nl, args[1],
                                                                args[0])});
                  })
              .getResult(0);
      Value accNew = bb.matmulInto(
          p, bb.tile(v, n, kb, g.bk, rewriter.getIndexAttr(0), g.dv), shrunk);
      // Each carry goes back into its iteration argument's buffer, as
      // bufferization wants (m and l are read before they are replaced).
      auto inPlace = [&](Value value, Value iterArg) -> Value {
        return rewriter
            .create<bufferization::MaterializeInDestinationOp>(loc, value,
                                                               iterArg)
            .getResult();
      };
      rewriter.create<scf::YieldOp>(
          loc, ValueRange{inPlace(mNew, m), inPlace(lNew, l), accNew});
    }
    // The block's output acc / l and lse = m + log l.
    Value m = kLoop.getResult(0), l = kLoop.getResult(1),
          acc = kLoop.getResult(2);
    Value outTile = buildElementwise(
        rewriter, loc, g.type({g.bq, g.dv}),
        {{acc, bb.identity(2)}, {l, bb.dim(0)}},
        [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          return nb.create<arith::DivFOp>(nl, args[0], args[1]);
        });
    FloatType element = g.element;
    Value lseTile = buildElementwise(
        rewriter, loc, g.type({g.bq}), {{m, bb.identity(1)}, {l, bb.identity(1)}},
        [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          return nb.create<arith::AddFOp>(
              nl, Builder::finite(nb, nl, args[0], element),
              nb.create<math::LogOp>(nl, args[1]));
        });
    Value out = bb.putTile(outTile, qLoop.getRegionIterArg(0), n, qb,
                           rewriter.getIndexAttr(0));
    Value lse = bb.putRow(lseTile, qLoop.getRegionIterArg(1), n, qb);
    rewriter.create<scf::YieldOp>(loc, ValueRange{out, lse});

    rewriter.setInsertionPointAfter(nLoop);
    rewriter.replaceOp(op, {bb.expand(nLoop.getResult(0), op.getResult().getType()),
                            bb.expand(nLoop.getResult(1), op.getLse().getType())});
    return success();
  }
};

struct AttentionBackwardToLinalg
    : public OpConversionPattern<AttentionBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AttentionBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto qType = cast<RankedTensorType>(adaptor.getQ().getType());
    Geometry g(qType, cast<RankedTensorType>(adaptor.getK().getType()),
               cast<RankedTensorType>(adaptor.getV().getType()));
    Builder bb{rewriter, loc, g};
        Value q = bb.collapse(adaptor.getQ(), 2), k = bb.collapse(adaptor.getK(), 2),
          v = bb.collapse(adaptor.getV(), 2);
    Value out = bb.collapse(adaptor.getOut(), 2);
    Value dout = bb.collapse(adaptor.getDout(), 2);
    Value lse = bb.collapse(adaptor.getLse(), 1);
    Value qT = bb.transpose(q), kT = bb.transpose(k), doutT = bb.transpose(dout);
    MaskTiles mask(bb, adaptor.getMask(), qType.getRank());
    double scale = op.getScale().convertToDouble();
    bool causal = op.getCausal();
    // D = rowsum(dO * O) [N, Tq].
    Value rowDot = buildReduction(
        rewriter, loc, {g.n, g.tq, g.dv}, {2},
        {{dout, bb.identity(3)}, {out, bb.identity(3)}}, g.zero(rewriter),
        [](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          return nb.create<arith::AddFOp>(
              nl, args[2], nb.create<arith::MulFOp>(nl, args[0], args[1]));
        });

    auto nLoop = rewriter.create<scf::ForOp>(
        loc, bb.index(0), bb.index(g.n), bb.index(1),
        ValueRange{bb.fresh({g.n, g.tk, g.d}), bb.fresh({g.n, g.tk, g.dv}),
                   bb.fresh({g.n, g.d, g.tq})});
    rewriter.setInsertionPointToStart(nLoop.getBody());
    Value n = nLoop.getInductionVar();
    // dq of batch element n, transposed [D, Tq]: every key block adds to it.
    auto kLoop = rewriter.create<scf::ForOp>(
        loc, bb.index(0), bb.index(g.tk), bb.index(g.bk),
        ValueRange{nLoop.getRegionIterArg(0), nLoop.getRegionIterArg(1),
                   bb.filled({g.d, g.tq}, g.zero(rewriter))});
    Value dqT = rewriter.create<tensor::InsertSliceOp>(
        loc, kLoop.getResult(2), nLoop.getRegionIterArg(2),
        ArrayRef<OpFoldResult>{n, rewriter.getIndexAttr(0),
                               rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(g.d),
                               rewriter.getIndexAttr(g.tq)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(1)});
    rewriter.create<scf::YieldOp>(
        loc, ValueRange{kLoop.getResult(0), kLoop.getResult(1), dqT});

    // One block of keys: its dk and dv over the queries that see it.
    rewriter.setInsertionPointToStart(kLoop.getBody());
    Value kb = kLoop.getInductionVar();
    Value kTile = bb.tile(k, n, kb, g.bk, rewriter.getIndexAttr(0), g.d);
    Value kTTile = bb.tile(kT, n, rewriter.getIndexAttr(0), g.d, kb, g.bk);
    Value vTile = bb.tile(v, n, kb, g.bk, rewriter.getIndexAttr(0), g.dv);
    Value queriesBegin = bb.index(0);
    if (causal) {
      // The first query that sees key kb is kb - (Tk - Tq), in its block.
      Value first = rewriter.create<arith::MaxSIOp>(
          loc,
          rewriter.create<arith::SubIOp>(loc, kb, bb.index(g.tk - g.tq)),
          bb.index(0));
      queriesBegin = rewriter.create<arith::MulIOp>(
          loc, rewriter.create<arith::DivUIOp>(loc, first, bb.index(g.bq)),
          bb.index(g.bq));
    }
    auto qLoop = rewriter.create<scf::ForOp>(
        loc, queriesBegin, bb.index(g.tq), bb.index(g.bq),
        ValueRange{bb.filled({g.bk, g.d}, g.zero(rewriter)),
                   bb.filled({g.bk, g.dv}, g.zero(rewriter)),
                   kLoop.getRegionIterArg(2)});
    Value dk = bb.putTile(qLoop.getResult(0), kLoop.getRegionIterArg(0), n, kb,
                          rewriter.getIndexAttr(0));
    Value dv = bb.putTile(qLoop.getResult(1), kLoop.getRegionIterArg(1), n, kb,
                          rewriter.getIndexAttr(0));
    rewriter.create<scf::YieldOp>(loc,
                                  ValueRange{dk, dv, qLoop.getResult(2)});

    // One (key block, query block) tile, transposed: (keys, queries).
    rewriter.setInsertionPointToStart(qLoop.getBody());
    Value qb = qLoop.getInductionVar();
    Value dkAcc = qLoop.getRegionIterArg(0), dvAcc = qLoop.getRegionIterArg(1),
          dqTn = qLoop.getRegionIterArg(2);
    Value pT = scores(
        bb, bb.matmul(kTile, bb.tile(qT, n, rewriter.getIndexAttr(0), g.d, qb, g.bq)),
        scale, mask, causal, n, qb, kb, /*transposed=*/true,
        bb.row(lse, n, qb, g.bq));
    Value doutTile = bb.tile(dout, n, qb, g.bq, rewriter.getIndexAttr(0), g.dv);
    Value dvNew = bb.matmulInto(pT, doutTile, dvAcc);
    Value dpT = bb.matmul(
        vTile, bb.tile(doutT, n, rewriter.getIndexAttr(0), g.dv, qb, g.bq));
    // dS^T = P^T (dP^T - D), times the scale (both dq and dk take it).
    Value dsT = buildElementwise(
        rewriter, loc, g.type({g.bk, g.bq}),
        {{pT, bb.identity(2)}, {dpT, bb.identity(2)},
         {bb.row(rowDot, n, qb, g.bq), bb.dim(1)}},
        [&](OpBuilder &nb, Location nl, ValueRange args) -> Value {
          Value centered = nb.create<arith::SubFOp>(nl, args[1], args[2]);
          return nb.create<arith::MulFOp>(
              nl, nb.create<arith::MulFOp>(nl, args[0], centered),
              buildFloat(nb, nl, g.element, scale));
        });
    Value dkNew = bb.matmulInto(
        dsT, bb.tile(q, n, qb, g.bq, rewriter.getIndexAttr(0), g.d), dkAcc);
    SmallVector<OpFoldResult> dqOffsets{rewriter.getIndexAttr(0), qb},
        dqSizes{rewriter.getIndexAttr(g.d), rewriter.getIndexAttr(g.bq)},
        unit(2, rewriter.getIndexAttr(1));
    Value dqSlice = rewriter.create<tensor::ExtractSliceOp>(
        loc, g.type({g.d, g.bq}), dqTn, dqOffsets, dqSizes, unit);
    Value dqNew = rewriter.create<tensor::InsertSliceOp>(
        loc, bb.matmulInto(kTTile, dsT, dqSlice), dqTn, dqOffsets, dqSizes,
        unit);
    rewriter.create<scf::YieldOp>(loc, ValueRange{dkNew, dvNew, dqNew});

    rewriter.setInsertionPointAfter(nLoop);
    rewriter.replaceOp(
        op, {bb.expand(bb.transpose(nLoop.getResult(2)), op.getDq().getType()),
             bb.expand(nLoop.getResult(0), op.getDk().getType()),
             bb.expand(nLoop.getResult(1), op.getDv().getType())});
    return success();
  }
};

} // namespace

void dlc::dl::populateDLAttentionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<AttentionToLinalg, AttentionBackwardToLinalg>(
      patterns.getContext());
}
