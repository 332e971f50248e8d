//===- ObjectEmitter.h - LLVM dialect to LLVM IR, asm or object -*- C++ -*-===//
//
// Part of dlc. In-process code generation: translate the LLVM-dialect module,
// run LLVM's O3 pipeline for the target machine, and print IR or emit
// assembly or an object file. No llc or clang is involved.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TARGET_OBJECTEMITTER_H
#define DLC_TARGET_OBJECTEMITTER_H

#include "Target/TargetInfo.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace dlc {

/// What emitModule writes.
enum class OutputKind { LLVMIR, Assembly, Object };

/// Translates `module` (LLVM dialect only) to LLVM IR, optimizes it at O3 for
/// `target`, and writes `kind` to `os`.
llvm::Error emitModule(mlir::ModuleOp module, const TargetInfo &target,
                       OutputKind kind, llvm::raw_pwrite_stream &os);

} // namespace dlc

#endif // DLC_TARGET_OBJECTEMITTER_H
