// RUN: dlc-opt %s -split-input-file -verify-diagnostics

// Every diagnostic of the dl ops, one case per split. Ops that infer their
// result type report shape errors while parsing, at the op's location.

//===----------------------------------------------------------------------===//
// Broadcasting binary ops (inferBroadcastBinaryType)
//===----------------------------------------------------------------------===//

func.func @binary_element_types(%a: tensor<2x3xf32>, %b: tensor<3xf64>) {
  // expected-error @+1 {{'dl.add' op operand element types differ: 'f32' vs 'f64'}}
  %0 = dl.add %a, %b : tensor<2x3xf32>, tensor<3xf64>
  return
}

// -----

func.func @binary_int_float(%a: tensor<3xi32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'dl.maximum' op operand element types differ: 'i32' vs 'f32'}}
  %0 = dl.maximum %a, %b : tensor<3xi32>, tensor<3xf32>
  return
}

// -----

func.func @binary_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'dl.sub' op operand shapes [2, 3] and [4] are not broadcast-compatible (result dimension 1)}}
  %0 = dl.sub %a, %b : tensor<2x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @binary_not_broadcastable_leading(%a: tensor<5x2x1xf32>, %b: tensor<3x1x4xf32>) {
  // expected-error @+1 {{'dl.mul' op operand shapes [5, 2, 1] and [3, 1, 4] are not broadcast-compatible (result dimension 0)}}
  %0 = dl.mul %a, %b : tensor<5x2x1xf32>, tensor<3x1x4xf32>
  return
}

// -----

func.func @binary_dynamic(%a: tensor<?x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'dl.div' op operands must be statically shaped tensors, got 'tensor<?x3xf32>' and 'tensor<3xf32>'}}
  %0 = dl.div %a, %b : tensor<?x3xf32>, tensor<3xf32>
  return
}

// -----

// An explicitly written result type that differs from the inferred one.
func.func @binary_wrong_result_type(%a: tensor<2xf32>) {
  // expected-error @+2 {{'dl.add' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'dl.add' op failed to infer returned types}}
  %0 = "dl.add"(%a, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @binary_wrong_result_element_type(%a: tensor<2xi32>, %b: tensor<1xi32>) {
  // expected-error @+2 {{'dl.minimum' op inferred type(s) 'tensor<2xi32>' are incompatible with return type(s) of operation 'tensor<2xi64>'}}
  // expected-error @+1 {{'dl.minimum' op failed to infer returned types}}
  %0 = "dl.minimum"(%a, %b) : (tensor<2xi32>, tensor<1xi32>) -> tensor<2xi64>
  return
}

//===----------------------------------------------------------------------===//
// Reductions (inferReductionType)
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axis_too_large(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.sum' op axis 2 is out of range for a tensor of rank 2}}
  %0 = dl.sum %a axes = [2] : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axis_negative(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.mean' op axis -1 is out of range for a tensor of rank 2}}
  %0 = dl.mean %a axes = [-1] keepdims : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axis_of_0d(%a: tensor<f32>) {
  // expected-error @+1 {{'dl.max' op axis 0 is out of range for a tensor of rank 0}}
  %0 = dl.max %a axes = [0] : tensor<f32>
  return
}

// -----

func.func @reduce_axes_decreasing(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.max' op axes [1, 0] must be strictly increasing}}
  %0 = dl.max %a axes = [1, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axes_repeated(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{'dl.sum' op axes [1, 1] must be strictly increasing}}
  %0 = dl.sum %a axes = [1, 1] : tensor<2x3xi32>
  return
}

// -----

func.func @reduce_dynamic(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{'dl.sum' op operand must be a statically shaped tensor, got 'tensor<?x3xf32>'}}
  %0 = dl.sum %a axes = [0] : tensor<?x3xf32>
  return
}

// -----

func.func @reduce_wrong_result_type(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'dl.sum' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{'dl.sum' op failed to infer returned types}}
  %0 = "dl.sum"(%a) <{axes = array<i64: 1>}> : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @mean_of_integers(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{'dl.mean' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<2x3xi32>'}}
  %0 = dl.mean %a axes = [0] : tensor<2x3xi32>
  return
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) {
  // expected-error @+1 {{'dl.matmul' op operand element types differ: 'f32' vs 'f16'}}
  %0 = dl.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf16>
  return
}

// -----

func.func @matmul_rank_1(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'dl.matmul' op operands must have the same rank of at least 2, got 1 and 2}}
  %0 = dl.matmul %a, %b : tensor<3xf32>, tensor<3x4xf32>
  return
}

// -----

func.func @matmul_rank_mismatch(%a: tensor<5x2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'dl.matmul' op operands must have the same rank of at least 2, got 3 and 2}}
  %0 = dl.matmul %a, %b : tensor<5x2x3xf32>, tensor<3x4xf32>
  return
}

// -----

func.func @matmul_batch_dims(%a: tensor<8x5x2x3xf32>, %b: tensor<8x6x3x4xf32>) {
  // expected-error @+1 {{'dl.matmul' op batch dimensions differ: [8, 5] vs [8, 6]}}
  %0 = dl.matmul %a, %b : tensor<8x5x2x3xf32>, tensor<8x6x3x4xf32>
  return
}

// -----

func.func @matmul_contracting_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'dl.matmul' op contracting dimensions differ: lhs [2, 3] has K = 3 but rhs [4, 5] has K = 4}}
  %0 = dl.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32>
  return
}

