//===- KernelGroups.h - the linalg ops codegen tiles together ---*- C++ -*-===//
//
// Part of dlc. Which ops share one tile loop nest: a contraction with the
// fill of its accumulator and its elementwise epilogue, any other linalg op
// with the fills of its inits. dlc-outline-kernels makes each group one
// kernel function; dlc-tile-and-vectorize tiles each group as one nest.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_KERNELGROUPS_H
#define DLC_CODEGEN_KERNELGROUPS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace dlc {

/// Whether `op` is a contraction that gets register tiles (matmul,
/// batch_matmul).
bool isRegisterTiledContraction(mlir::Operation *op);

/// The elementwise consumer of `matmul` to tile as the root of its nest, so
/// that it runs on the accumulator tile (a bias + activation epilogue): the
/// matmul's only user, all-parallel over the same iteration space, reading
/// the product and writing its result through identity maps. Null if none.
mlir::linalg::GenericOp findEpilogue(mlir::linalg::LinalgOp matmul);

/// The group of `op` in program order: the fills whose only user is `op`,
/// `op`, and for a register-tiled contraction its epilogue. Its last op
/// produces every result that leaves the group.
llvm::SmallVector<mlir::Operation *> kernelGroup(mlir::linalg::LinalgOp op);

/// Makes `func` a kernel (dlc.kernel): private, of internal linkage, its
/// buffers allocated by its callers (dlc-plan-memory). dlc-outline-kernels'
/// kernels and dlc-outline-parallel-loops' tasks are such functions.
void markKernel(mlir::func::FuncOp func);

} // namespace dlc

#endif // DLC_CODEGEN_KERNELGROUPS_H
