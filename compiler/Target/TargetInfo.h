//===- TargetInfo.h - the machine dlc generates code for --------*- C++ -*-===//
//
// Part of dlc. Resolves --target/--mcpu into an llvm::TargetMachine and the
// SIMD facts that tiling and vectorization derive their sizes from.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TARGET_TARGETINFO_H
#define DLC_TARGET_TARGETINFO_H

#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace dlc {

/// SIMD register file of a target: what codegen sizes its tiles by.
struct SimdInfo {
  /// Bits per vector register (512 for AVX-512, 256 for AVX2, 128 for NEON).
  unsigned vectorBits = 128;
  /// Number of architectural vector registers.
  unsigned numRegisters = 16;

  /// f32 lanes per vector register.
  unsigned f32Lanes() const { return vectorBits / 32; }
};

/// A resolved code generation target.
struct TargetInfo {
  std::string triple;
  std::string cpu;
  std::string features;
  SimdInfo simd;
  std::unique_ptr<llvm::TargetMachine> machine;
  /// Entry points flush subnormals to zero (FloatEnvironment.h).
  bool flushDenormals = true;
  /// The least work of a kernel (operations: iteration points times the
  /// ops of its body) worth running on threads (TargetFacts::parallelGrain;
  /// 0: serial code). A fork and join
  /// of dlrt's pool costs about a microsecond on this machine kind, the
  /// work of ~20,000 f32 multiply-adds at one core's vector rate: kernels
  /// of a few times that are split, smaller ones run on the calling thread.
  int64_t parallelGrain = 1 << 16;
};

/// Resolves `triple` and `cpu` (empty: the host's) into a TargetInfo with an
/// O3 TargetMachine for position-independent object code.
llvm::Expected<TargetInfo> resolveTarget(llvm::StringRef triple,
                                         llvm::StringRef cpu);

/// The SIMD facts for a subtarget (from the features the CPU enables).
SimdInfo getSimdInfo(const llvm::TargetMachine &machine);

} // namespace dlc

#endif // DLC_TARGET_TARGETINFO_H
