//===- Target.h - the target facts recorded in the module ------*- C++ -*-===//
//
// Part of dlc. The facts about the machine that code generation sizes its
// tiles by (vector width, register count; later cache sizes and threads) are
// recorded once, as the module attribute
//
//   module attributes {dlc.target = {num_registers = 32 : i64,
//                                     parallel_grain = 32768 : i64,
//                                     vector_bits = 512 : i64}}
//
// `compileModule` sets it from the resolved target (Target/TargetInfo.h);
// `dlc-opt --dlc-codegen-cpu="vector-bits=... num-registers=..."` sets it
// through `dlc-set-target`. Passes read it with getTargetFacts.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_TARGET_H
#define DLC_CODEGEN_TARGET_H

#include "mlir/IR/BuiltinOps.h"

#include <algorithm>
#include <cstdint>

namespace dlc {

/// The module attribute that holds the target facts.
inline constexpr llvm::StringLiteral kTargetAttrName = "dlc.target";

/// What code generation knows about the target. The defaults (AVX-512's
/// register file) are the only ones: they apply to a module that records no
/// target (a hand-written test run through dlc-opt).
struct TargetFacts {
  /// Bits per SIMD register (512 AVX-512, 256 AVX2, 128 NEON).
  unsigned vectorBits = 512;
  /// Number of architectural SIMD registers.
  unsigned numRegisters = 32;
  /// The least work worth distributing over threads, in operations: a
  /// kernel's iteration points times the operations of its body (a matmul's
  /// M x N x K x 2; a math function counts 8). Below it a fork costs more
  /// than it saves. 0: no parallel loops (serial code; the default of a
  /// module that records none).
  int64_t parallelGrain = 0;

  /// f32 lanes per vector register (at least 1).
  int64_t f32Lanes() const { return std::max<int64_t>(1, vectorBits / 32); }
};

/// The facts as the `dlc.target` dictionary.
mlir::DictionaryAttr getTargetAttr(mlir::MLIRContext *ctx,
                                   const TargetFacts &facts);

/// Records `facts` on `module` (replacing what was there).
void setTargetFacts(mlir::ModuleOp module, const TargetFacts &facts);

/// The facts recorded on the nearest enclosing op with `dlc.target` (the
/// module), field by field; the defaults where nothing is recorded.
TargetFacts getTargetFacts(mlir::Operation *op);

} // namespace dlc

#endif // DLC_CODEGEN_TARGET_H