// -----

func.func @matmul_dynamic(%a: tensor<?x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'dl.matmul' op operands must be statically shaped tensors}}
  %0 = dl.matmul %a, %b : tensor<?x3xf32>, tensor<3x4xf32>
  return
}

// -----

func.func @matmul_of_integers(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>) {
  // expected-error @+1 {{'dl.matmul' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<2x3xi32>'}}
  %0 = dl.matmul %a, %b : tensor<2x3xi32>, tensor<3x4xi32>
  return
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

// -----

func.func @fill_fractional_integer() {
  // expected-error @+1 {{'dl.fill' op value 1.500000e+00 is not an integer but the result type is 'tensor<2xi32>'}}
  %0 = dl.fill 1.5 : tensor<2xi32>
  return
}

// -----

func.func @fill_nan_integer() {
  // expected-error @+1 {{'dl.fill' op value nan is not an integer but the result type is 'tensor<2xi64>'}}
  %0 = dl.fill 0x7FF8000000000000 : tensor<2xi64>
  return
}

// -----

func.func @fill_integer_out_of_range() {
  // expected-error @+1 {{'dl.fill' op value 2.560000e+02 is out of range for the result type 'tensor<2xi8>'}}
  %0 = dl.fill 256.0 : tensor<2xi8>
  return
}

// -----

func.func @fill_integer_out_of_range_negative() {
  // expected-error @+1 {{'dl.fill' op value -1.290000e+02 is out of range for the result type 'tensor<2xi8>'}}
  %0 = dl.fill -129.0 : tensor<2xi8>
  return
}

// -----

func.func @fill_integer_beyond_i64() {
  // expected-error @+1 {{'dl.fill' op value 1.000000e+30 is out of range for the result type 'tensor<2xi64>'}}
  %0 = dl.fill 1.0e30 : tensor<2xi64>
  return
}

// -----

func.func @fill_dynamic() {
  // expected-error @+1 {{'dl.fill' op result #0 must be statically shaped tensor of floating-point or signless integer values, but got 'tensor<?xf32>'}}
  %0 = dl.fill 0.0 : tensor<?xf32>
  return
}

// -----

func.func @constant_not_a_tensor() {
  // expected-error @+1 {{'dl.constant' op result #0 must be statically shaped tensor of floating-point or signless integer values, but got 'vector<2xf32>'}}
  %0 = dl.constant dense<1.0> : vector<2xf32>
  return
}

// -----

func.func @constant_index_elements() {
  // expected-error @+1 {{'dl.constant' op result #0 must be statically shaped tensor of floating-point or signless integer values, but got 'tensor<2xindex>'}}
  %0 = dl.constant dense<1> : tensor<2xindex>
  return
}

//===----------------------------------------------------------------------===//
// Unary elementwise
//===----------------------------------------------------------------------===//

// -----

func.func @relu_of_integers(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{'dl.relu' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<2x3xi32>'}}
  %0 = dl.relu %a : tensor<2x3xi32>
  return
}

// -----

func.func @relu_dynamic(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{'dl.relu' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<?x3xf32>'}}
  %0 = dl.relu %a : tensor<?x3xf32>
  return
}

// -----

// The custom form only parses ranked tensor types; use the generic form.
func.func @neg_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{'dl.neg' op operand #0 must be statically shaped tensor of floating-point or signless integer values, but got 'tensor<*xf32>'}}
  %0 = "dl.neg"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @neg_unsigned(%a: tensor<4xui8>) {
  // expected-error @+1 {{'dl.neg' op operand #0 must be statically shaped tensor of floating-point or signless integer values, but got 'tensor<4xui8>'}}
  %0 = dl.neg %a : tensor<4xui8>
  return
}

// -----

func.func @unary_result_type_differs(%a: tensor<2xf32>) {
  // expected-error @+1 {{'dl.exp' op requires the same type for all operands and results}}
  %0 = "dl.exp"(%a) : (tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<2x3xf16>) {
  // expected-error @+1 {{'dl.cast' op shape changes from [2, 3] to [3, 2]}}
  %0 = dl.cast %a : tensor<2x3xf16> -> tensor<3x2xf32>
  return
}

// -----

func.func @cast_to_integer(%a: tensor<4xf32>) {
  // expected-error @+1 {{'dl.cast' op result #0 must be statically shaped tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = dl.cast %a : tensor<4xf32> -> tensor<4xi32>
  return
}

// -----

func.func @cast_unsigned(%a: tensor<4xui8>) {
  // expected-error @+1 {{'dl.cast' op operand #0 must be statically shaped tensor of floating-point or signless integer values, but got 'tensor<4xui8>'}}
  %0 = dl.cast %a : tensor<4xui8> -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_element_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.reshape' op element type changes from 'f32' to 'f64'}}
  %0 = dl.reshape %a : tensor<2x3xf32> -> tensor<6xf64>
  return
}

// -----

func.func @reshape_element_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.reshape' op element count changes from 6 [2, 3] to 7 [7]}}
  %0 = dl.reshape %a : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

func.func @reshape_dynamic_result(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.reshape' op result #0 must be statically shaped tensor of floating-point or signless integer values, but got 'tensor<?xf32>'}}
  %0 = dl.reshape %a : tensor<2x3xf32> -> tensor<?xf32>
  return
}

// -----

func.func @transpose_perm_size(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.transpose' op perm [0] has 1 entries but the operand has rank 2}}
  %0 = dl.transpose %a perm = [0] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm_repeated(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'dl.transpose' op perm [1, 1, 0] is not a permutation of [0, 3)}}
  %0 = dl.transpose %a perm = [1, 1, 0] : tensor<2x3x4xf32>
  return
}

// -----

func.func @transpose_perm_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.transpose' op perm [0, 2] is not a permutation of [0, 2)}}
  %0 = dl.transpose %a perm = [0, 2] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm_negative(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.transpose' op perm [-1, 0] is not a permutation of [0, 2)}}
  %0 = dl.transpose %a perm = [-1, 0] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_dynamic(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{'dl.transpose' op operand must be a statically shaped tensor}}
  %0 = dl.transpose %a perm = [1, 0] : tensor<?x3xf32>
  return
}

// -----

func.func @broadcast_element_type(%a: tensor<3xf32>) {
  // expected-error @+1 {{'dl.broadcast' op element type changes from 'f32' to 'i32'}}
  %0 = dl.broadcast %a : tensor<3xf32> -> tensor<2x3xi32>
  return
}

// -----

func.func @broadcast_to_lower_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.broadcast' op cannot broadcast rank 2 [2, 3] to lower rank 1 [3]}}
  %0 = dl.broadcast %a : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @broadcast_bad_dimension(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.broadcast' op cannot broadcast [2, 3] to [4, 5, 3]: dimension 0 has size 2, expected 1 or 5}}
  %0 = dl.broadcast %a : tensor<2x3xf32> -> tensor<4x5x3xf32>
  return
}

// -----

func.func @broadcast_bad_trailing_dimension(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.broadcast' op cannot broadcast [2, 3] to [2, 6]: dimension 1 has size 3, expected 1 or 6}}
  %0 = dl.broadcast %a : tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

//===----------------------------------------------------------------------===//
// Softmax and losses
//===----------------------------------------------------------------------===//

// -----

func.func @softmax_axis_too_large(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.softmax' op axis 2 is out of range for a tensor of rank 2}}
  %0 = dl.softmax %a axis = 2 : tensor<2x3xf32>
  return
}

// -----

func.func @log_softmax_axis_negative(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'dl.log_softmax' op axis -1 is out of range for a tensor of rank 2}}
  %0 = dl.log_softmax %a axis = -1 : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_of_integers(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{'dl.softmax' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<2x3xi32>'}}
  %0 = dl.softmax %a axis = 1 : tensor<2x3xi32>
  return
}

// -----

func.func @softmax_result_type_differs(%a: tensor<2xf32>) {
  // expected-error @+1 {{'dl.softmax' op requires the same type for all operands and results}}
  %0 = "dl.softmax"(%a) <{axis = 0 : i64}> : (tensor<2xf32>) -> tensor<2xf64>
  return
}

// -----

func.func @cross_entropy_0d_logits(%a: tensor<f32>, %l: tensor<i32>) {
  // expected-error @+1 {{'dl.cross_entropy' op logits must have a class dimension, got a 0-d tensor}}
  %0 = dl.cross_entropy %a, %l : tensor<f32>, tensor<i32>
  return
}

// -----

func.func @cross_entropy_label_shape(%a: tensor<2x3xf32>, %l: tensor<3xi32>) {
  // expected-error @+1 {{'dl.cross_entropy' op labels shape [3] must equal the logits shape without its class dimension, [2]}}
  %0 = dl.cross_entropy %a, %l : tensor<2x3xf32>, tensor<3xi32>
  return
}

// -----

func.func @cross_entropy_label_rank(%a: tensor<4x5x10xf32>, %l: tensor<4xi32>) {
  // expected-error @+1 {{'dl.cross_entropy' op labels shape [4] must equal the logits shape without its class dimension, [4, 5]}}
  %0 = dl.cross_entropy %a, %l : tensor<4x5x10xf32>, tensor<4xi32>
  return
}

// -----

func.func @cross_entropy_dynamic(%a: tensor<?x3xf32>, %l: tensor<2xi32>) {
  // expected-error @+1 {{'dl.cross_entropy' op operands must be statically shaped tensors}}
  %0 = dl.cross_entropy %a, %l : tensor<?x3xf32>, tensor<2xi32>
  return
}

// -----

func.func @cross_entropy_float_labels(%a: tensor<2x3xf32>, %l: tensor<2xf32>) {
  // expected-error @+1 {{'dl.cross_entropy' op operand #1 must be statically shaped tensor of signless integer values, but got 'tensor<2xf32>'}}
  %0 = dl.cross_entropy %a, %l : tensor<2x3xf32>, tensor<2xf32>
  return
}

// -----

func.func @cross_entropy_integer_logits(%a: tensor<2x3xi32>, %l: tensor<2xi32>) {
  // expected-error @+1 {{'dl.cross_entropy' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<2x3xi32>'}}
  %0 = dl.cross_entropy %a, %l : tensor<2x3xi32>, tensor<2xi32>
  return
}

// -----

func.func @one_hot_rank(%y: tensor<4xi32>) {
  // expected-error @+1 {{'dl.one_hot' op result shape [4] must be the labels shape [4] plus a class dimension}}
  %0 = dl.one_hot %y : tensor<4xi32> -> tensor<4xf32>
  return
}

// -----

func.func @one_hot_batch(%y: tensor<4xi32>) {
  // expected-error @+1 {{'dl.one_hot' op result shape [5, 3] must be the labels shape [4] plus a class dimension}}
  %0 = dl.one_hot %y : tensor<4xi32> -> tensor<5x3xf32>
  return
}

// -----

func.func @one_hot_no_class(%y: tensor<4xi32>) {
  // expected-error @+1 {{'dl.one_hot' op needs at least one class}}
  %0 = dl.one_hot %y : tensor<4xi32> -> tensor<4x0xf32>
  return
}

// -----

func.func @one_hot_float_labels(%y: tensor<4xf32>) {
  // expected-error @+1 {{'dl.one_hot' op operand #0 must be statically shaped tensor of signless integer values, but got 'tensor<4xf32>'}}
  %0 = dl.one_hot %y : tensor<4xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @one_hot_integer_result(%y: tensor<4xi32>) {
  // expected-error @+1 {{'dl.one_hot' op result #0 must be statically shaped tensor of floating-point values, but got 'tensor<4x3xi32>'}}
  %0 = dl.one_hot %y : tensor<4xi32> -> tensor<4x3xi32>
  return
}

// -----

func.func @floor_integer(%x: tensor<4xi32>) {
  // expected-error @+1 {{'dl.floor' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = dl.floor %x : tensor<4xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Modes
//===----------------------------------------------------------------------===//

func.func @mode_select_types(%a: tensor<3xf32>, %b: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'dl.mode_select' op requires the same type for all operands and results}}
  %s = "dl.mode_select"(%a, %b) : (tensor<3xf32>, tensor<4xf32>) -> tensor<3xf32>
  return %s : tensor<3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

func.func @conv2d_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'dl.conv2d' op channel mismatch: x [1, 3, 8, 8] has 3 channels, so w needs 3 per group, but w is [4, 2, 3, 3]}}
  %y = dl.conv2d %x, %w stride = [1, 1] padding = [0, 0] dilation = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>
  return
}

// -----

func.func @conv2d_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'dl.conv2d' op channels not divisible by groups}}
  %y = dl.conv2d %x, %w stride = [1, 1] padding = [0, 0] dilation = [1, 1] groups = 2 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv2d_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'dl.conv2d' op strides and dilations must be >= 1}}
  %y = dl.conv2d %x, %w stride = [0, 1] padding = [0, 0] dilation = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv2d_kernel(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x5x5xf32>) {
  // expected-error @+1 {{'dl.conv2d' op kernel [4, 3, 5, 5] (5 with dilation) is larger than the padded input [1, 3, 4, 4] (4)}}
  %y = dl.conv2d %x, %w stride = [1, 1] padding = [0, 0] dilation = [1, 1] groups = 1 : tensor<1x3x4x4xf32>, tensor<4x3x5x5xf32>
  return
}

