//===- Passes.h - dl conversion passes --------------------------*- C++ -*-===//
//
// Part of dlc. Declares the dl conversion passes and their registration.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_CONVERSION_PASSES_H
#define DLC_DL_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace dlc::dl {

#define GEN_PASS_DECL
#include "DL/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "DL/Conversion/Passes.h.inc"

} // namespace dlc::dl

#endif // DLC_DL_CONVERSION_PASSES_H
