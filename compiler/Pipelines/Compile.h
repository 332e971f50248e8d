//===- Compile.h - from dl IR to linalg, LLVM, asm or objects ---*- C++ -*-===//
//
// Part of dlc. The code generation half of the `dlc` driver: runs the
// registered pipelines (Pipelines.h) on a dl module for a resolved target and
// writes the requested artifact, plus the C header beside an object.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_PIPELINES_COMPILE_H
#define DLC_PIPELINES_COMPILE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace dlc {

/// The artifacts after the dl stage, in pipeline order.
enum class CodegenStage {
  Linalg,      ///< linalg/tensor IR after dl lowering and fusion (MLIR text)
  LLVMDialect, ///< the LLVM dialect after the CPU pipeline (MLIR text)
  MemoryPlan,  ///< a report of each function's workspace plan
  LLVMIR,      ///< optimized LLVM IR text
  Assembly,    ///< target assembly
  Object,      ///< a relocatable object file
};

/// What to compile for.
struct CodegenRequest {
  std::string triple; ///< empty: the host
  std::string cpu;    ///< empty or "native": the host CPU (or "generic")
  /// Entry points run with subnormals flushed to zero (FloatEnvironment.h);
  /// false keeps the caller's floating-point mode.
  bool flushDenormals = true;
  /// Kernels with enough work run their tile loops on the caller's threads
  /// (TargetInfo::parallelGrain); false: serial code.
  bool parallel = true;
};

/// Lowers `module` (dl dialect) to `stage` and writes it to `os`. Errors are
/// reported as diagnostics on the module's context (for pass failures) and
/// returned. Pass `header` to also write the C header (only meaningful for
/// LLVMIR, Assembly and Object); `model` and `source` name it.
llvm::Error compileModule(mlir::ModuleOp module, const CodegenRequest &request,
                          CodegenStage stage, llvm::raw_pwrite_stream &os,
                          llvm::raw_ostream *header = nullptr,
                          llvm::StringRef model = "", llvm::StringRef source = "");

/// Prints each function's workspace plan (buffers, offsets, live ranges, peak
/// vs. the sum of all buffers) from the attributes DLCPlanMemoryPass leaves.
void printMemoryPlan(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace dlc

#endif // DLC_PIPELINES_COMPILE_H
