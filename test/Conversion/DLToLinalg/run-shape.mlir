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

// Numeric semantics of the constant, fill, reshape, transpose and broadcast
// lowerings. The dl ops other than constants and fills take their inputs as
// function arguments so that the conversion driver cannot constant-fold them.
//
// Expected values, by hand (all exact): X[i][j][k] = 100*i + 10*j + k, so a
// printed value names the X element it came from. reshape keeps row-major
// order; transpose with perm = [2, 0, 1] gives T[k][i][j] = X[i][j][k];
// broadcast repeats the input along its size-1 and missing leading dims.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @reshapes(%x: tensor<2x3x4xf32>, %m: tensor<2x3xf32>, %s: tensor<f32>,
                    %o: tensor<1x1xf32>)
    -> (tensor<4x6xf32>, tensor<3x2xf32>, tensor<6xf32>, tensor<1x1xf32>, tensor<f32>) {
  %0 = dl.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %1 = dl.reshape %m : tensor<2x3xf32> -> tensor<3x2xf32>
  %2 = dl.reshape %m : tensor<2x3xf32> -> tensor<6xf32>
  %3 = dl.reshape %s : tensor<f32> -> tensor<1x1xf32>
  %4 = dl.reshape %o : tensor<1x1xf32> -> tensor<f32>
  return %0, %1, %2, %3, %4
      : tensor<4x6xf32>, tensor<3x2xf32>, tensor<6xf32>, tensor<1x1xf32>, tensor<f32>
}

func.func @transposes(%x: tensor<2x3x4xf32>, %m: tensor<2x3xi32>)
    -> (tensor<4x2x3xf32>, tensor<3x2xi32>) {
  %0 = dl.transpose %x perm = [2, 0, 1] : tensor<2x3x4xf32>
  %1 = dl.transpose %m perm = [1, 0] : tensor<2x3xi32>
  return %0, %1 : tensor<4x2x3xf32>, tensor<3x2xi32>
}

func.func @broadcasts(%c: tensor<3x1xf32>, %v: tensor<3xf32>, %s: tensor<f32>,
                      %r: tensor<1x3xf32>)
    -> (tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1x3xf32>) {
  %0 = dl.broadcast %c : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = dl.broadcast %v : tensor<3xf32> -> tensor<2x3xf32>
  %2 = dl.broadcast %s : tensor<f32> -> tensor<2x3xf32>
  %3 = dl.broadcast %r : tensor<1x3xf32> -> tensor<2x1x3xf32>
  return %0, %1, %2, %3
      : tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1x3xf32>
}

func.func @fills() -> (tensor<2x3xf32>, tensor<4xi32>) {
  %0 = dl.fill 2.5 : tensor<2x3xf32>
  %1 = dl.fill -3.0 : tensor<4xi32>
  return %0, %1 : tensor<2x3xf32>, tensor<4xi32>
}