// -----

func.func @conv2d_window_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'dl.conv2d' op stride, padding and dilation need 2 values each (H, W)}}
  %y = dl.conv2d %x, %w stride = [1] padding = [0, 0] dilation = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv2d_backward_input_type(%dy: tensor<1x4x6x6xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'dl.conv2d_backward_input' op dl.conv2d of [1, 3, 9, 9] and [4, 3, 3, 3] gives [1, 4, 7, 7], not dy's [1, 4, 6, 6]}}
  %dx = dl.conv2d_backward_input %dy, %w stride = [1, 1] padding = [0, 0] dilation = [1, 1] groups = 1 : tensor<1x4x6x6xf32>, tensor<4x3x3x3xf32> -> tensor<1x3x9x9xf32>
  return
}

// -----

func.func @conv2d_backward_filter_type(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x4x6x6xf32>) {
  // expected-error @+1 {{'dl.conv2d_backward_filter' op channel mismatch}}
  %dw = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [0, 0] dilation = [1, 1] groups = 1 : tensor<1x3x8x8xf32>, tensor<1x4x6x6xf32> -> tensor<4x2x3x3xf32>
  return
}

// -----

func.func @max_pool2d_rank(%x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{'dl.max_pool2d' op needs x: [N, C, H, W], got [3, 8, 8]}}
  %y = dl.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<3x8x8xf32>
  return
}

