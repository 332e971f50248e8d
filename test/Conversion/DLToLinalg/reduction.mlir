// RUN: dlc-opt %s -convert-dl-to-linalg -split-input-file | FileCheck %s

// sum/mean/max -> one reduction linalg.generic into a linalg.fill of the
// reduction's identity; mean then scales by 1/n; keepdims re-inserts the
// reduced dims as size 1 with expand_shape.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum(
// CHECK-SAME: %[[A:.*]]: tensor<64x10xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<64xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<64xf32>)
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[OUT]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[A]] : tensor<64x10xf32>) outs(%[[ACC]] : tensor<64xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32):
// CHECK: %[[N:.*]] = arith.addf %[[X]], %[[S]] : f32
// CHECK: linalg.yield %[[N]] : f32
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[R]] : tensor<64xf32>
func.func @sum(%a: tensor<64x10xf32>) -> tensor<64xf32> {
  %0 = dl.sum %a axes = [1] : tensor<64x10xf32>
  return %0 : tensor<64xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum_keepdims(
// CHECK-SAME: %[[A:.*]]: tensor<64x10xf32>)
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[OUT]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf
// CHECK: } -> tensor<64xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0, 1]] output_shape [64, 1] : tensor<64xf32> into tensor<64x1xf32>
// CHECK: return %[[E]] : tensor<64x1xf32>
func.func @sum_keepdims(%a: tensor<64x10xf32>) -> tensor<64x1xf32> {
  %0 = dl.sum %a axes = [1] keepdims : tensor<64x10xf32>
  return %0 : tensor<64x1xf32>
}

// -----

// Every axis: a 0-d result.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @sum_all(
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<f32>)
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[OUT]]]
// CHECK-SAME: iterator_types = ["reduction", "reduction"]
// CHECK-SAME: outs(%[[ACC]] : tensor<f32>)
// CHECK: arith.addf
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[R]] : tensor<f32>
func.func @sum_all(%a: tensor<4x5xf32>) -> tensor<f32> {
  %0 = dl.sum %a axes = [0, 1] : tensor<4x5xf32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @sum_all_keepdims(
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["reduction", "reduction"]
// CHECK: } -> tensor<f32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[R]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// CHECK: return %[[E]] : tensor<1x1xf32>
func.func @sum_all_keepdims(%a: tensor<4x5xf32>) -> tensor<1x1xf32> {
  %0 = dl.sum %a axes = [0, 1] keepdims : tensor<4x5xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum_int_keepdims(
// CHECK-SAME: %[[A:.*]]: tensor<8x16xi32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%{{.*}} : tensor<8xi32>)
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[OUT]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: ^bb0(%[[X:.*]]: i32, %[[S:.*]]: i32):
// CHECK: arith.addi %[[X]], %[[S]] : i32
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1]] output_shape [8, 1] : tensor<8xi32> into tensor<8x1xi32>
func.func @sum_int_keepdims(%a: tensor<8x16xi32>) -> tensor<8x1xi32> {
  %0 = dl.sum %a axes = [1] keepdims : tensor<8x16xi32>
  return %0 : tensor<8x1xi32>
}

// -----

// mean over axes [0, 2] of [2, 3, 4]: a sum, then a scale by 1/8.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @mean(
// CHECK-SAME: %[[A:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID3]], #[[OUT]]]
// CHECK-SAME: iterator_types = ["reduction", "parallel", "reduction"]
// CHECK-SAME: ins(%[[A]] : tensor<2x3x4xf32>) outs(%[[ACC]] : tensor<3xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID1]], #[[ID1]]]
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-SAME: ins(%[[SUM]] : tensor<3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SCALE:.*]] = arith.constant 1.250000e-01 : f32
// CHECK: %[[M:.*]] = arith.mulf %[[X]], %[[SCALE]] : f32
// CHECK: linalg.yield %[[M]] : f32
// CHECK: return %[[R]] : tensor<3xf32>
func.func @mean(%a: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = dl.mean %a axes = [0, 2] : tensor<2x3x4xf32>
  return %0 : tensor<3xf32>
}

// -----

// mean over axis 1 (n = 3) with keepdims: the scale is 1/3 rounded to f32.
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mean_keepdims(
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID3]], #[[OUT]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: } -> tensor<2x4xf32>
// CHECK: %[[M:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID2]], #[[ID2]]]
// CHECK-SAME: ins(%[[SUM]] : tensor<2x4xf32>)
// CHECK: arith.constant 0.333333343 : f32
// CHECK: arith.mulf
// CHECK: } -> tensor<2x4xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[M]] {{\[\[}}0, 1]] : tensor<2x4xf32> into tensor<8xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2]] output_shape [2, 1, 4] : tensor<8xf32> into tensor<2x1x4xf32>
// CHECK: return %[[R]] : tensor<2x1x4xf32>
func.func @mean_keepdims(%a: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = dl.mean %a axes = [1] keepdims : tensor<2x3x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// max starts from -inf.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @max(
// CHECK-SAME: %[[A:.*]]: tensor<8x16xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<16xf32>)
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[OUT]]]
// CHECK-SAME: iterator_types = ["reduction", "parallel"]
// CHECK-SAME: ins(%[[A]] : tensor<8x16xf32>) outs(%[[ACC]] : tensor<16xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[M:.*]]: f32):
// CHECK: %[[N:.*]] = arith.maximumf %[[X]], %[[M]] : f32
// CHECK: linalg.yield %[[N]] : f32
// CHECK: return %[[R]] : tensor<16xf32>
func.func @max(%a: tensor<8x16xf32>) -> tensor<16xf32> {
  %0 = dl.max %a axes = [0] : tensor<8x16xf32>
  return %0 : tensor<16xf32>
}

// -----

// Integer max starts from the smallest signed value.
// CHECK-LABEL: func.func @max_int(
// CHECK: %[[MIN:.*]] = arith.constant -2147483648 : i32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[MIN]] : i32) outs(%{{.*}} : tensor<8xi32>)
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: outs(%[[ACC]] : tensor<8xi32>)
// CHECK: ^bb0(%[[X:.*]]: i32, %[[M:.*]]: i32):
// CHECK: arith.maxsi %[[X]], %[[M]] : i32
func.func @max_int(%a: tensor<8x16xi32>) -> tensor<8xi32> {
  %0 = dl.max %a axes = [1] : tensor<8x16xi32>
  return %0 : tensor<8xi32>
}
