// RUN: dlc-opt %s -convert-dl-to-linalg -split-input-file | FileCheck %s

// Elementwise dl ops -> one all-parallel linalg.generic each. Broadcast
// operands have their broadcast (size-1) dims collapsed away so that every
// indexing map is a projected permutation; missing leading dims just do not
// appear in the map.

//===----------------------------------------------------------------------===//
// Broadcasting binary arithmetic
//===----------------------------------------------------------------------===//

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_same_shape(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x3xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK-SAME: outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @add_same_shape(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.add %a, %b : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// [64,1] + [64,256]: the size-1 dim is collapsed away.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_column_broadcast(
// CHECK-SAME: %[[A:.*]]: tensor<64x1xf32>, %[[B:.*]]: tensor<64x256xf32>)
// CHECK: %[[AC:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<64x1xf32> into tensor<64xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[COL]], #[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[AC]], %[[B]] : tensor<64xf32>, tensor<64x256xf32>)
// CHECK: arith.addf
// CHECK: } -> tensor<64x256xf32>
func.func @add_column_broadcast(%a: tensor<64x1xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.add %a, %b : tensor<64x1xf32>, tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// [1,256] * [64,256]
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mul_row_broadcast(
// CHECK-SAME: %[[A:.*]]: tensor<1x256xf32>, %[[B:.*]]: tensor<64x256xf32>)
// CHECK: %[[AC:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<1x256xf32> into tensor<256xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ROW]], #[[ID]], #[[ID]]]
// CHECK-SAME: ins(%[[AC]], %[[B]] : tensor<256xf32>, tensor<64x256xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.mulf %[[X]], %[[Y]] : f32
func.func @mul_row_broadcast(%a: tensor<1x256xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.mul %a, %b : tensor<1x256xf32>, tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// [64,256] + [256]: a missing leading dim needs no collapse.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_bias(
// CHECK-SAME: %[[X:.*]]: tensor<64x256xf32>, %[[B:.*]]: tensor<256xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK-SAME: ins(%[[X]], %[[B]] : tensor<64x256xf32>, tensor<256xf32>)
// CHECK: arith.addf
func.func @add_bias(%x: tensor<64x256xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %0 = dl.add %x, %b : tensor<64x256xf32>, tensor<256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// [256] + [64,256]: the lower-rank operand on the left.
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_vector_lhs(
// CHECK-SAME: %[[B:.*]]: tensor<256xf32>, %[[X:.*]]: tensor<64x256xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ROW]], #[[ID]], #[[ID]]]
// CHECK-SAME: ins(%[[B]], %[[X]] : tensor<256xf32>, tensor<64x256xf32>)
// CHECK: ^bb0(%[[P:.*]]: f32, %[[Q:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.addf %[[P]], %[[Q]] : f32
func.func @add_vector_lhs(%b: tensor<256xf32>, %x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.add %b, %x : tensor<256xf32>, tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// 0-d + [2,3]: the scalar is read with an empty map.
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_scalar(
// CHECK-SAME: %[[S:.*]]: tensor<f32>, %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[SCALAR]], #[[ID]], #[[ID]]]
// CHECK-SAME: ins(%[[S]], %[[X]] : tensor<f32>, tensor<2x3xf32>)
// CHECK: arith.addf
func.func @add_scalar(%s: tensor<f32>, %x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.add %s, %x : tensor<f32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// [2,1] - [1,3]: both operands broadcast, along different dims.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @sub_outer(
// CHECK-SAME: %[[A:.*]]: tensor<2x1xf32>, %[[B:.*]]: tensor<1x3xf32>)
// CHECK-DAG: %[[AC:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<2x1xf32> into tensor<2xf32>
// CHECK-DAG: %[[BC:.*]] = tensor.collapse_shape %[[B]] {{\[\[}}0, 1]] : tensor<1x3xf32> into tensor<3xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[COL]], #[[ROW]], #[[ID]]]
// CHECK-SAME: ins(%[[AC]], %[[BC]] : tensor<2xf32>, tensor<3xf32>)
// CHECK-SAME: outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.subf %[[X]], %[[Y]] : f32
func.func @sub_outer(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.sub %a, %b : tensor<2x1xf32>, tensor<1x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// [4,1,5] / [3,5]: the broadcast middle dim is grouped with the next kept dim.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @div_rank3(
// CHECK-SAME: %[[A:.*]]: tensor<4x1x5xf32>, %[[B:.*]]: tensor<3x5xf32>)
// CHECK: %[[AC:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0], [1, 2]] : tensor<4x1x5xf32> into tensor<4x5xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[LHS]], #[[RHS]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME: ins(%[[AC]], %[[B]] : tensor<4x5xf32>, tensor<3x5xf32>)
// CHECK: arith.divf
// CHECK: } -> tensor<4x3x5xf32>
func.func @div_rank3(%a: tensor<4x1x5xf32>, %b: tensor<3x5xf32>) -> tensor<4x3x5xf32> {
  %0 = dl.div %a, %b : tensor<4x1x5xf32>, tensor<3x5xf32>
  return %0 : tensor<4x3x5xf32>
}

// -----

// [1,1] + [1,3]: only the dim that really broadcasts is collapsed.
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_unit_dims(
// CHECK-SAME: %[[A:.*]]: tensor<1x1xf32>, %[[B:.*]]: tensor<1x3xf32>)
// CHECK: %[[AC:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<1x1xf32> into tensor<1xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[KEPT]], #[[ID]], #[[ID]]]
// CHECK-SAME: ins(%[[AC]], %[[B]] : tensor<1xf32>, tensor<1x3xf32>)
func.func @add_unit_dims(%a: tensor<1x1xf32>, %b: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %0 = dl.add %a, %b : tensor<1x1xf32>, tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @maximum_minimum(
// CHECK-SAME: %[[A:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-SAME: ins(%[[A]], %[[B]] :
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[M:.*]] = arith.maximumf %[[X]], %[[Y]] : f32
// CHECK: linalg.yield %[[M]]
// CHECK: %[[MIN:.*]] = linalg.generic
// CHECK-SAME: ins(%[[MAX]], %[[B]] :
// CHECK: ^bb0(%[[X2:.*]]: f32, %[[Y2:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[N:.*]] = arith.minimumf %[[X2]], %[[Y2]] : f32
// CHECK: linalg.yield %[[N]]
// CHECK: return %[[MIN]]
func.func @maximum_minimum(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %0 = dl.maximum %a, %b : tensor<8xf32>, tensor<8xf32>
  %1 = dl.minimum %0, %b : tensor<8xf32>, tensor<8xf32>
  return %1 : tensor<8xf32>
}

// -----

// f16 and bf16: maximum and minimum from compares and selects (x86 without
// native 16-bit float arithmetic miscompiles llvm.maximum/minimum at NaN
// against a zero): a NaN x is x, a NaN y is y, and at equal operands the
// sign bits are combined (and for maximum, or for minimum: +-0 ties).
// CHECK-LABEL: func.func @maximum_minimum_f16(
// CHECK-SAME: %[[A:.*]]: tensor<8xf16>, %[[B:.*]]: tensor<8xf16>, %[[C:.*]]: tensor<8xbf16>, %[[D:.*]]: tensor<8xbf16>)
// CHECK: ins(%[[A]], %[[B]] :
// CHECK: ^bb0(%[[X:.*]]: f16, %[[Y:.*]]: f16, %{{.*}}: f16):
// CHECK-NOT: arith.maximumf
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[Y]] : f16
// CHECK: %[[M:.*]] = arith.select %[[GT]], %[[X]], %[[Y]] : f16
// CHECK: %[[XNAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f16
// CHECK: %[[M2:.*]] = arith.select %[[XNAN]], %[[X]], %[[M]] : f16
// CHECK: %[[XB:.*]] = arith.bitcast %[[X]] : f16 to i16
// CHECK: %[[YB:.*]] = arith.bitcast %[[Y]] : f16 to i16
// CHECK: %[[AND:.*]] = arith.andi %[[XB]], %[[YB]] : i16
// CHECK: %[[EQ:.*]] = arith.cmpf oeq, %[[X]], %[[Y]] : f16
// CHECK: %[[Z:.*]] = arith.bitcast %[[AND]] : i16 to f16
// CHECK: %[[R:.*]] = arith.select %[[EQ]], %[[Z]], %[[M2]] : f16
// CHECK: linalg.yield %[[R]] : f16
// CHECK: ins(%[[C]], %[[D]] :
// CHECK: ^bb0(%[[X:.*]]: bf16, %[[Y:.*]]: bf16, %{{.*}}: bf16):
// CHECK-NOT: arith.minimumf
// CHECK: arith.cmpf olt, %[[X]], %[[Y]] : bf16
// CHECK: arith.cmpf uno, %[[X]], %[[X]] : bf16
// CHECK: arith.ori %{{.*}}, %{{.*}} : i16
// CHECK: arith.cmpf oeq, %[[X]], %[[Y]] : bf16
// CHECK: linalg.yield
func.func @maximum_minimum_f16(%a: tensor<8xf16>, %b: tensor<8xf16>,
                               %c: tensor<8xbf16>, %d: tensor<8xbf16>)
    -> (tensor<8xf16>, tensor<8xbf16>) {
  %0 = dl.maximum %a, %b : tensor<8xf16>, tensor<8xf16>
  %1 = dl.minimum %c, %d : tensor<8xbf16>, tensor<8xbf16>
  return %0, %1 : tensor<8xf16>, tensor<8xbf16>
}

// -----

// Integer operands use the signed integer ops.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @integer_binary(
// CHECK-SAME: %[[A:.*]]: tensor<4x3xi32>, %[[B:.*]]: tensor<3xi32>)
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x3xi32>, tensor<3xi32>)
// CHECK: ^bb0(%{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32):
// CHECK: arith.addi
// CHECK: linalg.generic
// CHECK: arith.subi
// CHECK: linalg.generic
// CHECK: arith.muli
// CHECK: linalg.generic
// CHECK: arith.divsi
// CHECK: linalg.generic
// CHECK: arith.maxsi
// CHECK: linalg.generic
// CHECK: arith.minsi
func.func @integer_binary(%a: tensor<4x3xi32>, %b: tensor<3xi32>) -> tensor<4x3xi32> {
  %0 = dl.add %a, %b : tensor<4x3xi32>, tensor<3xi32>
  %1 = dl.sub %0, %b : tensor<4x3xi32>, tensor<3xi32>
  %2 = dl.mul %1, %b : tensor<4x3xi32>, tensor<3xi32>
  %3 = dl.div %2, %b : tensor<4x3xi32>, tensor<3xi32>
  %4 = dl.maximum %3, %b : tensor<4x3xi32>, tensor<3xi32>
  %5 = dl.minimum %4, %b : tensor<4x3xi32>, tensor<3xi32>
  return %5 : tensor<4x3xi32>
}

// -----

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @neg(
// CHECK-SAME: %[[F:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-SAME: ins(%[[F]] : tensor<4xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.negf %[[X]] : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[I]] : tensor<4xi32>)
// CHECK: ^bb0(%[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: arith.subi %[[ZERO]], %[[Y]] : i32
func.func @neg(%f: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = dl.neg %f : tensor<4xf32>
  %1 = dl.neg %i : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @relu(
// CHECK-SAME: %[[A:.*]]: tensor<64x256xf32>)
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[A]] : tensor<64x256xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[R:.*]] = arith.maximumf %[[X]], %[[ZERO]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @relu(%a: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.relu %a : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// f16: x > 0 or NaN (ugt) ? x : +0, without arith.maximumf (see above).
// CHECK-LABEL: func.func @relu_f16(
// CHECK: ^bb0(%[[X:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[KEEP:.*]] = arith.cmpf ugt, %[[X]], %[[ZERO]] : f16
// CHECK: %[[R:.*]] = arith.select %[[KEEP]], %[[X]], %[[ZERO]] : f16
// CHECK: linalg.yield %[[R]] : f16
func.func @relu_f16(%a: tensor<64x256xf16>) -> tensor<64x256xf16> {
  %0 = dl.relu %a : tensor<64x256xf16>
  return %0 : tensor<64x256xf16>
}

// -----

// sigmoid(x) = 1 / (1 + exp(-x))
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @sigmoid(
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[N:.*]] = arith.negf %[[X]] : f32
// CHECK: %[[E:.*]] = math.exp %[[N]] : f32
// CHECK: %[[D:.*]] = arith.addf %[[ONE]], %[[E]] : f32
// CHECK: %[[R:.*]] = arith.divf %[[ONE]], %[[D]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @sigmoid(%a: tensor<16xf32>) -> tensor<16xf32> {
  %0 = dl.sigmoid %a : tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @math_ops(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf32>)
// CHECK: %[[T:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK-SAME: ins(%[[A]] :
// CHECK: ^bb0(%[[X0:.*]]: f32, %{{.*}}: f32):
// CHECK: math.tanh %[[X0]] : f32
// CHECK: %[[E:.*]] = linalg.generic
// CHECK-SAME: ins(%[[T]] :
// CHECK: ^bb0(%[[X1:.*]]: f32, %{{.*}}: f32):
// CHECK: math.exp %[[X1]] : f32
// CHECK: %[[L:.*]] = linalg.generic
// CHECK-SAME: ins(%[[E]] :
// CHECK: ^bb0(%[[X2:.*]]: f32, %{{.*}}: f32):
// CHECK: math.log %[[X2]] : f32
// CHECK: %[[S:.*]] = linalg.generic
// CHECK-SAME: ins(%[[L]] :
// CHECK: ^bb0(%[[X3:.*]]: f32, %{{.*}}: f32):
// CHECK: math.sqrt %[[X3]] : f32
// CHECK: return %[[S]]
func.func @math_ops(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.tanh %a : tensor<2x3xf32>
  %1 = dl.exp %0 : tensor<2x3xf32>
  %2 = dl.log %1 : tensor<2x3xf32>
  %3 = dl.sqrt %2 : tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}

// -----

// step(x) = x > 0 ? 1 : 0
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @step(
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[POS:.*]] = arith.cmpf ogt, %[[X]], %[[ZERO]] : f32
// CHECK: %[[R:.*]] = arith.select %[[POS]], %[[ONE]], %[[ZERO]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @step(%a: tensor<10xf32>) -> tensor<10xf32> {
  %0 = dl.step %a : tensor<10xf32>
  return %0 : tensor<10xf32>
}

// -----

// sign(x) = x > 0 ? 1 : (x < 0 ? -1 : 0)
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @sign(
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[MINUS:.*]] = arith.constant -1.000000e+00 : f32
// CHECK-DAG: %[[POS:.*]] = arith.cmpf ogt, %[[X]], %[[ZERO]] : f32
// CHECK-DAG: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[ZERO]] : f32
// CHECK: %[[IN:.*]] = arith.select %[[NEG]], %[[MINUS]], %[[ZERO]] : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[R:.*]] = arith.select %[[POS]], %[[ONE]], %[[IN]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @sign(%a: tensor<10xf32>) -> tensor<10xf32> {
  %0 = dl.sign %a : tensor<10xf32>
  return %0 : tensor<10xf32>
}

// -----

// floor, cos, sin: one math op per element, any rank and float type.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @floor_cos_sin(
// CHECK-SAME: %[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<3x5xf64>)
// CHECK: %[[F:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[A]] : tensor<4x8xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.floor %[[X]] : f32
// CHECK: linalg.yield %[[R]] : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[F]] : tensor<4x8xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[R:.*]] = math.cos %[[X]] : f32
// CHECK: linalg.yield %[[R]] : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[B]] : tensor<3x5xf64>)
// CHECK: ^bb0(%[[X:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[R:.*]] = math.sin %[[X]] : f64
// CHECK: linalg.yield %[[R]] : f64
func.func @floor_cos_sin(%a: tensor<4x8xf32>, %b: tensor<3x5xf64>)
    -> (tensor<4x8xf32>, tensor<3x5xf64>) {
  %0 = dl.floor %a : tensor<4x8xf32>
  %1 = dl.cos %0 : tensor<4x8xf32>
  %2 = dl.sin %b : tensor<3x5xf64>
  return %1, %2 : tensor<4x8xf32>, tensor<3x5xf64>
}

// -----

// cast: extf to a wider float, truncf to a narrower one, extf + truncf
// through f32 between the two 16-bit formats, sitofp from integers and
// uitofp from i1 (true is 1, not -1).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @cast(
// CHECK-SAME: %[[H:.*]]: tensor<2x3xf16>, %[[F:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x3xbf16>, %[[I:.*]]: tensor<2x3xi32>, %[[P:.*]]: tensor<2x3xi1>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[H]] : tensor<2x3xf16>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f16, %{{.*}}: f32):
// CHECK: %[[R:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK: linalg.yield %[[R]] : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[F]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f16):
// CHECK: %[[R:.*]] = arith.truncf %[[X]] : f32 to f16
// CHECK: linalg.yield %[[R]] : f16
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[B]] : tensor<2x3xbf16>)
// CHECK: ^bb0(%[[X:.*]]: bf16, %{{.*}}: f16):
// CHECK: %[[W:.*]] = arith.extf %[[X]] : bf16 to f32
// CHECK: %[[R:.*]] = arith.truncf %[[W]] : f32 to f16
// CHECK: linalg.yield %[[R]] : f16
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[I]] : tensor<2x3xi32>)
// CHECK: ^bb0(%[[X:.*]]: i32, %{{.*}}: f64):
// CHECK: %[[R:.*]] = arith.sitofp %[[X]] : i32 to f64
// CHECK: linalg.yield %[[R]] : f64
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[P]] : tensor<2x3xi1>)
// CHECK: ^bb0(%[[X:.*]]: i1, %{{.*}}: f32):
// CHECK: %[[R:.*]] = arith.uitofp %[[X]] : i1 to f32
// CHECK: linalg.yield %[[R]] : f32
func.func @cast(%h: tensor<2x3xf16>, %f: tensor<2x3xf32>, %b: tensor<2x3xbf16>,
                %i: tensor<2x3xi32>, %p: tensor<2x3xi1>)
    -> (tensor<2x3xf32>, tensor<2x3xf16>, tensor<2x3xf16>, tensor<2x3xf64>,
        tensor<2x3xf32>) {
  %0 = dl.cast %h : tensor<2x3xf16> -> tensor<2x3xf32>
  %1 = dl.cast %f : tensor<2x3xf32> -> tensor<2x3xf16>
  %2 = dl.cast %b : tensor<2x3xbf16> -> tensor<2x3xf16>
  %3 = dl.cast %i : tensor<2x3xi32> -> tensor<2x3xf64>
  %4 = dl.cast %p : tensor<2x3xi1> -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4
      : tensor<2x3xf32>, tensor<2x3xf16>, tensor<2x3xf16>, tensor<2x3xf64>,
        tensor<2x3xf32>
}
