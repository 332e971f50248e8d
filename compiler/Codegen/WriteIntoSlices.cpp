//===- WriteIntoSlices.cpp - producers write into padded tensors ----------===//
//
// Part of dlc. See DLCWriteIntoSlicesPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace dlc {
#define GEN_PASS_DEF_DLCWRITEINTOSLICESPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// The inverse of `reshape` (an expand or a collapse) applied to `value`, a
/// tensor of `reshape`'s result type.
Value invertReshape(OpBuilder &b, Operation *reshape, Value value) {
  Location loc = reshape->getLoc();
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(reshape))
    return b.create<tensor::ExpandShapeOp>(loc, collapse.getSrcType(), value,
                                           collapse.getReassociationIndices());
  auto expand = cast<tensor::ExpandShapeOp>(reshape);
  return b.create<tensor::CollapseShapeOp>(loc, expand.getSrcType(), value,
                                           expand.getReassociationIndices());
}

/// A fresh tensor of `fill`'s type whose elements outside the box
/// (`offsets`, `sizes`) are `fill`'s value; inside, undefined (the producer
/// writes them). One fill per slab of the border: per dimension the part
/// before and after the box, the earlier dimensions restricted to the box.
/// Each fill writes a slice of the tensor and is inserted back at the same
/// place, so its kernel takes and returns the tensor (OutlineKernels'
/// sliceWrite).
Value fillBorder(RewriterBase &rewriter, linalg::FillOp fill,
                 ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes) {
  Location loc = fill.getLoc();
  auto type = cast<RankedTensorType>(fill.getResult(0).getType());
  MLIRContext *ctx = rewriter.getContext();
  // A fresh buffer (unlike tensor.empty, never merged with another by CSE).
  Value padded =
      rewriter.create<bufferization::AllocTensorOp>(loc, type, ValueRange{});
  int64_t rank = type.getRank();
  SmallVector<int64_t> lo(rank, 0), extent(type.getShape());
  SmallVector<int64_t> ones(rank, 1);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t after = offsets[d] + sizes[d];
    for (auto [start, length] :
         {std::pair(int64_t(0), offsets[d]),
          std::pair(after, type.getDimSize(d) - after)}) {
      if (length == 0)
        continue;
      SmallVector<int64_t> off(lo), size(extent);
      off[d] = start;
      size[d] = length;
      auto slabType = RankedTensorType::get(size, type.getElementType());
      Value slab = rewriter.create<tensor::ExtractSliceOp>(
          loc, slabType, padded, getAsIndexOpFoldResult(ctx, off),
          getAsIndexOpFoldResult(ctx, size), getAsIndexOpFoldResult(ctx, ones));
      Value filled =
          rewriter.create<linalg::FillOp>(loc, fill.getInputs(), slab)
              .getResult(0);
      padded = rewriter.create<tensor::InsertSliceOp>(
          loc, filled, padded, getAsIndexOpFoldResult(ctx, off),
          getAsIndexOpFoldResult(ctx, size), getAsIndexOpFoldResult(ctx, ones));
    }
    lo[d] = offsets[d];
    extent[d] = sizes[d];
  }
  return padded;
}

