// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s

// Sizes that no tile divides are still computed in full register tiles
// (issue 4: "peel, pad or mask the remainder"). A matmul's M with no good
// divisor (29 is prime) is tiled by 8 rows, N = 37 by 32 lanes, and both
// loops peeled, so every tile is static: 3 x 8 rows by 32 columns, 5 rows by
// 32, 3 x 8 rows by 5 columns (a 16-lane vector under a 5-lane mask), and 5
// by 5. The contractions themselves are never masked. Numerics:
// test/e2e/matmul.mlir, test/e2e/torch_parity_ragged.dl.

// CHECK-LABEL: func.func @matmul_29x31x37(
// CHECK: scf.for {{.*}} = %c0 to %c24 step %c8
// CHECK: scf.for {{.*}} = %c0 to %c31 step %c1
// CHECK: vector.contract {{.*}} into vector<8x32xf32>
// CHECK: scf.for {{.*}} = %c0 to %c31 step %c1
// CHECK: vector.contract {{.*}} into vector<5x32xf32>
// CHECK: scf.for {{.*}} = %c0 to %c24 step %c8
// CHECK: vector.constant_mask [8, 5] : vector<8x16xi1>
// CHECK: scf.for {{.*}} = %c0 to %c31 step %c1
// CHECK-NOT: vector.mask
// CHECK: vector.contract {{.*}} into vector<8x16xf32>
// CHECK: vector.constant_mask [5, 5] : vector<5x16xi1>
// CHECK: scf.for {{.*}} = %c0 to %c31 step %c1
// CHECK-NOT: vector.mask
// CHECK: vector.contract {{.*}} into vector<5x16xf32>
func.func @matmul_29x31x37(%a: tensor<29x31xf32>, %b: tensor<31x37xf32>)
    -> tensor<29x37xf32> {
  %0 = dl.matmul %a, %b : tensor<29x31xf32>, tensor<31x37xf32>
  return %0 : tensor<29x37xf32>
}

// M = 13 with a bias + ReLU epilogue: an 8-row tile and a 5-row tile, each
// with the epilogue on its accumulators; N = 10 in one masked 16-lane tile.
// CHECK-LABEL: func.func @dense_relu_13x97x10(
// CHECK: vector.contract {{.*}} into vector<8x16xf32>
// CHECK: arith.maximumf {{.*}} : vector<8x16xf32>
// CHECK: vector.contract {{.*}} into vector<5x16xf32>
// CHECK: arith.maximumf {{.*}} : vector<5x16xf32>
func.func @dense_relu_13x97x10(%x: tensor<13x97xf32>, %w: tensor<97x10xf32>,
                               %b: tensor<10xf32>) -> tensor<13x10xf32> {
  %0 = dl.matmul %x, %w : tensor<13x97xf32>, tensor<97x10xf32>
  %1 = dl.add %0, %b : tensor<13x10xf32>, tensor<10xf32>
  %2 = dl.relu %1 : tensor<13x10xf32>
  return %2 : tensor<13x10xf32>
}
