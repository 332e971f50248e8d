//===- EntryPoints.h - helpers shared by the entry-point passes -*- C++ -*-===//
//
// Part of dlc. The front end marks a model function's arguments and results
// with `dl.kind` and `dl.name`; these helpers read and write those marks.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_TRANSFORMS_ENTRYPOINTS_H
#define DLC_DL_TRANSFORMS_ENTRYPOINTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace dlc::dl {

/// The `dl.kind` of argument `i` of `func` ("" if unmarked).
llvm::StringRef getArgKind(mlir::func::FuncOp func, unsigned i);
/// The `dl.kind` of result `i` of `func` ("" if unmarked).
llvm::StringRef getResultKind(mlir::func::FuncOp func, unsigned i);
/// The `dl.name` of argument `i` of `func` ("" if unmarked).
llvm::StringRef getArgName(mlir::func::FuncOp func, unsigned i);

/// A `{dl.kind = kind, dl.name = name}` attribute dictionary.
mlir::DictionaryAttr makeMarks(mlir::MLIRContext *ctx, llvm::StringRef kind,
                               llvm::StringRef name);

/// Makes `func` return `results` (with `attrs`) in place of `ret`, and
/// updates its type.
void setResults(mlir::func::FuncOp func, mlir::func::ReturnOp ret,
                mlir::ValueRange results,
                llvm::ArrayRef<mlir::DictionaryAttr> attrs);

/// The attribute that marks a function derived by an entry-point pass:
/// `dl.entry = "grad"` (also "train_step", "apply", "eval", "forward").
inline constexpr llvm::StringLiteral kEntryAttr = "dl.entry";
/// Marks `func` as the derived entry point `name`.
void markEntry(mlir::func::FuncOp func, llvm::StringRef name);

/// Which computation of a `dl.mode_select` an entry point runs.
enum class Mode { Training, Inference };
/// Replaces every `dl.mode_select` in `func` by its `mode` operand.
void resolveModes(mlir::func::FuncOp func, Mode mode);
/// Erases the side-effect-free ops of `func`'s body whose results are unused.
void eraseDeadOps(mlir::func::FuncOp func);

/// The model function: the one with a `dl.kind = "loss"` result that is not
/// a derived entry point (`dl.entry`), or null. Emits an error and returns
/// failure if there are several.
mlir::FailureOr<mlir::func::FuncOp> findModelFunction(mlir::ModuleOp module);

/// The index of the loss result of `func`.
unsigned getLossIndex(mlir::func::FuncOp func);

} // namespace dlc::dl

#endif // DLC_DL_TRANSFORMS_ENTRYPOINTS_H