/// Rewrites one `insert_slice (reshapes of (P)) into fill` so that P writes
/// into the slice directly; returns whether it did.
bool writeIntoSlice(RewriterBase &rewriter, tensor::InsertSliceOp insert) {
  // The destination: a fill of a fresh tensor (padding around the slice).
  auto fill = insert.getDest().getDefiningOp<linalg::FillOp>();
  if (!fill ||
      !fill.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>())
    return false;
  // A box of the destination with unit strides (a padding, not a spread),
  // as large as the source (not rank-reducing).
  if (!llvm::all_of(insert.getStaticStrides(),
                    [](int64_t s) { return s == 1; }) ||
      insert.getStaticSizes() != insert.getSourceType().getShape() ||
      ShapedType::isDynamicShape(insert.getStaticOffsets()))
    return false;
  // The source: P's result through single-use reshapes.
  SmallVector<Operation *> reshapes; // from the insert back to P
  Value value = insert.getSource();
  while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
      value.getDefiningOp())) {
    if (!value.hasOneUse())
      return false;
    reshapes.push_back(value.getDefiningOp());
    value = value.getDefiningOp()->getOperand(0);
  }
  auto producer = dyn_cast_or_null<linalg::GenericOp>(value.getDefiningOp());
  if (!producer || producer->getNumResults() != 1 ||
      producer->getBlock() != insert->getBlock() ||
      !producer.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>() ||
      !producer.hasPureTensorSemantics())
    return false;
  // Reading its init (an accumulator) would read the padding's zeros: only
  // producers that overwrite it.
  if (producer.payloadUsesValueFromOperand(producer.getDpsInitOperand(0)))
    return false;
  // The padding value must be available where P is (the border is filled
  // there).
  Operation *padValue = fill.getInputs()[0].getDefiningOp();
  if (padValue && padValue->getBlock() == producer->getBlock() &&
      !padValue->isBeforeInBlock(producer))
    return false;

  // A tensor of its own with only the border filled: the box is P's.
  rewriter.setInsertionPoint(producer);
  Value dest = fillBorder(rewriter, fill, insert.getStaticOffsets(),
                          insert.getStaticSizes());
  // The slice, reshaped back to P's result type, is P's init.
  Value slice = rewriter.create<tensor::ExtractSliceOp>(
      insert.getLoc(), insert.getSourceType(), dest, insert.getMixedOffsets(),
      insert.getMixedSizes(), insert.getMixedStrides());
  Value init = slice;
  for (Operation *reshape : reshapes)
    init = invertReshape(rewriter, reshape, init);
  rewriter.modifyOpInPlace(producer,
                           [&] { producer.getDpsInitOperand(0)->set(init); });
  // Right after P: its result reshaped back and inserted into the padded
  // tensor (bufferization elides the insert), which every other user of P's
  // result reads a view of.
  Value result = producer->getResult(0);
  SmallVector<OpOperand *> others;
  for (OpOperand &use : result.getUses())
    if (reshapes.empty() ? use.getOwner() != insert.getOperation()
                         : use.getOwner() != reshapes.back())
      others.push_back(&use);
  rewriter.setInsertionPointAfter(producer);
  Value source = result;
  for (Operation *reshape : llvm::reverse(reshapes)) {
    IRMapping mapping;
    mapping.map(reshape->getOperand(0), source);
    source = rewriter.clone(*reshape, mapping)->getResult(0);
  }
  auto padded = rewriter.create<tensor::InsertSliceOp>(
      insert.getLoc(), source, dest, insert.getMixedOffsets(),
      insert.getMixedSizes(), insert.getMixedStrides());
  Value view;
  if (!others.empty()) {
    view = rewriter.create<tensor::ExtractSliceOp>(
        padded.getLoc(), padded.getSourceType(), padded.getResult(),
        padded.getMixedOffsets(), padded.getMixedSizes(),
        padded.getMixedStrides());
    for (Operation *reshape : reshapes)
      view = invertReshape(rewriter, reshape, view);
  }
  rewriter.replaceOp(insert, padded.getResult());
  for (Operation *reshape : reshapes) // from the insert back to P
    rewriter.eraseOp(reshape);
  for (OpOperand *use : others)
    rewriter.modifyOpInPlace(use->getOwner(), [&] { use->set(view); });
  if (fill->use_empty())
    rewriter.eraseOp(fill);
  return true;
}

struct DLCWriteIntoSlicesPass
    : public dlc::impl::DLCWriteIntoSlicesPassBase<DLCWriteIntoSlicesPass> {
  using DLCWriteIntoSlicesPassBase::DLCWriteIntoSlicesPassBase;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](func::FuncOp func) {
      if (func.isExternal())
        return;
      SmallVector<tensor::InsertSliceOp> inserts;
      for (auto insert : func.getBody().front().getOps<tensor::InsertSliceOp>())
        inserts.push_back(insert);
      for (tensor::InsertSliceOp insert : inserts)
        (void)writeIntoSlice(rewriter, insert);
    });
  }
};

} // namespace
