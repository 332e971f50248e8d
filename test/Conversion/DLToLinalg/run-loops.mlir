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

// Numeric semantics of the dl.scan lowering, by hand (all exact):
// c' = 2 c + x_t from c = [1, 10] over x = [[1, 2, 3], [4, 5, 6]] along
// axis 1; the step yields c' as its carry and as an output, and the carry on
// entry as a second output (stored before the carry is overwritten).
// Forward, t = 0, 1, 2: row 0 gives 3, 8, 19 and row 1 24, 53, 112.
// Reverse, t = 2, 1, 0: row 0 gives 5, 12, 25 (stacked at t: [25, 12, 5])
// and row 1 26, 57, 118.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @scan(%x: tensor<2x3xf32>, %c0: tensor<2xf32>)
    -> (tensor<2xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %c, %cs, %entering = dl.scan (%x) carry (%c0) along 1 length 3
      : (tensor<2x3xf32>), (tensor<2xf32>)
      -> (tensor<2xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  ^bb0(%xt: tensor<2xf32>, %h: tensor<2xf32>):
    %d = dl.add %h, %h : tensor<2xf32>, tensor<2xf32>
    %n = dl.add %d, %xt : tensor<2xf32>, tensor<2xf32>
    dl.yield %n, %n, %h : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  }
  return %c, %cs, %entering : tensor<2xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

func.func @scan_reverse(%x: tensor<2x3xf32>, %c0: tensor<2xf32>)
    -> (tensor<2xf32>, tensor<2x3xf32>) {
  %c, %cs = dl.scan (%x) carry (%c0) along 1 length 3 reverse
      : (tensor<2x3xf32>), (tensor<2xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  ^bb0(%xt: tensor<2xf32>, %h: tensor<2xf32>):
    %d = dl.add %h, %h : tensor<2xf32>, tensor<2xf32>
    %n = dl.add %d, %xt : tensor<2xf32>, tensor<2xf32>
    dl.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %c, %cs : tensor<2xf32>, tensor<2x3xf32>
}

func.func @print(%t: tensor<2xf32>) {
  %u = tensor.cast %t : tensor<2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @print2(%t: tensor<2x3xf32>) {
  %u = tensor.cast %t : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %x = dl.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %c0 = dl.constant dense<[1.0, 10.0]> : tensor<2xf32>

  // CHECK: data =
  // CHECK-NEXT: [19,  112]
  // CHECK: data =
  // CHECK-NEXT: {{\[\[}}3,   8,   19],
  // CHECK-NEXT:  [24,   53,   112]]
  // CHECK: data =
  // CHECK-NEXT: {{\[\[}}1,   3,   8],
  // CHECK-NEXT:  [10,   24,   53]]
  %c, %cs, %e = call @scan(%x, %c0)
      : (tensor<2x3xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
  call @print(%c) : (tensor<2xf32>) -> ()
  call @print2(%cs) : (tensor<2x3xf32>) -> ()
  call @print2(%e) : (tensor<2x3xf32>) -> ()

  // CHECK: data =
  // CHECK-NEXT: [25,  118]
  // CHECK: data =
  // CHECK-NEXT: {{\[\[}}25,   12,   5],
  // CHECK-NEXT:  [118,   57,   26]]
  %r, %rs = call @scan_reverse(%x, %c0)
      : (tensor<2x3xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2x3xf32>)
  call @print(%r) : (tensor<2xf32>) -> ()
  call @print2(%rs) : (tensor<2x3xf32>) -> ()
  return
}
