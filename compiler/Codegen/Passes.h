//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_PASSES_H
#define DLC_CODEGEN_PASSES_H

#include "Codegen/CodegenAttrs.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace dlc {

#define GEN_PASS_DECL
#include "Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Codegen/Passes.h.inc"

} // namespace dlc

#endif // DLC_CODEGEN_PASSES_H