// -----

func.func @max_pool2d_stride(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'dl.max_pool2d' op kernel sizes and strides must be >= 1}}
  %y = dl.max_pool2d %x kernel = [2, 2] stride = [0, 2] padding = [0, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @avg_pool2d_padding(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'dl.avg_pool2d' op padding must be in [0, kernel / 2], got 2 for kernel 3}}
  %y = dl.avg_pool2d %x kernel = [3, 3] stride = [1, 1] padding = [2, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @max_pool2d_kernel(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'dl.max_pool2d' op kernel 5 is larger than the padded input [1, 3, 4, 4] (4)}}
  %y = dl.max_pool2d %x kernel = [5, 2] stride = [1, 1] padding = [0, 0] : tensor<1x3x4x4xf32>
  return
}

// -----

func.func @pool2d_window_rank(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'dl.avg_pool2d' op kernel, stride and padding need 2 values each (H, W)}}
  %y = dl.avg_pool2d %x kernel = [2] stride = [2, 2] padding = [0, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @max_pool2d_backward_type(%x: tensor<1x3x8x8xf32>, %dy: tensor<1x3x3x3xf32>) {
  // expected-error @+1 {{'dl.max_pool2d_backward' op pooling 'tensor<1x3x8x8xf32>' gives 'tensor<1x3x4x4xf32>', not dy's 'tensor<1x3x3x3xf32>'}}
  %dx = dl.max_pool2d_backward %x, %dy kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<1x3x8x8xf32>, tensor<1x3x3x3xf32>
  return
}

// -----

func.func @avg_pool2d_backward_type(%dy: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'dl.avg_pool2d_backward' op pooling 'tensor<1x3x9x9xf32>' gives 'tensor<1x3x3x3xf32>', not dy's 'tensor<1x3x4x4xf32>'}}
  %dx = dl.avg_pool2d_backward %dy kernel = [3, 3] stride = [3, 3] padding = [0, 0] : tensor<1x3x4x4xf32> -> tensor<1x3x9x9xf32>
  return
}

// -----

func.func @batch_norm_gamma(%x: tensor<8x3x5x5xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{'dl.batch_norm' op needs gamma and beta of shape [3] for x [8, 3, 5, 5], got [5] and [5]}}
  %y, %m, %v = dl.batch_norm %x, %g, %g eps = 1.000000e-05 : tensor<8x3x5x5xf32>, tensor<5xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'dl.batch_norm' op needs x of rank 2 ([N, C, ...]) or more, got [8]}}
  %y, %m, %v = dl.batch_norm %x, %g, %g eps = 1.000000e-05 : tensor<8xf32>, tensor<8xf32>
  return
}

