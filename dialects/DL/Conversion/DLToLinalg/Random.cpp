//===- Random.cpp - dl.dropout to linalg ----------------------------------===//
//
// Part of dlc. dl.dropout becomes one elementwise generic whose body draws
// the element's random number: Philox4x32-10 (Salmon et al., SC'11, as in
// Random123, cuRAND and PyTorch's CUDA generator) of counter [i, step, 0,
// 0] and key [seed, stream], i the element's row-major index. Only the
// first output word is used; its 24 high bits against ceil(p 2^24) decide.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/DLToLinalg.h"
#include "DL/Conversion/DLToLinalg/Utils.h"
#include "DL/IR/DLOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/DialectConversion.h"

#include <array>
#include <cmath>

using namespace mlir;
using namespace dlc::dl;

namespace {

/// i32 arithmetic for the Philox rounds.
struct Bits {
  OpBuilder &b;
  Location loc;
  Type i32 = b.getI32Type(), i64 = b.getI64Type();

  Value constant(uint32_t v) {
    return b.create<arith::ConstantIntOp>(loc, int64_t(int32_t(v)), i32);
  }
  Value bxor(Value x, Value y) { return b.create<arith::XOrIOp>(loc, x, y); }
  Value add(Value x, Value y) { return b.create<arith::AddIOp>(loc, x, y); }
  /// The high and low words of the 64-bit product of two u32.
  std::pair<Value, Value> mulHiLo(uint32_t m, Value x) {
    Value wide = b.create<arith::MulIOp>(
        loc, b.create<arith::ConstantIntOp>(loc, int64_t(m), i64),
        b.create<arith::ExtUIOp>(loc, i64, x));
    Value hi = b.create<arith::TruncIOp>(
        loc, i32,
        b.create<arith::ShRUIOp>(loc, wide,
                                 b.create<arith::ConstantIntOp>(loc, 32, i64)));
    return {hi, b.create<arith::TruncIOp>(loc, i32, wide)};
  }
};

/// The first word of Philox4x32-10(counter, key).
Value philox4x32x10(Bits &bits, std::array<Value, 4> c,
                    std::array<Value, 2> k) {
  constexpr uint32_t m0 = 0xD2511F53, m1 = 0xCD9E8D57, w0 = 0x9E3779B9,
                     w1 = 0xBB67AE85;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k[0] = bits.add(k[0], bits.constant(w0));
      k[1] = bits.add(k[1], bits.constant(w1));
    }
    auto [hi0, lo0] = bits.mulHiLo(m0, c[0]);
    auto [hi1, lo1] = bits.mulHiLo(m1, c[2]);
    c = {bits.bxor(bits.bxor(hi1, c[1]), k[0]), lo1,
         bits.bxor(bits.bxor(hi0, c[3]), k[1]), lo0};
  }
  return c[0];
}

struct DropoutToLinalg : public OpConversionPattern<DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    double p = op.getP().convertToDouble();
    // Kept when the 24-bit draw u satisfies u / 2^24 >= p.
    auto threshold = uint32_t(std::ceil(p * 16777216.0));
    uint32_t stream = uint32_t(op.getStream());
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap scalar = AffineMap::get(rank, 0, {}, ctx);
    Value result = buildElementwise(
        rewriter, loc, type,
        {{adaptor.getInput(), identity},
         {adaptor.getSeed(), scalar},
         {adaptor.getStep(), scalar}},
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Bits bits{nb, nloc};
          // The row-major index of the element.
          Value linear = nb.create<arith::ConstantIndexOp>(nloc, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value size =
                nb.create<arith::ConstantIndexOp>(nloc, type.getDimSize(d));
            linear = nb.create<arith::AddIOp>(
                nloc, nb.create<arith::MulIOp>(nloc, linear, size),
                nb.create<linalg::IndexOp>(nloc, d));
          }
          Value index = nb.create<arith::IndexCastUIOp>(nloc, bits.i32, linear);
          Value seed = nb.create<arith::FPToUIOp>(nloc, bits.i32, args[1]);
          Value step = nb.create<arith::FPToUIOp>(nloc, bits.i32, args[2]);
          Value zero = bits.constant(0);
          Value word = philox4x32x10(bits, {index, step, zero, zero},
                                     {seed, bits.constant(stream)});
          Value draw = nb.create<arith::ShRUIOp>(nloc, word, bits.constant(8));
          Value keep = nb.create<arith::CmpIOp>(nloc, arith::CmpIPredicate::uge,
                                                draw, bits.constant(threshold));
          Type element = type.getElementType();
          // The scale rounded to the element type once, as PyTorch's mask.
          Value scaled = nb.create<arith::MulFOp>(
              nloc, args[0], buildFloat(nb, nloc, element, 1.0 / (1.0 - p)));
          return nb
              .create<arith::SelectOp>(nloc, keep, scaled,
                                       buildFloat(nb, nloc, element, 0.0))
              .getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void dlc::dl::populateDLRandomToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutToLinalg>(patterns.getContext());
}
