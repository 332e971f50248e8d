//===- LowerCopies.cpp - memref.copy to linalg.copy, self copies erased ---===//
//
// Part of dlc. See DLCLowerCopiesPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace dlc {
#define GEN_PASS_DEF_DLCLOWERCOPIESPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {
struct DLCLowerCopiesPass
    : public dlc::impl::DLCLowerCopiesPassBase<DLCLowerCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      if (copy.getSource() == copy.getTarget())
        rewriter.eraseOp(copy);
      else
        vectorizeCopy(rewriter, rewriter.replaceOpWithNewOp<linalg::CopyOp>(
                                    copy, copy.getSource(), copy.getTarget()));
    }
  }

  /// Rows of the copy in vectors: tiles of one row (its innermost dimension
  /// whole, up to 64 elements, else a divisor of it), each a vector read and
  /// write. Left to convert-linalg-to-loops (scalar loops) when the shapes
  /// are not static.
  static void vectorizeCopy(RewriterBase &rewriter, linalg::CopyOp copy) {
    SmallVector<int64_t> ranges = copy.getStaticLoopRanges();
    if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic))
      return;
    SmallVector<int64_t> sizes;
    for (int64_t range : ranges)
      sizes.push_back(range == 1 ? 0 : 1);
    int64_t row = ranges.back(), tile = row;
    if (row > 64)
      for (tile = 64; row % tile != 0; --tile)
        ;
    sizes.back() = tile == row ? 0 : tile;
    Operation *rowCopy = copy;
    if (llvm::any_of(sizes, [](int64_t s) { return s != 0; })) {
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(copy.getContext(), sizes));
      rewriter.setInsertionPoint(copy);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(copy.getOperation()), options);
      if (failed(tiled))
        return;
      rewriter.eraseOp(copy);
      rowCopy = tiled->tiledOps.front();
    }
    rewriter.setInsertionPoint(rowCopy);
    (void)linalg::vectorize(rewriter, rowCopy);
  }
};
} // namespace