func.func @constant() -> tensor<2x3xf32> {
  %0 = dl.constant dense<[[1.5, -2.0, 3.0], [4.0, 0.0, -6.25]]> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @main() {
  %x = dl.constant dense<[[[0.0, 1.0, 2.0, 3.0], [10.0, 11.0, 12.0, 13.0], [20.0, 21.0, 22.0, 23.0]],
                          [[100.0, 101.0, 102.0, 103.0], [110.0, 111.0, 112.0, 113.0],
                           [120.0, 121.0, 122.0, 123.0]]]> : tensor<2x3x4xf32>
  %m = dl.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %s = dl.constant dense<7.5> : tensor<f32>
  %o = dl.constant dense<[[-2.5]]> : tensor<1x1xf32>

  // dl.constant itself
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}1.5, -2, 3],
  // CHECK-NEXT:  [4, 0, -6.25]]
  %k = call @constant() : () -> tensor<2x3xf32>
  %ku = tensor.cast %k : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%ku) : (tensor<*xf32>) -> ()

  %r:5 = call @reshapes(%x, %m, %s, %o)
      : (tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<f32>, tensor<1x1xf32>)
      -> (tensor<4x6xf32>, tensor<3x2xf32>, tensor<6xf32>, tensor<1x1xf32>, tensor<f32>)
  // [2, 3, 4] -> [4, 6]
  // CHECK: rank = 2 offset = 0 sizes = [4, 6] strides = [6, 1] data =
  // CHECK-NEXT: {{\[\[}}0, 1, 2, 3, 10, 11],
  // CHECK-NEXT:  [12, 13, 20, 21, 22, 23],
  // CHECK-NEXT:  [100, 101, 102, 103, 110, 111],
  // CHECK-NEXT:  [112, 113, 120, 121, 122, 123]]
  %r0 = tensor.cast %r#0 : tensor<4x6xf32> to tensor<*xf32>
  call @printMemrefF32(%r0) : (tensor<*xf32>) -> ()
  // [2, 3] -> [3, 2]
  // CHECK: rank = 2 offset = 0 sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 2],
  // CHECK-NEXT:  [3, 4],
  // CHECK-NEXT:  [5, 6]]
  %r1 = tensor.cast %r#1 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%r1) : (tensor<*xf32>) -> ()
  // [2, 3] -> [6]
  // CHECK: rank = 1 offset = 0 sizes = [6] strides = [1] data =
  // CHECK-NEXT: [1, 2, 3, 4, 5, 6]
  %r2 = tensor.cast %r#2 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%r2) : (tensor<*xf32>) -> ()
  // [] -> [1, 1]
  // CHECK: rank = 2 offset = 0 sizes = [1, 1] strides = [1, 1] data =
  // CHECK-NEXT: {{\[\[}}7.5]]
  %r3 = tensor.cast %r#3 : tensor<1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%r3) : (tensor<*xf32>) -> ()
  // [1, 1] -> []
  // CHECK: rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [-2.5]
  %r4 = tensor.cast %r#4 : tensor<f32> to tensor<*xf32>
  call @printMemrefF32(%r4) : (tensor<*xf32>) -> ()

  %im = dl.constant dense<[[1, -2, 3], [4, 5, -6]]> : tensor<2x3xi32>
  %t:2 = call @transposes(%x, %im)
      : (tensor<2x3x4xf32>, tensor<2x3xi32>) -> (tensor<4x2x3xf32>, tensor<3x2xi32>)
  // perm = [2, 0, 1]: T[k][i][j] = X[i][j][k]
  // CHECK: rank = 3 offset = 0 sizes = [4, 2, 3] strides = [6, 3, 1] data =
  // CHECK-NEXT: {{\[\[\[}}0, 10, 20],
  // CHECK-NEXT:   [100, 110, 120]],
  // CHECK-NEXT:  {{\[\[}}1, 11, 21],
  // CHECK-NEXT:   [101, 111, 121]],
  // CHECK-NEXT:  {{\[\[}}2, 12, 22],
  // CHECK-NEXT:   [102, 112, 122]],
  // CHECK-NEXT:  {{\[\[}}3, 13, 23],
  // CHECK-NEXT:   [103, 113, 123]]]
  %t0 = tensor.cast %t#0 : tensor<4x2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%t0) : (tensor<*xf32>) -> ()
  // perm = [1, 0] on i32
  // CHECK: rank = 2 offset = 0 sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 4],
  // CHECK-NEXT:  [-2, 5],
  // CHECK-NEXT:  [3, -6]]
  %t1 = tensor.cast %t#1 : tensor<3x2xi32> to tensor<*xi32>
  call @printMemrefI32(%t1) : (tensor<*xi32>) -> ()

  %bc = dl.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %bv = dl.constant dense<[7.0, 8.0, 9.0]> : tensor<3xf32>
  %bs = dl.constant dense<4.5> : tensor<f32>
  %br = dl.constant dense<[[7.0, 8.0, 9.0]]> : tensor<1x3xf32>
  %b:4 = call @broadcasts(%bc, %bv, %bs, %br)
      : (tensor<3x1xf32>, tensor<3xf32>, tensor<f32>, tensor<1x3xf32>)
      -> (tensor<2x3x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x1x3xf32>)
  // [3, 1] -> [2, 3, 4]
  // CHECK: rank = 3 offset = 0 sizes = [2, 3, 4] strides = [12, 4, 1] data =
  // CHECK-NEXT: {{\[\[\[}}1, 1, 1, 1],
  // CHECK-NEXT:   [2, 2, 2, 2],
  // CHECK-NEXT:   [3, 3, 3, 3]],
  // CHECK-NEXT:  {{\[\[}}1, 1, 1, 1],
  // CHECK-NEXT:   [2, 2, 2, 2],
  // CHECK-NEXT:   [3, 3, 3, 3]]]
  %b0 = tensor.cast %b#0 : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%b0) : (tensor<*xf32>) -> ()
  // [3] -> [2, 3]
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}7, 8, 9],
  // CHECK-NEXT:  [7, 8, 9]]
  %b1 = tensor.cast %b#1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%b1) : (tensor<*xf32>) -> ()
  // [] -> [2, 3]
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}4.5, 4.5, 4.5],
  // CHECK-NEXT:  [4.5, 4.5, 4.5]]
  %b2 = tensor.cast %b#2 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%b2) : (tensor<*xf32>) -> ()
  // [1, 3] -> [2, 1, 3]
  // CHECK: rank = 3 offset = 0 sizes = [2, 1, 3] strides = [3, 3, 1] data =
  // CHECK-NEXT: {{\[\[\[}}7, 8, 9]],
  // CHECK-NEXT:  {{\[\[}}7, 8, 9]]]
  %b3 = tensor.cast %b#3 : tensor<2x1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%b3) : (tensor<*xf32>) -> ()

  %f:2 = call @fills() : () -> (tensor<2x3xf32>, tensor<4xi32>)
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}2.5, 2.5, 2.5],
  // CHECK-NEXT:  [2.5, 2.5, 2.5]]
  %f0 = tensor.cast %f#0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%f0) : (tensor<*xf32>) -> ()
  // CHECK: rank = 1 offset = 0 sizes = [4] strides = [1] data =
  // CHECK-NEXT: [-3, -3, -3, -3]
  %f1 = tensor.cast %f#1 : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%f1) : (tensor<*xi32>) -> ()
  return
}