// -----

func.func @batch_norm_dtype(%x: tensor<8x3xf32>, %g: tensor<3xf64>) {
  // expected-error @+1 {{'dl.batch_norm' op gamma and beta must have x's element type}}
  %y, %m, %v = dl.batch_norm %x, %g, %g eps = 1.000000e-05 : tensor<8x3xf32>, tensor<3xf64>
  return
}

// -----

func.func @batch_norm_eps(%x: tensor<8x3xf32>, %g: tensor<3xf32>) {
  // expected-error @+1 {{'dl.batch_norm' op eps must be positive, got 0}}
  %y, %m, %v = dl.batch_norm %x, %g, %g eps = 0.000000e+00 : tensor<8x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @layer_norm_gamma(%x: tensor<4x6x8xf32>, %g: tensor<6xf32>) {
  // expected-error @+1 {{'dl.layer_norm' op needs gamma and beta of shape [8] for x [4, 6, 8], got [6] and [6]}}
  %y, %m, %r = dl.layer_norm %x, %g, %g eps = 1.000000e-05 : tensor<4x6x8xf32>, tensor<6xf32>
  return
}

// -----

func.func @layer_norm_rank(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error @+1 {{'dl.layer_norm' op needs x of rank 1 ([..., D]) or more, got []}}
  %y, %m, %r = dl.layer_norm %x, %g, %g eps = 1.000000e-05 : tensor<f32>, tensor<1xf32>
  return
}

// -----

func.func @layer_norm_dtype(%x: tensor<8x3xf32>, %g: tensor<3xf64>) {
  // expected-error @+1 {{'dl.layer_norm' op gamma and beta must have x's element type}}
  %y, %m, %r = dl.layer_norm %x, %g, %g eps = 1.000000e-05 : tensor<8x3xf32>, tensor<3xf64>
  return
}

// -----

func.func @layer_norm_eps(%x: tensor<8x3xf32>, %g: tensor<3xf32>) {
  // expected-error @+1 {{'dl.layer_norm' op eps must be positive, got -1}}
  %y, %m, %r = dl.layer_norm %x, %g, %g eps = -1.000000e+00 : tensor<8x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @layer_norm_backward_gamma(%x: tensor<8x3xf32>, %g: tensor<4xf32>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'dl.layer_norm_backward' op needs gamma and beta of shape [3] for x [8, 3], got [4] and [4]}}
  %dx, %dg, %db = dl.layer_norm_backward %x, %x, %g, %s, %s : tensor<8x3xf32>, tensor<4xf32>, tensor<8xf32>
  return
}

