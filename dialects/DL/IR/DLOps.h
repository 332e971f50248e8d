//===- DLOps.h - dl dialect operations --------------------------*- C++ -*-===//
//
// Part of dlc. Declares the `dl` ops and the shape-inference helpers that the
// op definitions share (also used by the front end to check shapes early).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_IR_DLOPS_H
#define DLC_DL_IR_DLOPS_H

#include "DL/IR/DLDialect.h"
#include "DL/IR/DLShapes.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <optional>

#include "DL/IR/DLInterfaces.h.inc"

namespace dlc::dl {

/// Result type of a broadcasting binary op named `opName`: same element type,
/// broadcast shape. Emits a diagnostic at `loc` and fails on a mismatch.
llvm::LogicalResult
inferBroadcastBinaryType(llvm::StringRef opName,
                         std::optional<mlir::Location> loc, mlir::Type lhs,
                         mlir::Type rhs,
                         llvm::SmallVectorImpl<mlir::Type> &results);

/// Result type of a reduction named `opName` over `axes` (strictly increasing,
/// in [0, rank)). Emits a diagnostic at `loc` and fails on bad axes.
llvm::LogicalResult
inferReductionType(llvm::StringRef opName, std::optional<mlir::Location> loc,
                   mlir::Type input, llvm::ArrayRef<int64_t> axes,
                   bool keepdims, llvm::SmallVectorImpl<mlir::Type> &results);

/// Sums `grad` (a cotangent of a broadcast result) over the dimensions that
/// broadcasting added to or expanded in `type`, and reshapes it to `type`:
/// the gradient of a NumPy-broadcast operand.
mlir::Value reduceToShape(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value grad, mlir::RankedTensorType type);

/// Folds a reduction whose result equals its input (every reduced dimension
/// has size 1 and is kept, or there are no axes) to that input.
mlir::OpFoldResult foldIdentityReduction(mlir::Operation *op);

/// The `custom<TypeTuple>` directive: a parenthesized list of types, `()`
/// when empty (dl.scan's sequences, carries and results).
mlir::ParseResult parseTypeTuple(mlir::OpAsmParser &parser,
                                 llvm::SmallVectorImpl<mlir::Type> &types);
void printTypeTuple(mlir::OpAsmPrinter &printer, mlir::Operation *op,
                    mlir::TypeRange types);

} // namespace dlc::dl

#define GET_OP_CLASSES
#include "DL/IR/DLOps.h.inc"

#endif // DLC_DL_IR_DLOPS_H
