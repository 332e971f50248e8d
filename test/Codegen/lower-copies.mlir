// RUN: dlc-opt %s --dlc-lower-copies | FileCheck %s
// RUN: dlc-opt %s --dlc-lower-copies --convert-linalg-to-loops --finalize-memref-to-llvm \
// RUN:   | FileCheck %s --check-prefix=LLVM

// A copy of a view onto itself is erased; any other copy becomes a
// linalg.copy, lowered to loops: no call to MLIR's runtime memrefCopy.

// CHECK-LABEL: func.func @copies(
// CHECK-SAME: %[[T:[^:]*]]: memref<8x32xf32>, %[[D:[^:]*]]: memref<13x37xf32>)
// CHECK: %[[V:.*]] = memref.subview %[[D]][0, 0] [8, 32] [1, 1]
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[T]] : memref<8x32xf32>) outs(%[[V]] : memref<8x32xf32, strided<[37, 1]>>)
// CHECK-NOT: memref.copy
// CHECK: return
// LLVM-NOT: memrefCopy
func.func @copies(%t: memref<8x32xf32>, %d: memref<13x37xf32>) {
  %v = memref.subview %d[0, 0] [8, 32] [1, 1] : memref<13x37xf32> to memref<8x32xf32, strided<[37, 1]>>
  %w = memref.subview %d[8, 32] [5, 5] [1, 1] : memref<13x37xf32> to memref<5x5xf32, strided<[37, 1], offset: 328>>
  memref.copy %t, %v : memref<8x32xf32> to memref<8x32xf32, strided<[37, 1]>>
  memref.copy %w, %w : memref<5x5xf32, strided<[37, 1], offset: 328>> to memref<5x5xf32, strided<[37, 1], offset: 328>>
  return
}
