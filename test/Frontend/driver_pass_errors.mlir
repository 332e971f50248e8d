// RUN: not dlc compile %s -o %t.o 2>&1 | FileCheck %s
// A pass that fails on dlc's input reports at the op's location, with the
// source line, and never prints the IR of the op.

// CHECK: driver_pass_errors.mlir:[[@LINE+9]]:8: error: an output depends on label 'y' through this op: no inference function can be derived
// CHECK-NOT: see current operation
// CHECK-NOT: "dl.sub"
func.func @model(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                 %y: tensor<4x3xf32> {dl.kind = "label", dl.name = "y"},
                 %w: tensor<4x3xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<4x3xf32> {dl.kind = "output", dl.name = "err"}) {
  %z = dl.mul %x, %w : tensor<4x3xf32>, tensor<4x3xf32>
  %d = dl.sub %z, %y : tensor<4x3xf32>, tensor<4x3xf32>
  %l = dl.sum %d axes = [0, 1] : tensor<4x3xf32>
  return %l, %d : tensor<f32>, tensor<4x3xf32>
}
