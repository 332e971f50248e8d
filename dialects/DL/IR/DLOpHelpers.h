//===- DLOpHelpers.h - shared helpers of the dl ops' C++ -------*- C++ -*-===//
//
// Part of dlc. Private to dialects/DL/IR: what the files of op verifiers and
// type inference (DLOps.cpp, DLIndexing.cpp) share.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_IR_DLOPHELPERS_H
#define DLC_DL_IR_DLOPHELPERS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

#include <optional>

namespace dlc::dl {

/// Emits "'<op>' op <message>" at `loc` when a location is given; returns
/// failure either way.
template <typename... Args>
inline mlir::LogicalResult emitOpFailure(std::optional<mlir::Location> loc,
                                         llvm::StringRef opName,
                                         Args &&...args) {
  if (!loc)
    return mlir::failure();
  mlir::InFlightDiagnostic diag = mlir::emitError(*loc);
  diag << "'" << opName << "' op ";
  (diag << ... << std::forward<Args>(args));
  return diag;
}

/// Returns `type` as a statically shaped ranked tensor, or null.
inline mlir::RankedTensorType getStaticTensor(mlir::Type type) {
  auto tensor = llvm::dyn_cast_or_null<mlir::RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() ? tensor : mlir::RankedTensorType();
}

} // namespace dlc::dl

#endif // DLC_DL_IR_DLOPHELPERS_H
