//===- Softmax.cpp - dl softmax, log_softmax, losses, one_hot to linalg ---===//
//
// Part of dlc. All three share the numerically stable pair
//   m = max_axis(x),  s = sum_axis(exp(x - m))
// from which softmax = exp(x - m) / s, log_softmax = x - m - log(s), and
// cross_entropy = mean(m + log(s) - x[label]).
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

/// The max and the shifted exp-sum of `x` along `axis` (both without it).
struct MaxAndExpSum {
  Value max, expSum;
  AffineMap reducedMap; ///< reads m or s from x's iteration space
};

MaxAndExpSum buildMaxAndExpSum(OpBuilder &b, Location loc, Value x,
                               int64_t axis) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  auto floatType = cast<FloatType>(elementType);
  int64_t rank = type.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap reducedMap = getDroppingMap(b.getContext(), rank, axis);

  Value max = buildReduction(
      b, loc, type.getShape(), axis, MappedOperand{x, identity},
      b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                /*Negative=*/true)),
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return nb.create<arith::MaximumFOp>(l, args[0], args[1]);
      });
  Value expSum = buildReduction(
      b, loc, type.getShape(), axis,
      {MappedOperand{x, identity}, MappedOperand{max, reducedMap}},
      b.getZeroAttr(elementType),
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value shifted = nb.create<arith::SubFOp>(l, args[0], args[1]);
        Value e = nb.create<math::ExpOp>(l, shifted);
        return nb.create<arith::AddFOp>(l, args[2], e);
      });
  return {max, expSum, reducedMap};
}

