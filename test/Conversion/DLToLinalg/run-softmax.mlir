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

// Numeric semantics of the softmax, log_softmax and cross_entropy lowerings.
// The dl ops take their inputs as function arguments so that the conversion
// driver cannot constant-fold them.
//
// Expected values: python3 with the math module in double precision, printed
// with '%g' (the six significant digits printMemrefF32 prints); none is near a
// rounding boundary at the sixth digit:
//   lse(r)         = max(r) + math.log(sum(math.exp(x - max(r)) for x in r))
//   softmax(r)     = [math.exp(x - lse(r)) for x in r]
//   log_softmax(r) = [x - lse(r) for x in r]
//   cross_entropy  = sum(lse(r) - r[label] for r, label in zip(rows, labels)) / len(rows)
// e.g. logits [[1, 2, 3], [1, 1, 1]], labels [2, 0]:
//   ((log(e^1 + e^2 + e^3) - 3) + log(3)) / 2 = (0.40760596 + 1.09861229) / 2 = 0.75310912

func.func private @printMemrefF32(tensor<*xf32>)

func.func @softmaxes(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = dl.softmax %x axis = 1 : tensor<2x3xf32>
  %1 = dl.softmax %x axis = 0 : tensor<2x3xf32>
  %2 = dl.log_softmax %x axis = 1 : tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// Inputs whose exp overflows f32: only correct if the max is subtracted first.
func.func @large(%x: tensor<1x3xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>) {
  %0 = dl.softmax %x axis = 1 : tensor<1x3xf32>
  %1 = dl.log_softmax %x axis = 1 : tensor<1x3xf32>
  return %0, %1 : tensor<1x3xf32>, tensor<1x3xf32>
}

func.func @losses(%l2: tensor<2x3xf32>, %y2: tensor<2xi32>,
                  %l1: tensor<4xf32>, %y1: tensor<i32>,
                  %l3: tensor<2x2x3xf32>, %y3: tensor<2x2xi64>)
    -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = dl.cross_entropy %l2, %y2 : tensor<2x3xf32>, tensor<2xi32>
  %1 = dl.cross_entropy %l1, %y1 : tensor<4xf32>, tensor<i32>
  %2 = dl.cross_entropy %l3, %y3 : tensor<2x2x3xf32>, tensor<2x2xi64>
  return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<f32>
}

func.func @print(%t: tensor<*xf32>) {
  call @printMemrefF32(%t) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %x = dl.constant dense<[[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %s:3 = call @softmaxes(%x)
      : (tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
  // softmax axis = 1
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}0.0900306, 0.244728, 0.665241],
  // CHECK-NEXT:  [0.333333, 0.333333, 0.333333]]
  %s0 = tensor.cast %s#0 : tensor<2x3xf32> to tensor<*xf32>
  call @print(%s0) : (tensor<*xf32>) -> ()
  // softmax axis = 0: columns [1, 1], [2, 1], [3, 1]
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}0.5, 0.731059, 0.880797],
  // CHECK-NEXT:  [0.5, 0.268941, 0.119203]]
  %s1 = tensor.cast %s#1 : tensor<2x3xf32> to tensor<*xf32>
  call @print(%s1) : (tensor<*xf32>) -> ()
  // log_softmax axis = 1
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}-2.40761, -1.40761, -0.407606],
  // CHECK-NEXT:  [-1.09861, -1.09861, -1.09861]]
  %s2 = tensor.cast %s#2 : tensor<2x3xf32> to tensor<*xf32>
  call @print(%s2) : (tensor<*xf32>) -> ()

  %big = dl.constant dense<[[1000.0, 1001.0, 1002.0]]> : tensor<1x3xf32>
  %g:2 = call @large(%big) : (tensor<1x3xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>)
  // CHECK: rank = 2 offset = 0 sizes = [1, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}0.0900306, 0.244728, 0.665241]]
  %g0 = tensor.cast %g#0 : tensor<1x3xf32> to tensor<*xf32>
  call @print(%g0) : (tensor<*xf32>) -> ()
  // CHECK: rank = 2 offset = 0 sizes = [1, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}-2.40761, -1.40761, -0.407606]]
  %g1 = tensor.cast %g#1 : tensor<1x3xf32> to tensor<*xf32>
  call @print(%g1) : (tensor<*xf32>) -> ()

  %y2 = dl.constant dense<[2, 0]> : tensor<2xi32>
  %l1 = dl.constant dense<[0.5, -1.0, 2.0, 0.0]> : tensor<4xf32>
  %y1 = dl.constant dense<1> : tensor<i32>
  %l3 = dl.constant dense<[[[0.5, 1.5, -1.0], [2.0, 2.0, 0.0]],
                           [[3.0, -3.0, 1.0], [0.25, 0.5, 0.75]]]> : tensor<2x2x3xf32>
  %y3 = dl.constant dense<[[2, 0], [0, 1]]> : tensor<2x2xi64>
  %c:3 = call @losses(%x, %y2, %l1, %y1, %l3, %y3)
      : (tensor<2x3xf32>, tensor<2xi32>, tensor<4xf32>, tensor<i32>,
         tensor<2x2x3xf32>, tensor<2x2xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>)
  // [[1, 2, 3], [1, 1, 1]], labels [2, 0]: 0.75310912
  // CHECK: rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [0.753109]
  %c0 = tensor.cast %c#0 : tensor<f32> to tensor<*xf32>
  call @print(%c0) : (tensor<*xf32>) -> ()
  // [0.5, -1, 2, 0], label 1: lse - (-1) = 3.34234958
  // CHECK: rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [3.34235]
  %c1 = tensor.cast %c#1 : tensor<f32> to tensor<*xf32>
  call @print(%c1) : (tensor<*xf32>) -> ()
  // [2, 2, 3] logits, [2, 2] labels: mean of 2.87153903, 0.75862368,
  // 0.12910891, 1.11933808 = 1.21965243
  // CHECK: rank = 0 offset = 0 sizes = [] strides = [] data =
  // CHECK-NEXT: [1.21965]
  %c2 = tensor.cast %c#2 : tensor<f32> to tensor<*xf32>
  call @print(%c2) : (tensor<*xf32>) -> ()
  return
}
