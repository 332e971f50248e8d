// RUN: dlc-opt %s -convert-dl-to-linalg \
// RUN: | mlir-opt -one-shot-bufferize="bufferize-function-boundaries" \
// RUN:     -buffer-deallocation-pipeline -convert-bufferization-to-memref \
// RUN:     -convert-linalg-to-loops -convert-scf-to-cf -expand-strided-metadata \
// RUN:     -lower-affine -finalize-memref-to-llvm -convert-math-to-llvm \
// RUN:     -convert-math-to-libm -convert-arith-to-llvm -convert-cf-to-llvm \
// RUN:     -convert-func-to-llvm -reconcile-unrealized-casts \
// RUN: | mlir-cpu-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils \
// RUN: | FileCheck %s

// Numeric semantics of the reduction lowering: sum, mean and max over some or
// all axes, with and without keepdims, on f32 and i32. The dl ops take their
// inputs as function arguments so that the conversion driver cannot
// constant-fold them.
//
// Expected values: python3 with plain loops in double precision, printed with
// '%g' (the six significant digits printMemrefF32 prints); none is near a
// rounding boundary at the sixth digit. X is the [2, 3, 4] constant below:
//   sum over axis 1:       [[sum(X[i][j][k] for j in range(3)) for k in range(4)] for i in range(2)]
//   mean over axes (0, 2): [sum(X[i][j][k] for i in range(2) for k in range(4)) / 8 for j in range(3)]
//   max over axis 2:       [[max(X[i][j]) for j in range(3)] for i in range(2)]
// and so on for the other axes.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @reduce(%x: tensor<2x3x4xf32>)
    -> (tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<3xf32>,
        tensor<2x1x4xf32>, tensor<1x1x1xf32>, tensor<2x3xf32>, tensor<1x3x4xf32>) {
  %0 = dl.sum %x axes = [1] : tensor<2x3x4xf32>
  %1 = dl.sum %x axes = [0, 2] keepdims : tensor<2x3x4xf32>
  %2 = dl.sum %x axes = [0, 1, 2] : tensor<2x3x4xf32>
  %3 = dl.mean %x axes = [0, 2] : tensor<2x3x4xf32>
  %4 = dl.mean %x axes = [1] keepdims : tensor<2x3x4xf32>
  %5 = dl.mean %x axes = [0, 1, 2] keepdims : tensor<2x3x4xf32>
  %6 = dl.max %x axes = [2] : tensor<2x3x4xf32>
  %7 = dl.max %x axes = [0] keepdims : tensor<2x3x4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7
      : tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<3xf32>,
        tensor<2x1x4xf32>, tensor<1x1x1xf32>, tensor<2x3xf32>, tensor<1x3x4xf32>
}

// max of negative numbers: wrong with a 0 instead of a -inf initial value.
func.func @max_negative(%x: tensor<2x3xf32>) -> (tensor<f32>, tensor<2xf32>) {
  %0 = dl.max %x axes = [0, 1] : tensor<2x3xf32>
  %1 = dl.max %x axes = [1] : tensor<2x3xf32>
  return %0, %1 : tensor<f32>, tensor<2xf32>
}

func.func @reduce_int(%a: tensor<2x3xi32>, %n: tensor<2x3xi32>)
    -> (tensor<2xi32>, tensor<1x3xi32>, tensor<2xi32>, tensor<2x1xi32>, tensor<i32>) {
  %0 = dl.sum %a axes = [1] : tensor<2x3xi32>
  %1 = dl.sum %a axes = [0] keepdims : tensor<2x3xi32>
  %2 = dl.max %a axes = [1] : tensor<2x3xi32>
  %3 = dl.max %n axes = [1] keepdims : tensor<2x3xi32>
  %4 = dl.max %n axes = [0, 1] : tensor<2x3xi32>
  return %0, %1, %2, %3, %4
      : tensor<2xi32>, tensor<1x3xi32>, tensor<2xi32>, tensor<2x1xi32>, tensor<i32>
}

