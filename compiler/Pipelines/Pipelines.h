//===- Pipelines.h - the pass pipelines dlc runs ----------------*- C++ -*-===//
//
// Part of dlc. Pipeline builders used by the `dlc` driver, also registered
// (registerDLCPipelines) so that `dlc-opt` runs exactly the same passes:
//
//   dlc-opt --dlc-entry-points            the model's entry points, in dl
//   dlc-opt --dlc-lower-to-linalg         dl -> linalg on tensors, fused
//   dlc-opt --dlc-codegen-cpu             linalg on tensors -> LLVM dialect
//   dlc-opt --dlc-dl-to-llvm              both
//
//===----------------------------------------------------------------------===//

#ifndef DLC_PIPELINES_PIPELINES_H
#define DLC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace dlc {

/// Target facts the CPU pipeline records in the module (`dlc.target`, see
/// Codegen/Target.h) for its passes to read. `dlc` fills them from the
/// resolved target (see Target/TargetInfo.h); 0 keeps what the module
/// records, else the default (Codegen/Target.h's TargetFacts).
struct CPUCodegenOptions : public mlir::PassPipelineOptions<CPUCodegenOptions> {
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Bits per SIMD register (0: the module's dlc.target)"),
      llvm::cl::init(0)};
  Option<unsigned> numRegisters{
      *this, "num-registers",
      llvm::cl::desc("Number of SIMD registers (0: the module's dlc.target)"),
      llvm::cl::init(0)};
  Option<int64_t> parallelGrain{
      *this, "parallel-grain",
      llvm::cl::desc("Least work (operations) of a kernel run on threads (0: "
                     "serial code; -1: the module's dlc.target)"),
      llvm::cl::init(-1)};
};

/// The model's entry points in dl: `forward` (inference) and `eval` (loss)
/// from the front end's model function.
void buildDLEntryPointsPipeline(mlir::OpPassManager &pm);

/// dl -> linalg/tensor/arith/math, with elementwise producers fused into their
/// consumers.
void buildDLToLinalgPipeline(mlir::OpPassManager &pm);

/// linalg on tensors -> tiled and vectorized -> bufferized (results become
/// out-parameters) -> LLVM dialect with the bare-pointer calling convention.
void buildCPUCodegenPipeline(mlir::OpPassManager &pm,
                             const CPUCodegenOptions &options);

/// The three pipelines above, in order.
void buildDLToLLVMPipeline(mlir::OpPassManager &pm,
                           const CPUCodegenOptions &options);

/// Registers the pipelines above (and the passes they use) with the global
/// pass registry.
void registerDLCPipelines();

} // namespace dlc

#endif // DLC_PIPELINES_PIPELINES_H
