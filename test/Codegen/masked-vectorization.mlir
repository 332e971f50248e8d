// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s

// A dimension that is not a multiple of the vector width (16 f32 lanes) is
// still vectorized at full width: the edge is masked (masked loads and stores
// on AVX-512) instead of vector<37xf32> or vector<10xf32> values that LLVM
// splits and shuffles. Numerics at these shapes: test/e2e (guard bytes after
// every buffer catch a store past the edge).

// Elementwise, 37 columns: a tile of 32 unmasked, then the peeled last 5
// columns as 16 lanes under a 5-lane mask (every tile static).
// CHECK-LABEL: func.func @add_97x37(
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} : tensor<97x37xf32>, vector<1x32xf32>
// CHECK: arith.addf {{.*}} : vector<1x32xf32>
// CHECK: %[[MASK:.*]] = vector.constant_mask [1, 5] : vector<1x16xi1>
// CHECK: vector.transfer_read {{.*}}, %[[MASK]] {{.*}} : tensor<1x5xf32>, vector<1x16xf32>
// CHECK: vector.transfer_read {{.*}}, %[[MASK]] {{.*}} : tensor<1x5xf32>, vector<1x16xf32>
// CHECK: arith.addf {{.*}} : vector<1x16xf32>
// CHECK: vector.transfer_write {{.*}}, %[[MASK]] {{.*}} : vector<1x16xf32>, tensor<1x5xf32>
func.func @add_97x37(%a: tensor<97x37xf32>, %b: tensor<97x37xf32>)
    -> tensor<97x37xf32> {
  %0 = dl.add %a, %b : tensor<97x37xf32>, tensor<97x37xf32>
  return %0 : tensor<97x37xf32>
}

// Matmul, N = 10: one 8 x 16 register tile per 8 rows, B's row and the
// accumulator read and written under a 10-lane mask, the contraction itself
// unmasked (its extra lanes are never stored).
// CHECK-LABEL: func.func @matmul_64x256x10(
// CHECK: %[[CM:.*]] = vector.constant_mask [8, 10] : vector<8x16xi1>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}, %[[CM]] {{.*}} : vector<8x16xf32>, tensor<8x10xf32>
// CHECK: scf.for
// CHECK: vector.constant_mask [1, 10] : vector<1x16xi1>
// CHECK-NOT: vector.mask
// CHECK: vector.contract {{.*}} into vector<8x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<8x16xf32>, tensor<8x10xf32>
func.func @matmul_64x256x10(%a: tensor<64x256xf32>, %b: tensor<256x10xf32>)
    -> tensor<64x10xf32> {
  %0 = dl.matmul %a, %b : tensor<64x256xf32>, tensor<256x10xf32>
  return %0 : tensor<64x10xf32>
}

// Matmul with a bias + ReLU epilogue, N = 37: 8 x 32 register tiles, then
// the peeled last 5 columns as 8 x 16 tiles under a 5-lane mask; the
// epilogue runs on the accumulators of both.
// CHECK-LABEL: func.func @dense_relu_64x100x37(
// CHECK: vector.contract {{.*}} into vector<8x32xf32>
// CHECK: arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK: vector.constant_mask [8, 5] : vector<8x16xi1>
// CHECK-NOT: vector.mask
// CHECK: vector.contract {{.*}} into vector<8x16xf32>
// CHECK: arith.maximumf {{.*}} : vector<8x16xf32>
func.func @dense_relu_64x100x37(%x: tensor<64x100xf32>, %w: tensor<100x37xf32>,
                                %b: tensor<37xf32>) -> tensor<64x37xf32> {
  %0 = dl.matmul %x, %w : tensor<64x100xf32>, tensor<100x37xf32>
  %1 = dl.add %0, %b : tensor<64x37xf32>, tensor<37xf32>
  %2 = dl.relu %1 : tensor<64x37xf32>
  return %2 : tensor<64x37xf32>
}

// A reduction over rows with 10 columns (a bias gradient): masked along the
// columns, one row per step (reductions tile by 1 when the innermost loop is
// parallel), each a masked 16-lane vector added to the accumulator.
// CHECK-LABEL: func.func @colsum_64x10(
// CHECK: scf.for
// CHECK: %[[M:.*]] = vector.constant_mask [10] : vector<16xi1>
// CHECK: vector.transfer_read {{.*}}, %[[M]] {{.*}} : tensor<10xf32>, vector<16xf32>
// CHECK-NOT: vector.mask
// CHECK-NOT: vector.multi_reduction
func.func @colsum_64x10(%a: tensor<64x10xf32>) -> tensor<10xf32> {
  %0 = dl.sum %a axes = [0] : tensor<64x10xf32>
  return %0 : tensor<10xf32>
}

// 97 rows (prime) give 1-row tiles, whose unit dimension is dropped: the
// mask survives, an accumulation of 16-lane vectors.
// CHECK-LABEL: func.func @colsum_97x10(
// CHECK: scf.for
// CHECK: %[[M:.*]] = vector.constant_mask [10] : vector<16xi1>
// CHECK: vector.transfer_read {{.*}}, %[[M]] {{.*}} : tensor<10xf32>, vector<16xf32>
// CHECK: arith.addf {{.*}} : vector<16xf32>
func.func @colsum_97x10(%a: tensor<97x10xf32>) -> tensor<10xf32> {
  %0 = dl.sum %a axes = [0] : tensor<97x10xf32>
  return %0 : tensor<10xf32>
}

// A reduction along the ragged innermost dimension keeps vector<10xf32>.
// CHECK-LABEL: func.func @rowsum_64x10(
// CHECK-NOT: mask
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<4x10xf32> to vector<4xf32>
func.func @rowsum_64x10(%a: tensor<64x10xf32>) -> tensor<64xf32> {
  %0 = dl.sum %a axes = [1] : tensor<64x10xf32>
  return %0 : tensor<64xf32>
}
