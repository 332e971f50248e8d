// RUN: dlc-opt %s -convert-dl-to-linalg -split-input-file | FileCheck %s

// constant -> arith.constant; fill -> linalg.fill; reshape ->
// collapse_shape/expand_shape through 1-D; transpose -> linalg.transpose;
// broadcast -> a broadcasting linalg.generic that yields its input.

// CHECK-LABEL: func.func @constant(
// CHECK: %[[C:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: return %[[C]] : tensor<2x2xf32>
func.func @constant() -> tensor<2x2xf32> {
  %0 = dl.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// A fill stays a linalg.fill: the conversion driver must not fold it into a
// splat constant first (that becomes a full data array in the object).
// CHECK-LABEL: func.func @fill(
// CHECK-NOT: dense
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<64x784xf32>
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[V]] : f32) outs(%[[EMPTY]] : tensor<64x784xf32>) -> tensor<64x784xf32>
// CHECK-NOT: dense
// CHECK: return %[[F]] : tensor<64x784xf32>
func.func @fill() -> tensor<64x784xf32> {
  %0 = dl.fill 1.5 : tensor<64x784xf32>
  return %0 : tensor<64x784xf32>
}

// -----

// CHECK-LABEL: func.func @fill_int(
// CHECK-NOT: dense
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4xi32>
// CHECK: %[[V:.*]] = arith.constant -3 : i32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[V]] : i32) outs(%[[EMPTY]] : tensor<4xi32>) -> tensor<4xi32>
// CHECK: return %[[F]] : tensor<4xi32>
func.func @fill_int() -> tensor<4xi32> {
  %0 = dl.fill -3.0 : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// A fill feeding other ops is lowered the same way.
// CHECK-LABEL: func.func @fill_operand(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: dense
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[X]], %[[F]] : tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK: arith.mulf
func.func @fill_operand(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.fill 2.0 : tensor<2x3xf32>
  %1 = dl.mul %x, %0 : tensor<2x3xf32>, tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: %[[A:.*]]: tensor<64x28x28xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1, 2]] : tensor<64x28x28xf32> into tensor<50176xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [64, 784] : tensor<50176xf32> into tensor<64x784xf32>
// CHECK: return %[[R]] : tensor<64x784xf32>
func.func @reshape(%a: tensor<64x28x28xf32>) -> tensor<64x784xf32> {
  %0 = dl.reshape %a : tensor<64x28x28xf32> -> tensor<64x784xf32>
  return %0 : tensor<64x784xf32>
}

// -----

// From 1-D only an expand is needed.
// CHECK-LABEL: func.func @reshape_expand(
// CHECK-SAME: %[[A:.*]]: tensor<6xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: %[[R:.*]] = tensor.expand_shape %[[A]] {{\[\[}}0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @reshape_expand(%a: tensor<6xf32>) -> tensor<2x3xf32> {
  %0 = dl.reshape %a : tensor<6xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// To 1-D only a collapse is needed.
// CHECK-LABEL: func.func @reshape_collapse(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK-NOT: tensor.expand_shape
// CHECK: return %[[R]]
func.func @reshape_collapse(%a: tensor<2x3xf32>) -> tensor<6xf32> {
  %0 = dl.reshape %a : tensor<2x3xf32> -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

// 0-d to [1, 1]: an expand with an empty reassociation.
// CHECK-LABEL: func.func @reshape_from_scalar(
// CHECK-SAME: %[[A:.*]]: tensor<f32>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[A]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// CHECK: return %[[R]]
func.func @reshape_from_scalar(%a: tensor<f32>) -> tensor<1x1xf32> {
  %0 = dl.reshape %a : tensor<f32> -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

// [1, 1] to 0-d: a collapse with an empty reassociation.
// CHECK-LABEL: func.func @reshape_to_scalar(
// CHECK-SAME: %[[A:.*]]: tensor<1x1xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[A]] [] : tensor<1x1xf32> into tensor<f32>
// CHECK: return %[[R]]
func.func @reshape_to_scalar(%a: tensor<1x1xf32>) -> tensor<f32> {
  %0 = dl.reshape %a : tensor<1x1xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: %[[A:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[A]] : tensor<2x3x4xf32>) outs(%[[EMPTY]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: return %[[T]] : tensor<4x2x3xf32>
func.func @transpose(%a: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = dl.transpose %a perm = [2, 0, 1] : tensor<2x3x4xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_2d(
// CHECK-SAME: %[[A:.*]]: tensor<784x256xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<256x784xf32>
// CHECK: linalg.transpose ins(%[[A]] : tensor<784x256xf32>) outs(%[[EMPTY]] : tensor<256x784xf32>) permutation = [1, 0]
func.func @transpose_2d(%a: tensor<784x256xf32>) -> tensor<256x784xf32> {
  %0 = dl.transpose %a perm = [1, 0] : tensor<784x256xf32>
  return %0 : tensor<256x784xf32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME: %[[A:.*]]: tensor<256xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<64x256xf32>
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[IN]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[A]] : tensor<256xf32>) outs(%[[EMPTY]] : tensor<64x256xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X]] : f32
// CHECK: return %[[R]] : tensor<64x256xf32>
func.func @broadcast(%a: tensor<256xf32>) -> tensor<64x256xf32> {
  %0 = dl.broadcast %a : tensor<256xf32> -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// [3, 1] -> [2, 3, 4]: a missing leading dim and a size-1 dim.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast_unit_dim(
// CHECK-SAME: %[[A:.*]]: tensor<3x1xf32>)
// CHECK: %[[AC:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<3x1xf32> into tensor<3xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[IN]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME: ins(%[[AC]] : tensor<3xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X]] : f32
func.func @broadcast_unit_dim(%a: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = dl.broadcast %a : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast_scalar(
// CHECK-SAME: %[[A:.*]]: tensor<f32>)
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[IN]], #[[ID]]]
// CHECK-SAME: ins(%[[A]] : tensor<f32>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X]] : f32
func.func @broadcast_scalar(%a: tensor<f32>) -> tensor<2x3xf32> {
  %0 = dl.broadcast %a : tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
