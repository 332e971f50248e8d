//===- Passes.h - dl dialect transforms -------------------------*- C++ -*-===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_TRANSFORMS_PASSES_H
#define DLC_DL_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace dlc::dl {

#define GEN_PASS_DECL
#include "DL/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "DL/Transforms/Passes.h.inc"

} // namespace dlc::dl

#endif // DLC_DL_TRANSFORMS_PASSES_H
