//===- MLIRGen.h - CheckedModel to the dl dialect ---------------*- C++ -*-===//
//
// Part of dlc. Translates a CheckedModel (the output of Sema) to a
// `builtin.module` holding `func.func @forward` in the `dl` dialect; see
// docs/language.md, section "MLIRGen output", for the contract.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_MLIRGEN_H
#define DLC_FRONTEND_MLIRGEN_H

#include "Frontend/Diagnostics.h"
#include "Frontend/CheckedModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

namespace dlc::frontend {

/// Registers and loads the dialects MLIRGen produces (func, dl).
void loadFrontendDialects(mlir::MLIRContext &context);

/// Generates the module of `model`. Reports located errors (e.g. "not
/// supported yet") through `diags` and returns null on failure; the module
/// is verified before it is returned.
mlir::OwningOpRef<mlir::ModuleOp> generateMLIR(mlir::MLIRContext &context,
                                               const CheckedModel &model,
                                               DiagEngine &diags);

} // namespace dlc::frontend

#endif // DLC_FRONTEND_MLIRGEN_H
