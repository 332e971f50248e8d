//===- FloatEnvironment.h - the FP mode generated entry points run in -*- C++
//-*-===//
//
// Part of dlc. Every entry point of a compiled model runs with subnormal
// floats flushed to zero (results) and read as zero (operands), as
// TensorFlow runs its kernels: an optimizer's second moment decaying
// towards zero otherwise makes each of its operations a microcode assist
// (about 100 cycles on Intel cores), which was 75% of the Fashion-MNIST MLP's
// train step. The entry saves the caller's control register, sets the
// flags, and restores the caller's mode before it returns (keeping the
// exception flags the call raised), so the caller's thread keeps its own mode.
// `dlc compile --denormals=keep` leaves the mode alone (IEEE subnormals,
// whatever the caller set).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TARGET_FLOATENVIRONMENT_H
#define DLC_TARGET_FLOATENVIRONMENT_H

#include "llvm/IR/Module.h"
#include "llvm/TargetParser/Triple.h"

namespace dlc {

/// Makes every externally visible function defined in `module`, and every
/// function other threads call (kThreadEntryFnAttr: parallel tasks), run with
/// flush-to-zero and denormals-are-zero (x86-64: MXCSR FTZ | DAZ; AArch64:
/// FPCR.FZ), the caller's mode restored at every return. Other targets are
/// left as they are. Returns whether it changed anything.
bool flushDenormalsInEntryPoints(llvm::Module &module,
                                 const llvm::Triple &triple);

} // namespace dlc

#endif // DLC_TARGET_FLOATENVIRONMENT_H
