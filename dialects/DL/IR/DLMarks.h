//===- DLMarks.h - the marks of a model function's ABI roles ----*- C++ -*-===//
//
// Part of dlc. The front end marks every argument and result of the model
// function with its role and name, as discardable attributes; the
// entry-point passes, code generation and the header emitter read them. The
// attribute names and the roles are declared here once.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_IR_DLMARKS_H
#define DLC_DL_IR_DLMARKS_H

#include "llvm/ADT/StringRef.h"

namespace dlc::dl {

/// The role of an argument or result (one of kind::k...).
inline constexpr llvm::StringLiteral kKindAttr = "dl.kind";
/// The hierarchical name of a tensor ("l1.W"); an update or gradient names
/// the argument it belongs to.
inline constexpr llvm::StringLiteral kNameAttr = "dl.name";
/// A parameter's or state's initializer ({kind = "glorot", ...}).
inline constexpr llvm::StringLiteral kInitAttr = "dl.init";

/// Module: for each integer input whose ids index an embedding table, the
/// rows of the smallest such table ({x = 11 : i64}); the trainer checks the
/// data's ids against it.
inline constexpr llvm::StringLiteral kIdBoundsAttr = "dl.id_bounds";

/// The values of kKindAttr.
namespace kind {
inline constexpr llvm::StringLiteral kInput = "input";
inline constexpr llvm::StringLiteral kLabel = "label";
inline constexpr llvm::StringLiteral kParam = "param";
/// Non-trained state (running statistics, counters); also a model
/// function's result with its final value.
inline constexpr llvm::StringLiteral kState = "state";
/// Optimizer state (moments, the step counter).
inline constexpr llvm::StringLiteral kOptState = "opt_state";
inline constexpr llvm::StringLiteral kLoss = "loss";
inline constexpr llvm::StringLiteral kOutput = "output";
/// A gradient (a result of grad, an argument of apply).
inline constexpr llvm::StringLiteral kGrad = "grad";
/// A new value written over the argument of the same name.
inline constexpr llvm::StringLiteral kUpdate = "update";
} // namespace kind

} // namespace dlc::dl

#endif // DLC_DL_IR_DLMARKS_H