// -----

func.func @layer_norm_backward_stats(%x: tensor<8x3xf32>, %g: tensor<3xf32>, %s: tensor<3xf32>) {
  // expected-error @+1 {{'dl.layer_norm_backward' op mean and rstd must be the statistics' type}}
  %dx, %dg, %db = dl.layer_norm_backward %x, %x, %g, %s, %s : tensor<8x3xf32>, tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @batch_norm_backward_stats(%x: tensor<8x3xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{'dl.batch_norm_backward' op needs gamma and beta of shape [3] for x [8, 3], got [4] and [4]}}
  %dx, %dg, %db = dl.batch_norm_backward %x, %x, %g, %g, %g eps = 1.000000e-05 : tensor<8x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @dropout_p(%x: tensor<4x8xf32>, %seed: tensor<f32>, %step: tensor<f32>) {
  // expected-error @+1 {{'dl.dropout' op drop probability must be in [0, 1), got 1.000000e+00}}
  %y = dl.dropout %x, %seed, %step p = 1.000000e+00 stream = 0 : tensor<4x8xf32>, tensor<f32>, tensor<f32>
  return
}

// -----

func.func @dropout_stream(%x: tensor<4x8xf32>, %seed: tensor<f32>, %step: tensor<f32>) {
  // expected-error @+1 {{'dl.dropout' op stream must be in [0, 2^32), got -1}}
  %y = dl.dropout %x, %seed, %step p = 5.000000e-01 stream = -1 : tensor<4x8xf32>, tensor<f32>, tensor<f32>
  return
}

// -----

func.func @dropout_key_rank(%x: tensor<4x8xf32>, %seed: tensor<2xf32>, %step: tensor<f32>) {
  // expected-error @+1 {{'dl.dropout' op operand #1 must be 0D tensor of floating-point values}}
  %y = dl.dropout %x, %seed, %step p = 5.000000e-01 stream = 0 : tensor<4x8xf32>, tensor<2xf32>, tensor<f32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

func.func @argmax_axis(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'dl.argmax' op axis 2 is out of range for rank 2}}
  %i = dl.argmax %x axis = 2 : tensor<3x4xf32>
  return
}

// -----