template <typename OpTy>
struct SoftmaxLikeToLinalg : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    MaxAndExpSum ms = buildMaxAndExpSum(rewriter, loc, x, op.getAxis());
    constexpr bool isLog = std::is_same_v<OpTy, LogSoftmaxOp>;
    Value result = buildElementwise(
        rewriter, loc, type,
        {MappedOperand{x, rewriter.getMultiDimIdentityMap(type.getRank())},
         MappedOperand{ms.max, ms.reducedMap},
         MappedOperand{ms.expSum, ms.reducedMap}},
        [](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value shifted = b.create<arith::SubFOp>(l, args[0], args[1]);
          if (isLog)
            return b.create<arith::SubFOp>(l, shifted,
                                           b.create<math::LogOp>(l, args[2]));
          return b.create<arith::DivFOp>(l, b.create<math::ExpOp>(l, shifted),
                                         args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CrossEntropyToLinalg : public OpConversionPattern<CrossEntropyOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CrossEntropyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logits = adaptor.getLogits(), labels = adaptor.getLabels();
    auto type = cast<RankedTensorType>(logits.getType());
    Type elementType = type.getElementType();
    int64_t rank = type.getRank(), classAxis = rank - 1;
    MaxAndExpSum ms = buildMaxAndExpSum(rewriter, loc, logits, classAxis);

    // picked[n] = logits[n, labels[n]], as a masked sum over the classes.
    Value picked = buildReduction(
        rewriter, loc, type.getShape(), classAxis,
        {MappedOperand{logits, rewriter.getMultiDimIdentityMap(rank)},
         MappedOperand{labels, ms.reducedMap}},
        rewriter.getZeroAttr(elementType),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value cls = b.create<linalg::IndexOp>(l, classAxis);
          Value label =
              b.create<arith::IndexCastOp>(l, b.getIndexType(), args[1]);
          Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq,
                                              cls, label);
          Value zero = buildFloat(b, l, elementType, 0.0);
          Value term = b.create<arith::SelectOp>(l, hit, args[0], zero);
          return b.create<arith::AddFOp>(l, args[2], term);
        });

    // loss = sum_n (m + log(s) - picked) / count
    ArrayRef<int64_t> outer = type.getShape().drop_back();
    SmallVector<int64_t> allAxes =
        llvm::to_vector(llvm::seq<int64_t>(0, outer.size()));
    AffineMap outerIdentity = rewriter.getMultiDimIdentityMap(outer.size());
    int64_t count = 1;
    for (int64_t d : outer)
      count *= d;
    // With ignore_index, only the positions whose label is a class count.
    bool ignores = op.getIgnoreIndex().has_value();
    int64_t classes = type.getShape().back();
    auto counted = [&](OpBuilder &b, Location l, Value label) -> Value {
      Value lo = b.create<arith::CmpIOp>(
          l, arith::CmpIPredicate::sge, label,
          b.create<arith::ConstantOp>(l, b.getIntegerAttr(label.getType(), 0)));
      Value hi = b.create<arith::CmpIOp>(
          l, arith::CmpIPredicate::slt, label,
          b.create<arith::ConstantOp>(l,
                                      b.getIntegerAttr(label.getType(), classes)));
      return b.create<arith::AndIOp>(l, lo, hi);
    };
    SmallVector<MappedOperand> terms = {MappedOperand{ms.max, outerIdentity},
                                        MappedOperand{ms.expSum, outerIdentity},
                                        MappedOperand{picked, outerIdentity}};
    if (ignores)
      terms.push_back(MappedOperand{labels, outerIdentity});
    Value total = buildReduction(
        rewriter, loc, outer, allAxes, terms, rewriter.getZeroAttr(elementType),
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value lse = b.create<arith::AddFOp>(l, args[0],
                                              b.create<math::LogOp>(l, args[1]));
          Value nll = b.create<arith::SubFOp>(l, lse, args[2]);
          if (ignores)
            nll = b.create<arith::SelectOp>(l, counted(b, l, args[3]), nll,
                                            buildFloat(b, l, elementType, 0.0));
          return b.create<arith::AddFOp>(l, args.back(), nll);
        });
    auto scalarType = cast<RankedTensorType>(op.getType());
    AffineMap scalarMap = AffineMap::get(rewriter.getContext());
    Value loss;
    if (!ignores) {
      loss = buildElementwise(
          rewriter, loc, scalarType, MappedOperand{total, scalarMap},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            return b.create<arith::MulFOp>(
                l, args[0], buildFloat(b, l, elementType, 1.0 / count));
          });
    } else {
      Value positions = buildReduction(
          rewriter, loc, outer, allAxes, {MappedOperand{labels, outerIdentity}},
          rewriter.getZeroAttr(elementType),
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value one = b.create<arith::SelectOp>(
                l, counted(b, l, args[0]), buildFloat(b, l, elementType, 1.0),
                buildFloat(b, l, elementType, 0.0));
            return b.create<arith::AddFOp>(l, args[1], one);
          });
      loss = buildElementwise(
          rewriter, loc, scalarType,
          {MappedOperand{total, scalarMap}, MappedOperand{positions, scalarMap}},
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            return b.create<arith::DivFOp>(l, args[0], args[1]);
          });
    }
    rewriter.replaceOp(op, loss);
    return success();
  }
};

/// one_hot: 1 where the class index equals the label, else 0.
struct OneHotToLinalg : public OpConversionPattern<OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank(), classAxis = rank - 1;
    Type elementType = type.getElementType();
    Value result = buildElementwise(
        rewriter, op.getLoc(), type,
        MappedOperand{adaptor.getLabels(),
                      getDroppingMap(rewriter.getContext(), rank, classAxis)},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value cls = b.create<linalg::IndexOp>(l, classAxis);
          Value label =
              b.create<arith::IndexCastOp>(l, b.getIndexType(), args[0]);
          Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq,
                                              cls, label);
          return b.create<arith::SelectOp>(l, hit,
                                           buildFloat(b, l, elementType, 1.0),
                                           buildFloat(b, l, elementType, 0.0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void dlc::dl::populateDLSoftmaxToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLikeToLinalg<SoftmaxOp>, SoftmaxLikeToLinalg<LogSoftmaxOp>,
               CrossEntropyToLinalg, OneHotToLinalg>(patterns.getContext());
}
