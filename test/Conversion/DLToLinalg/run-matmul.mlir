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

// Numeric semantics of the matmul lowering: rank 2 (linalg.matmul), rank 3
// (linalg.batch_matmul) and rank 4 (batch dims collapsed around a
// batch_matmul, then reshaped back). The dl ops take their inputs as function
// arguments so that the conversion driver cannot constant-fold them.
//
// Expected values: small integers, exact in f32; rank 2 and 3 by hand, rank 4
// with plain python3 loops:
//   A[i][j][m][k] = 12*i + 4*j + 2*m + k + 1     (shape [2, 3, 2, 2])
//   B[i][j][k][n] = (k + 1) * (n - 1) + i - j      (shape [2, 3, 2, 3])
//   C[i][j][m][n] = sum(A[i][j][m][k] * B[i][j][k][n] for k in range(2))

func.func private @printMemrefF32(tensor<*xf32>)

func.func @mm(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %0 = dl.matmul %a, %b : tensor<2x3xf32>, tensor<3x2xf32>
  return %0 : tensor<2x2xf32>
}

func.func @bmm(%a: tensor<2x2x3xf32>, %b: tensor<2x3x2xf32>) -> tensor<2x2x2xf32> {
  %0 = dl.matmul %a, %b : tensor<2x2x3xf32>, tensor<2x3x2xf32>
  return %0 : tensor<2x2x2xf32>
}

func.func @bmm4(%a: tensor<2x3x2x2xf32>, %b: tensor<2x3x2x3xf32>) -> tensor<2x3x2x3xf32> {
  %0 = dl.matmul %a, %b : tensor<2x3x2x2xf32>, tensor<2x3x2x3xf32>
  return %0 : tensor<2x3x2x3xf32>
}

func.func @main() {
  // [[1, 2, 3], [4, 5, 6]] x [[7, 8], [9, 10], [11, 12]]
  //   = [[1*7 + 2*9 + 3*11, 1*8 + 2*10 + 3*12], [4*7 + 5*9 + 6*11, 4*8 + 5*10 + 6*12]]
  %a = dl.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = dl.constant dense<[[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]> : tensor<3x2xf32>
  %c = call @mm(%a, %b) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %cu = tensor.cast %c : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: rank = 2 offset = 0 sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}58, 64],
  // CHECK-NEXT:  [139, 154]]
  call @printMemrefF32(%cu) : (tensor<*xf32>) -> ()

  // Batch 0 as above; batch 1:
  //   [[-1, 0.5, 2], [3, -2, 1]] x [[1, -1], [2, 0.5], [-3, 4]]
  //   = [[-1 + 1 - 6, 1 + 0.25 + 8], [3 - 4 - 3, -3 - 1 + 4]] = [[-6, 9.25], [-4, 0]]
  %ba = dl.constant dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
                           [[-1.0, 0.5, 2.0], [3.0, -2.0, 1.0]]]> : tensor<2x2x3xf32>
  %bb = dl.constant dense<[[[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]],
                           [[1.0, -1.0], [2.0, 0.5], [-3.0, 4.0]]]> : tensor<2x3x2xf32>
  %bc = call @bmm(%ba, %bb) : (tensor<2x2x3xf32>, tensor<2x3x2xf32>) -> tensor<2x2x2xf32>
  %bcu = tensor.cast %bc : tensor<2x2x2xf32> to tensor<*xf32>
  // CHECK: rank = 3 offset = 0 sizes = [2, 2, 2] strides = [4, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}58, 64],
  // CHECK-NEXT:   [139, 154]],
  // CHECK-NEXT:  {{\[\[}}-6, 9.25],
  // CHECK-NEXT:   [-4, 0]]]
  call @printMemrefF32(%bcu) : (tensor<*xf32>) -> ()

  %qa = dl.constant dense<[[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]],
                            [[9.0, 10.0], [11.0, 12.0]]],
                           [[[13.0, 14.0], [15.0, 16.0]], [[17.0, 18.0], [19.0, 20.0]],
                            [[21.0, 22.0], [23.0, 24.0]]]]> : tensor<2x3x2x2xf32>
  %qb = dl.constant dense<[[[[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0]],
                            [[-2.0, -1.0, 0.0], [-3.0, -1.0, 1.0]],
                            [[-3.0, -2.0, -1.0], [-4.0, -2.0, 0.0]]],
                           [[[0.0, 1.0, 2.0], [-1.0, 1.0, 3.0]],
                            [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0]],
                            [[-2.0, -1.0, 0.0], [-3.0, -1.0, 1.0]]]]> : tensor<2x3x2x3xf32>
  %qc = call @bmm4(%qa, %qb)
      : (tensor<2x3x2x2xf32>, tensor<2x3x2x3xf32>) -> tensor<2x3x2x3xf32>
  %qcu = tensor.cast %qc : tensor<2x3x2x3xf32> to tensor<*xf32>
  // C, from the python3 loops above:
  // CHECK: rank = 4 offset = 0 sizes = [2, 3, 2, 3] strides = [18, 6, 3, 1] data =
  // CHECK-NEXT: {{\[\[\[\[}}-5, 0, 5],
  // CHECK-NEXT: [-11, 0, 11]],
  // CHECK-NEXT: {{\[\[}}-28, -11, 6],
  // CHECK-NEXT: [-38, -15, 8]],
  // CHECK-NEXT: {{\[\[}}-67, -38, -9],
  // CHECK-NEXT: [-81, -46, -11]]],
  // CHECK-NEXT: {{\[\[\[}}-14, 27, 68],
  // CHECK-NEXT: [-16, 31, 78]],
  // CHECK-NEXT: {{\[\[}}-53, 0, 53],
  // CHECK-NEXT: [-59, 0, 59]],
  // CHECK-NEXT: {{\[\[}}-108, -43, 22],
  // CHECK-NEXT: [-118, -47, 24]]]]
  call @printMemrefF32(%qcu) : (tensor<*xf32>) -> ()
  return
}