func.func @slice_out_of_range(%x: tensor<3x16xf32>) {
  // expected-error @+1 {{'dl.slice' op dimension 1: 4 elements from 8 every 3 leave the size 16}}
  %s = dl.slice %x offsets = [0, 8] sizes = [3, 4] strides = [1, 3] : tensor<3x16xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @slice_result(%x: tensor<3x16xf32>) {
  // expected-error @+1 {{'dl.slice' op result shape [3, 5] must be the sizes [3, 4]}}
  %s = dl.slice %x offsets = [0, 0] sizes = [3, 4] strides = [1, 1] : tensor<3x16xf32> -> tensor<3x5xf32>
  return
}

// -----

func.func @slice_rank(%x: tensor<3x16xf32>) {
  // expected-error @+1 {{'dl.slice' op needs one offset, size and stride per dimension of [3, 16]}}
  %s = dl.slice %x offsets = [0] sizes = [3, 4] strides = [1, 1] : tensor<3x16xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @slice_backward_range(%dy: tensor<3x4xf32>) {
  // expected-error @+1 {{'dl.slice_backward' op dimension 1: 4 elements from 14 every 1 leave the size 16}}
  %b = dl.slice_backward %dy offsets = [0, 14] strides = [1, 1] : tensor<3x4xf32> -> tensor<3x16xf32>
  return
}

// -----

func.func @concat_shapes(%a: tensor<3x4xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{'dl.concat' op cannot concatenate [2, 4] with [3, 4] along axis 1}}
  %c = dl.concat %a, %b axis = 1 : tensor<3x4xf32>, tensor<2x4xf32>
  return
}

// -----

func.func @concat_types(%a: tensor<3x4xf32>, %b: tensor<3x4xf64>) {
  // expected-error @+1 {{'dl.concat' op operand element types differ: 'f32' vs 'f64'}}
  %c = dl.concat %a, %b axis = 0 : tensor<3x4xf32>, tensor<3x4xf64>
  return
}

// -----

func.func @embedding_table_rank(%t: tensor<10xf32>, %ids: tensor<3xi32>) {
  // expected-error @+1 {{'dl.embedding' op needs a table [V, D], got [10]}}
  %e = dl.embedding %t, %ids : tensor<10xf32>, tensor<3xi32>
  return
}

// -----

func.func @embedding_float_ids(%t: tensor<10x4xf32>, %ids: tensor<3xf32>) {
  // expected-error @+1 {{'dl.embedding' op operand #1 must be statically shaped tensor of signless integer values}}
  %e = dl.embedding %t, %ids : tensor<10x4xf32>, tensor<3xf32>
  return
}

// -----

func.func @embedding_backward_shape(%dy: tensor<3x5xf32>, %ids: tensor<3xi32>) {
  // expected-error @+1 {{'dl.embedding_backward' op gradient shape [3, 5] must be the ids' [3] plus the table's row 4}}
  %g = dl.embedding_backward %dy, %ids : tensor<3x5xf32>, tensor<3xi32> -> tensor<10x4xf32>
  return
}

// -----

func.func @embedding_backward_type(%dy: tensor<3x4xf32>, %ids: tensor<3xi32>) {
  // expected-error @+1 {{'dl.embedding_backward' op result element type 'f64' differs from the gradient's 'f32'}}
  %g = dl.embedding_backward %dy, %ids : tensor<3x4xf32>, tensor<3xi32> -> tensor<10x4xf64>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

func.func @scan_length(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'dl.scan' op sequence #0 'tensor<4x8xf32>' does not have length 6 along axis 1}}
  %y = dl.scan (%x) carry () along 1 length 6 : (tensor<4x8xf32>), () -> (tensor<4x6xf32>) {
  ^bb0(%xt: tensor<4xf32>):
    dl.yield %xt : tensor<4xf32>
  }
  return
}

// -----

func.func @scan_zero_length(%h: tensor<4xf32>) {
  // expected-error @+1 {{'dl.scan' op needs a length of at least 1, got 0}}
  %y = dl.scan () carry (%h) along 0 length 0 : (), (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%c: tensor<4xf32>):
    dl.yield %c : tensor<4xf32>
  }
  return
}

// -----

func.func @scan_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'dl.scan' op sequence #0: }}
  dl.scan (%x) carry () along 2 length 8 : (tensor<4x8xf32>), () -> () {
  ^bb0(%xt: tensor<4x8xf32>):
    dl.yield
  }
  return
}

// -----

func.func @scan_slice_type(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'dl.scan' op body argument #0 must be the step's slice 'tensor<4xf32>', got 'tensor<8xf32>'}}
  dl.scan (%x) carry () along 1 length 8 : (tensor<4x8xf32>), () -> () {
  ^bb0(%xt: tensor<8xf32>):
    dl.yield
  }
  return
}

