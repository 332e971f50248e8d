//===- ReverseMode.h - reverse-mode differentiation of a block --*- C++ -*-===//
//
// Part of dlc. The core of reverse mode, shared by dl-autodiff (over a model
// function's body) and by ops with regions that differentiate their own body
// (dl.scan, over one step). It knows no op by name: each op's VJP comes from
// DifferentiableOpInterface or DifferentiableRegionOpInterface.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_DL_IR_REVERSEMODE_H
#define DLC_DL_IR_REVERSEMODE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace dlc::dl {

/// The values `op` reads: its operands, then the values its regions use from
/// outside them (in the order of mlir::getUsedValuesDefinedAbove).
llvm::SmallVector<mlir::Value> inputsOf(mlir::Operation &op);

/// The float tensors through which `sources` reach `sinks` along `ops` (in
/// order): those that depend on a source and that a sink depends on.
llvm::DenseSet<mlir::Value>
findActiveValues(llvm::ArrayRef<mlir::Operation *> ops,
                 llvm::ArrayRef<mlir::Value> sources,
                 llvm::ArrayRef<mlir::Value> sinks);

/// Walks `ops` (in order; none a terminator) backwards and builds, at `b`'s
/// insertion point, the cotangent of every active value they read, adding
/// it into `cotangent` (which holds the seeds on entry: a sink's cotangent).
/// Fails, with an error at the op, on an op on an active path that has no
/// gradient.
llvm::LogicalResult
backpropagate(mlir::OpBuilder &b, llvm::ArrayRef<mlir::Operation *> ops,
              const llvm::DenseSet<mlir::Value> &active,
              llvm::DenseMap<mlir::Value, mlir::Value> &cotangent);

/// Adds `grad` into `sum` (null: none yet).
void accumulate(mlir::OpBuilder &b, mlir::Location loc, mlir::Value &sum,
                mlir::Value grad);

} // namespace dlc::dl

#endif // DLC_DL_IR_REVERSEMODE_H
