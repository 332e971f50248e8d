//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_PASSES_H
#define DLC_CODEGEN_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace dlc {

/// Marks an entry point that writes the state buffer (its updates are
/// written over parameters, state or optimizer state): set by
/// dlc-destination-results, recorded in `dlc.abi` by dlc-pack-state.
inline constexpr llvm::StringLiteral kWritesStateAttr = "dlc.writes_state";

/// Marks a kernel function made by dlc-outline-kernels: private, called by
/// entry points, its buffers allocated by its callers.
inline constexpr llvm::StringLiteral kKernelAttr = "dlc.kernel";

#define GEN_PASS_DECL
#include "Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Codegen/Passes.h.inc"

} // namespace dlc

#endif // DLC_CODEGEN_PASSES_H