// -----

func.func @scan_carry_type(%h: tensor<4xf32>) {
  // expected-error @+1 {{'dl.scan' op carry #0 starts as 'tensor<4xf32>' but the body yields 'tensor<4xf64>'}}
  %y = dl.scan () carry (%h) along 0 length 2 : (), (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%c: tensor<4xf32>):
    %d = dl.cast %c : tensor<4xf32> -> tensor<4xf64>
    dl.yield %d : tensor<4xf64>
  }
  return
}

// -----

func.func @scan_yield_count(%h: tensor<4xf32>) {
  // expected-error @+1 {{'dl.scan' op body yields 2 values for 1 results}}
  %y = dl.scan () carry (%h) along 0 length 2 : (), (tensor<4xf32>) -> (tensor<4xf32>) {
  ^bb0(%c: tensor<4xf32>):
    dl.yield %c, %c : tensor<4xf32>, tensor<4xf32>
  }
  return
}

// -----

func.func @scan_stacked_type(%h: tensor<4xf32>) {
  // expected-error @+1 {{'dl.scan' op output #0 stacks to 'tensor<3x4xf32>', got 'tensor<4x3xf32>'}}
  %hT, %hs = dl.scan () carry (%h) along 0 length 3 : (), (tensor<4xf32>) -> (tensor<4xf32>, tensor<4x3xf32>) {
  ^bb0(%c: tensor<4xf32>):
    dl.yield %c, %c : tensor<4xf32>, tensor<4xf32>
  }
  return
}

// -----

func.func @scan_final_carry(%h: tensor<4xf32>) {
  // expected-error @+1 {{'dl.scan' op final carry #0 must have type 'tensor<4xf32>', got 'tensor<5xf32>'}}
  %y = dl.scan () carry (%h) along 0 length 2 : (), (tensor<4xf32>) -> (tensor<5xf32>) {
  ^bb0(%c: tensor<4xf32>):
    dl.yield %c : tensor<4xf32>
  }
  return
}

// -----

func.func @yield_outside(%h: tensor<4xf32>) {
  // expected-error @+1 {{'dl.yield' op expects parent op 'dl.scan'}}
  dl.yield %h : tensor<4xf32>
}

// -----

func.func @cross_entropy_ignore_class(%l: tensor<4x10xf32>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'dl.cross_entropy' op ignore_index must be outside the classes [0, 10), got 3}}
  %loss = dl.cross_entropy %l, %y ignore_index = 3 : tensor<4x10xf32>, tensor<4xi32>
  return
}

// -----

func.func @attention_shapes(%q: tensor<2x6x8xf32>, %k: tensor<2x5x4xf32>) {
  // expected-error @+1 {{'dl.attention' op needs q [..., Tq, D], k [..., Tk, D] and v [..., Tk, Dv] with equal batch dimensions, got [2, 6, 8], [2, 5, 4] and [2, 5, 4]}}
  %a, %l = dl.attention %q, %k, %k scale = 1.000000e+00 : tensor<2x6x8xf32>, tensor<2x5x4xf32>, tensor<2x5x4xf32>
  return
}

// -----

func.func @attention_mask(%q: tensor<2x6x8xf32>, %m: tensor<6x5xf32>) {
  // expected-error @+1 {{'dl.attention' op the mask [6, 5] does not broadcast to the scores [2, 6, 6]}}
  %a, %l = dl.attention %q, %q, %q mask %m : tensor<6x5xf32> scale = 1.000000e+00 : tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>
  return
}

// -----

func.func @attention_scale(%q: tensor<2x6x8xf32>) {
  // expected-error @+1 {{'dl.attention' op scale must be a positive finite number, got 0}}
  %a, %l = dl.attention %q, %q, %q scale = 0.000000e+00 : tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>
  return
}

// -----

func.func @attention_backward_lse(%q: tensor<2x6x8xf32>, %l: tensor<2x8xf32>) {
  // expected-error @+1 {{'dl.attention_backward' op out and lse must be the attention's, 'tensor<2x6x8xf32>' and 'tensor<2x6xf32>'}}
  %dq, %dk, %dv = dl.attention_backward %q, %q, %q, %q, %l, %q scale = 1.000000e+00 : tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x8xf32>
  return
}

// -----

func.func @attention_backward_scale(%q: tensor<2x6x8xf32>, %l: tensor<2x6xf32>) {
  // expected-error @+1 {{'dl.attention_backward' op scale must be a positive finite number, got -1}}
  %dq, %dk, %dv = dl.attention_backward %q, %q, %q, %q, %l, %q scale = -1.000000e+00 : tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6xf32>
  return
}
