// RUN: dlc-opt %s -convert-dl-to-linalg -split-input-file | FileCheck %s

// dl.matmul -> a zero linalg.fill accumulator and linalg.matmul (rank 2) or
// linalg.batch_matmul (rank 3); higher ranks collapse their batch dims into
// one around a batch_matmul and reshape the product back.

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:.*]]: tensor<64x784xf32>, %[[B:.*]]: tensor<784x256xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<64x256xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<64x256xf32>) -> tensor<64x256xf32>
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<64x784xf32>, tensor<784x256xf32>) outs(%[[ACC]] : tensor<64x256xf32>) -> tensor<64x256xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]] : tensor<64x256xf32>
func.func @matmul(%a: tensor<64x784xf32>, %b: tensor<784x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.matmul %a, %b : tensor<64x784xf32>, tensor<784x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_f16(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf16>, %[[B:.*]]: tensor<3x4xf16>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f16) outs(%{{.*}} : tensor<2x4xf16>)
// CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf16>, tensor<3x4xf16>) outs(%[[ACC]] : tensor<2x4xf16>)
func.func @matmul_f16(%a: tensor<2x3xf16>, %b: tensor<3x4xf16>) -> tensor<2x4xf16> {
  %0 = dl.matmul %a, %b : tensor<2x3xf16>, tensor<3x4xf16>
  return %0 : tensor<2x4xf16>
}

// -----

// CHECK-LABEL: func.func @batch_matmul(
// CHECK-SAME: %[[A:.*]]: tensor<8x4x16xf32>, %[[B:.*]]: tensor<8x16x32xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<8x4x32xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<8x4x32xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: %[[R:.*]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<8x4x16xf32>, tensor<8x16x32xf32>) outs(%[[ACC]] : tensor<8x4x32xf32>) -> tensor<8x4x32xf32>
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[R]] : tensor<8x4x32xf32>
func.func @batch_matmul(%a: tensor<8x4x16xf32>, %b: tensor<8x16x32xf32>) -> tensor<8x4x32xf32> {
  %0 = dl.matmul %a, %b : tensor<8x4x16xf32>, tensor<8x16x32xf32>
  return %0 : tensor<8x4x32xf32>
}

// -----

// Rank 4: [2,3] batch dims collapse to 6, and the [6,4,6] product is reshaped
// back to [2,3,4,6].
// CHECK-LABEL: func.func @batch_matmul_rank4(
// CHECK-SAME: %[[A:.*]]: tensor<2x3x4x5xf32>, %[[B:.*]]: tensor<2x3x5x6xf32>)
// CHECK: %[[AC:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1], [2], [3]] : tensor<2x3x4x5xf32> into tensor<6x4x5xf32>
// CHECK: %[[BC:.*]] = tensor.collapse_shape %[[B]] {{\[\[}}0, 1], [2], [3]] : tensor<2x3x5x6xf32> into tensor<6x5x6xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<6x4x6xf32>)
// CHECK: %[[P:.*]] = linalg.batch_matmul ins(%[[AC]], %[[BC]] : tensor<6x4x5xf32>, tensor<6x5x6xf32>) outs(%[[ACC]] : tensor<6x4x6xf32>) -> tensor<6x4x6xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[P]] {{\[\[}}0, 1, 2]] : tensor<6x4x6xf32> into tensor<144xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2, 3]] output_shape [2, 3, 4, 6] : tensor<144xf32> into tensor<2x3x4x6xf32>
// CHECK: return %[[R]] : tensor<2x3x4x6xf32>
func.func @batch_matmul_rank4(%a: tensor<2x3x4x5xf32>, %b: tensor<2x3x5x6xf32>) -> tensor<2x3x4x6xf32> {
  %0 = dl.matmul %a, %b : tensor<2x3x4x5xf32>, tensor<2x3x5x6xf32>
  return %0 : tensor<2x3x4x6xf32>
}
