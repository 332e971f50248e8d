//===- Pipelines.cpp - the pass pipelines dlc runs ------------------------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Pipelines/Pipelines.h"

#include "Codegen/Passes.h"
#include "DL/Conversion/Passes.h"
#include "DL/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace dlc {

/// Canonicalize then CSE: the clean-up between pipeline stages.
static void addCleanup(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void buildDLEntryPointsPipeline(OpPassManager &pm) {
  // Training entry points first: each pass derives its functions from the
  // model function (autodiff) or from grad (optimizer); inference-entry then
  // turns the model function itself into eval and forward.
  // Loop-invariant work leaves each scan first, so that its gradient is
  // batched too; the reverse loops' own invariants leave them after.
  pm.addPass(dl::createDLHoistScanInvariantsPass());
  pm.addPass(dl::createDLAutodiffPass());
  pm.addPass(dl::createDLOptimizerPass());
  pm.addPass(dl::createDLInferenceEntryPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(dl::createDLHoistScanInvariantsPass());
}

void buildDLToLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(dl::createConvertDLToLinalgPass());
  pm.addPass(createDLCFuseElementwisePass());
  addCleanup(pm);
}

void buildCPUCodegenPipeline(OpPassManager &pm,
                             const CPUCodegenOptions &options) {
  // The target's facts, recorded once in the module for the passes below.
  DLCSetTargetPassOptions target;
  target.vectorBits = options.vectorBits;
  target.numRegisters = options.numRegisters;
  target.parallelGrain = options.parallelGrain;
  pm.addPass(createDLCSetTargetPass(target));

  // Results are written into caller-provided destinations.
  pm.addPass(createDLCDestinationResultsPass());

  // Producers of padded tensors write into them; then one function per
  // distinct kernel: codegen cost follows the distinct kernels, not the
  // number of ops.
  pm.addPass(createDLCWriteIntoSlicesPass());
  pm.addPass(createDLCOutlineKernelsPass());

  // Tile and vectorize on tensors, for the recorded target.
  pm.addNestedPass<func::FuncOp>(createDLCTileAndVectorizePass());
  addCleanup(pm);

  // Bufferize, computing results in place in their destinations.
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  pm.addPass(bufferization::createDropEquivalentBufferResultsPass());
  pm.addPass(createDLCStoreResultsPass());
  addCleanup(pm);
  // A kernel's results are its destination arguments once its loops'
  // iteration arguments are folded away.
  pm.addPass(bufferization::createDropEquivalentBufferResultsPass());

  // Clean so that hoisting sees the accumulators, then lower vector ops.
  // This comes before packing and planning: hoisting does not look through
  // the views those passes create, and an epilogue-fused matmul's
  // accumulator tile would stay in memory.
  pm.addPass(memref::createFoldMemRefAliasOpsPass());
  pm.addPass(createCSEPass());
  // Copies become vector rows first, then every vector op is lowered.
  pm.addNestedPass<func::FuncOp>(createDLCLowerCopiesPass());
  pm.addNestedPass<func::FuncOp>(createDLCLowerVectorsPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());

  // Parallel tile loops become tasks that run on the caller's threads.
  pm.addPass(createDLCOutlineParallelLoopsPass());

  // Parameters and state go into one caller-provided state buffer; every
  // remaining buffer goes into one workspace at a planned offset.
  pm.addPass(createDLCPackStatePass());
  pm.addPass(createDLCPlanMemoryPass());
  pm.addPass(createDLCApproximateMathPass());
  addCleanup(pm);

  // To the LLVM dialect.
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertSCFToCFPass());
  addCleanup(pm);
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // Math before vectors: math-to-libm unrolls vector math that has neither an
  // approximation nor an LLVM intrinsic (f64 tanh) into vector.extract/insert
  // around scalar calls, which vector-to-llvm must then lower.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // The thread hook and the tasks' launchers.
  pm.addPass(createDLCLowerParallelLaunchPass());
  addCleanup(pm);
}

void buildDLToLLVMPipeline(OpPassManager &pm,
                           const CPUCodegenOptions &options) {
  buildDLEntryPointsPipeline(pm);
  buildDLToLinalgPipeline(pm);
  buildCPUCodegenPipeline(pm, options);
}

void registerDLCPipelines() {
  dl::registerDLConversionPasses();
  dl::registerDLTransformsPasses();
  registerDLCCodegenPasses();
  PassPipelineRegistration<>(
      "dlc-entry-points",
      "derive the model's entry points in dl (what dlc runs first)",
      buildDLEntryPointsPipeline);
  PassPipelineRegistration<>(
      "dlc-lower-to-linalg",
      "dl -> linalg on tensors with elementwise fusion (what dlc runs)",
      buildDLToLinalgPipeline);
  PassPipelineRegistration<CPUCodegenOptions>(
      "dlc-codegen-cpu",
      "linalg on tensors -> tiled, vectorized LLVM dialect (what dlc runs)",
      buildCPUCodegenPipeline);
  PassPipelineRegistration<CPUCodegenOptions>(
      "dlc-dl-to-llvm", "dl -> LLVM dialect: the whole dlc codegen pipeline",
      buildDLToLLVMPipeline);
}

} // namespace dlc
