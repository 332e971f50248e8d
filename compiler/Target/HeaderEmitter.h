//===- HeaderEmitter.h - the C header of a compiled model -------*- C++ -*-===//
//
// Part of dlc. Writes the C/C++ header that declares a compiled module's
// entry points, its state and workspace sizes, and descriptor tables, from
// the `dlc.abi` and `dlc.workspace_bytes` attributes the codegen pipeline
// leaves on each function. docs/abi.md documents the format.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TARGET_HEADEREMITTER_H
#define DLC_TARGET_HEADEREMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace dlc {

/// `name` as a C identifier (what the header's symbols and macros use:
/// non-alphanumerics become '_', keywords get a trailing '_').
std::string cIdentifier(llvm::StringRef name);

/// Writes the header of `module` (after the codegen pipeline, LLVM dialect).
/// `model` names the header guard, macros and tables (a C identifier is made
/// of it); `source` is mentioned in the banner.
llvm::Error emitHeader(mlir::ModuleOp module, llvm::StringRef model,
                       llvm::StringRef source, llvm::raw_ostream &os);

} // namespace dlc

#endif // DLC_TARGET_HEADEREMITTER_H
