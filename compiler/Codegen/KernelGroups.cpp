//===- KernelGroups.cpp - the linalg ops codegen tiles together -----------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Codegen/KernelGroups.h"
#include "Codegen/CodegenAttrs.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;

namespace dlc {

bool isRegisterTiledContraction(Operation *op) {
  return isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op);
}

linalg::GenericOp findEpilogue(linalg::LinalgOp matmul) {
  Value product = matmul->getResult(0);
  if (!product.hasOneUse())
    return {};
  auto generic = dyn_cast<linalg::GenericOp>(*product.user_begin());
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumLoops() != matmul.getNumParallelLoops() ||
      generic->getBlock() != matmul->getBlock())
    return {};
  for (OpOperand &use : generic->getOpOperands())
    if ((use.get() == product || generic.isDpsInit(&use)) &&
        !generic.getMatchingIndexingMap(&use).isIdentity())
      return {};
  if (generic.getDpsInitOperand(0)->get().getType() != product.getType())
    return {};
  return generic;
}

SmallVector<Operation *> kernelGroup(linalg::LinalgOp op) {
  SmallVector<Operation *> group;
  for (OpOperand &init : op.getDpsInitsMutable())
    if (auto fill = init.get().getDefiningOp<linalg::FillOp>())
      if (fill->hasOneUse() && fill->getBlock() == op->getBlock() &&
          !llvm::is_contained(group, fill.getOperation()))
        group.push_back(fill);
  group.push_back(op);
  if (isRegisterTiledContraction(op))
    if (linalg::GenericOp epilogue = findEpilogue(op))
      group.push_back(epilogue);
  return group;
}

/// What func-to-llvm reads as the linkage of the function it converts.
static constexpr llvm::StringLiteral kLinkageAttr = "llvm.linkage";

void markKernel(func::FuncOp func) {
  MLIRContext *ctx = func.getContext();
  func.setPrivate();
  func->setAttr(kKernelAttr, UnitAttr::get(ctx));
  func->setAttr(kLinkageAttr,
                LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
}

} // namespace dlc
