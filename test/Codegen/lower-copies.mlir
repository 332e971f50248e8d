// RUN: dlc-opt %s --dlc-lower-copies | FileCheck %s
// RUN: dlc-opt %s --dlc-lower-copies --convert-linalg-to-loops --finalize-memref-to-llvm \
// RUN:   | FileCheck %s --check-prefix=LLVM

// A copy of a view onto itself is erased; any other copy becomes vector
// rows (one transfer_read and transfer_write per row), or loops for dynamic
// shapes: no call to MLIR's runtime memrefCopy.

// CHECK-LABEL: func.func @copies(
// CHECK-SAME: %[[T:[^:]*]]: memref<8x32xf32>, %[[D:[^:]*]]: memref<13x37xf32>)
// CHECK: %[[V:.*]] = memref.subview %[[D]][0, 0] [8, 32] [1, 1]
// CHECK-NOT: memref.copy
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1
// CHECK: vector.transfer_read {{.*}} vector<1x32xf32>
// CHECK: vector.transfer_write {{.*}} vector<1x32xf32>, memref<1x32xf32, strided<[37, 1], offset: ?>>
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

// A long row in tiles of a divisor of it (100: 50), a dynamic one as loops.
// CHECK-LABEL: func.func @rows(
// CHECK: scf.for %{{.*}} = %{{.*}} to %c100 step %c50
// CHECK: vector.transfer_write {{.*}} vector<1x50xf32>
// CHECK: linalg.copy ins(%{{.*}} : memref<?x4xf32>)
func.func @rows(%a: memref<3x100xf32>, %b: memref<3x100xf32, strided<[128, 1]>>,
                %c: memref<?x4xf32>, %d: memref<?x4xf32>) {
  memref.copy %a, %b : memref<3x100xf32> to memref<3x100xf32, strided<[128, 1]>>
  memref.copy %c, %d : memref<?x4xf32> to memref<?x4xf32>
  return
}