func.func @main() {
  %x = dl.constant dense<[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]],
                          [[-1.0, -2.0, -3.0, 40.0], [0.5, -6.0, 20.0, 8.0], [3.0, 30.0, 3.0, -12.0]]]>
      : tensor<2x3x4xf32>
  %r:8 = call @reduce(%x) : (tensor<2x3x4xf32>)
      -> (tensor<2x4xf32>, tensor<1x3x1xf32>, tensor<f32>, tensor<3xf32>,
          tensor<2x1x4xf32>, tensor<1x1x1xf32>, tensor<2x3xf32>, tensor<1x3x4xf32>)

  // sum axes = [1]
  // CHECK: rank = 2 offset = 0 sizes = [2, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[\[}}15, 18, 21, 24],
  // CHECK-NEXT:  [2.5, 22, 20, 36]]
  %u0 = tensor.cast %r#0 : tensor<2x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  // sum axes = [0, 2] keepdims
  // CHECK: rank = 3 offset = 0 sizes = [1, 3, 1] strides = [3, 1, 1] data =
  // CHECK-NEXT: {{\[\[\[}}44],
  // CHECK-NEXT:   [48.5],
  // CHECK-NEXT:   [66]]]
  %u1 = tensor.cast %r#1 : tensor<1x3x1xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  // sum of everything, 0-d
  // CHECK: rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [158.5]
  %u2 = tensor.cast %r#2 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  // mean axes = [0, 2]: [44, 48.5, 66] / 8
  // CHECK: rank = 1 offset = 0 sizes = [3] strides = [1] data =
  // CHECK-NEXT: [5.5, 6.0625, 8.25]
  %u3 = tensor.cast %r#3 : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  // mean axes = [1] keepdims: [[15, 18, 21, 24], [2.5, 22, 20, 36]] / 3
  // CHECK: rank = 3 offset = 0 sizes = [2, 1, 4] strides = [4, 4, 1] data =
  // CHECK-NEXT: {{\[\[\[}}5, 6, 7, 8]],
  // CHECK-NEXT:  {{\[\[}}0.833333, 7.33333, 6.66667, 12]]]
  %u4 = tensor.cast %r#4 : tensor<2x1x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()

  // mean of everything, keepdims: 158.5 / 24
  // CHECK: rank = 3 offset = 0 sizes = [1, 1, 1] strides = [1, 1, 1] data =
  // CHECK-NEXT: {{\[\[\[}}6.60417]]]
  %u5 = tensor.cast %r#5 : tensor<1x1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()

  // max axes = [2]
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}4, 8, 12],
  // CHECK-NEXT:  [40, 20, 30]]
  %u6 = tensor.cast %r#6 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()

  // max axes = [0] keepdims
  // CHECK: rank = 3 offset = 0 sizes = [1, 3, 4] strides = [12, 4, 1] data =
  // CHECK-NEXT: {{\[\[\[}}1, 2, 3, 40],
  // CHECK-NEXT:   [5, 6, 20, 8],
  // CHECK-NEXT:   [9, 30, 11, 12]]]
  %u7 = tensor.cast %r#7 : tensor<1x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()

  %neg = dl.constant dense<[[-5.0, -3.5, -7.0], [-4.0, -9.0, -3.75]]> : tensor<2x3xf32>
  %m:2 = call @max_negative(%neg) : (tensor<2x3xf32>) -> (tensor<f32>, tensor<2xf32>)
  // CHECK: rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [-3.5]
  %m0 = tensor.cast %m#0 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%m0) : (tensor<*xf32>) -> ()
  // CHECK: rank = 1 offset = 0 sizes = [2] strides = [1] data =
  // CHECK-NEXT: [-3.5, -3.75]
  %m1 = tensor.cast %m#1 : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%m1) : (tensor<*xf32>) -> ()

  // Integers: ia = [[7, -7, 9], [-8, 5, 0]], in = [[-7, -3, -9], [-8, -5, -6]]
  %ia = dl.constant dense<[[7, -7, 9], [-8, 5, 0]]> : tensor<2x3xi32>
  %in = dl.constant dense<[[-7, -3, -9], [-8, -5, -6]]> : tensor<2x3xi32>
  %i:5 = call @reduce_int(%ia, %in) : (tensor<2x3xi32>, tensor<2x3xi32>)
      -> (tensor<2xi32>, tensor<1x3xi32>, tensor<2xi32>, tensor<2x1xi32>, tensor<i32>)
  // sum(ia) axes = [1]
  // CHECK: rank = 1 offset = 0 sizes = [2] strides = [1] data =
  // CHECK-NEXT: [9, -3]
  %i0 = tensor.cast %i#0 : tensor<2xi32> to tensor<*xi32>
  call @printMemrefI32(%i0) : (tensor<*xi32>) -> ()
  // sum(ia) axes = [0] keepdims
  // CHECK: rank = 2 offset = 0 sizes = [1, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}-1, -2, 9]]
  %i1 = tensor.cast %i#1 : tensor<1x3xi32> to tensor<*xi32>
  call @printMemrefI32(%i1) : (tensor<*xi32>) -> ()
  // max(ia) axes = [1]
  // CHECK: rank = 1 offset = 0 sizes = [2] strides = [1] data =
  // CHECK-NEXT: [9, 5]
  %i2 = tensor.cast %i#2 : tensor<2xi32> to tensor<*xi32>
  call @printMemrefI32(%i2) : (tensor<*xi32>) -> ()
  // max(in) axes = [1] keepdims: needs the INT_MIN initial value
  // CHECK: rank = 2 offset = 0 sizes = [2, 1] strides = [1, 1] data =
  // CHECK-NEXT: {{\[\[}}-3],
  // CHECK-NEXT:  [-5]]
  %i3 = tensor.cast %i#3 : tensor<2x1xi32> to tensor<*xi32>
  call @printMemrefI32(%i3) : (tensor<*xi32>) -> ()
  // max(in) of everything
  // CHECK: rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [-3]
  %i4 = tensor.cast %i#4 : tensor<i32> to tensor<*xi32>
  call @printMemrefI32(%i4) : (tensor<*xi32>) -> ()
  return
}
