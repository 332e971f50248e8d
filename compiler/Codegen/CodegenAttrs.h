//===- CodegenAttrs.h - names of the attributes codegen records -*- C++ -*-===//
//
// Part of dlc. Every `dlc.*` attribute that a codegen pass sets and a later
// pass, the header emitter or the driver reads, named once. The dialect's
// argument marks (dl.kind, dl.name, dl.init) are in DL/IR/DLMarks.h; the
// target's facts (dlc.target) in Codegen/Target.h.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_CODEGENATTRS_H
#define DLC_CODEGEN_CODEGENATTRS_H

#include "llvm/ADT/StringRef.h"

namespace dlc {

/// On an entry point that writes the state buffer (its updates are written
/// over parameters, state or optimizer state): set by
/// dlc-destination-results, recorded in `dlc.abi` by dlc-pack-state.
inline constexpr llvm::StringLiteral kWritesStateAttr = "dlc.writes_state";

/// On a kernel function made by dlc-outline-kernels: private, called by
/// entry points, its buffers allocated by its callers.
inline constexpr llvm::StringLiteral kKernelAttr = "dlc.kernel";

/// On a tile loop (dlc-tile-and-vectorize): it runs over a parallel loop of
/// its op, so its iterations write disjoint tiles and may run in any order
/// or at once, and the op's work reaches the target's parallel grain.
/// dlc-outline-parallel-loops runs such a loop on threads.
inline constexpr llvm::StringLiteral kParallelLoopAttr = "dlc.parallel";

/// On the declaration of a parallel loop's launcher
/// (dlc-outline-parallel-loops): the symbol of the task function it runs;
/// dlc-lower-parallel-launch defines the launcher.
inline constexpr llvm::StringLiteral kParallelBodyAttr = "dlc.parallel_body";

/// The LLVM function attribute of a function that other threads call (a
/// parallel task's trampoline, dlc-lower-parallel-launch): it sets up the
/// float mode as the entry points do (Target/FloatEnvironment.h).
inline constexpr llvm::StringLiteral kThreadEntryFnAttr = "dlc-thread-entry";

/// On an entry point (dlc-pack-state): {state, grads, writes_state, args},
/// the C signature the header emitter prints.
inline constexpr llvm::StringLiteral kAbiAttr = "dlc.abi";

/// Argument marks of the packed buffers (dlc-pack-state, dlc-plan-memory).
inline constexpr llvm::StringLiteral kStateArgAttr = "dlc.state";
inline constexpr llvm::StringLiteral kGradsArgAttr = "dlc.grads";
inline constexpr llvm::StringLiteral kWorkspaceArgAttr = "dlc.workspace";

/// On the module (dlc-pack-state): the state and gradient buffers' layouts,
/// arrays of {name, kind, dtype, shape, offset, bytes}, and their sizes.
inline constexpr llvm::StringLiteral kStateLayoutAttr = "dlc.state_layout";
inline constexpr llvm::StringLiteral kStateBytesAttr = "dlc.state_bytes";
inline constexpr llvm::StringLiteral kGradsLayoutAttr = "dlc.grads_layout";
inline constexpr llvm::StringLiteral kGradsBytesAttr = "dlc.grads_bytes";

/// On an entry point (dlc-plan-memory): the workspace's peak bytes, the sum
/// of its buffers, and the plan, an array of {bytes, offset, first, last}.
inline constexpr llvm::StringLiteral kWorkspaceBytesAttr =
    "dlc.workspace_bytes";
inline constexpr llvm::StringLiteral kBufferBytesAttr = "dlc.buffer_bytes";
inline constexpr llvm::StringLiteral kMemoryPlanAttr = "dlc.memory_plan";

} // namespace dlc

#endif // DLC_CODEGEN_CODEGENATTRS_H
