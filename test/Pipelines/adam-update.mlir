// RUN: dlc-opt %s --dl-optimizer --dlc-lower-to-linalg | FileCheck %s

// Adam after dl is lowered (what dlc runs): the per-step scalars (t, the step
// size lr / (1 - beta1^t), 1 / sqrt(1 - beta2^t)) in one 0-d op that runs
// once, and per parameter one loop that reads p, g, m, v once and writes the
// new v, m and p: one sqrt and one division per element.

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: %[[G:[^:]*]]: tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}
// CHECK-SAME: %[[M:[^:]*]]: tensor<3x2xf32> {dl.kind = "opt_state", dl.name = "W.m"}
// CHECK-SAME: %[[V:[^:]*]]: tensor<3x2xf32> {dl.kind = "opt_state", dl.name = "W.v"}
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<f32> {dl.kind = "opt_state", dl.name = "step"}
// CHECK: %[[S:.*]]:3 = linalg.generic {{.*}} iterator_types = []} ins(%[[STEP]] : tensor<f32>)
// CHECK-COUNT-2: math.exp
// CHECK: linalg.yield
// CHECK: %[[U:.*]]:3 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[W]], %[[S]]#1, %[[M]], %[[G]], %[[V]], %[[S]]#2 :
// CHECK-NOT: math.exp
// CHECK-COUNT-1: math.sqrt
// CHECK-NOT: math.sqrt
// CHECK-COUNT-1: arith.divf
// CHECK-NOT: arith.divf
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
// CHECK: return %[[U]]#2, %[[U]]#1, %[[U]]#0, %[[S]]#0
module attributes {dl.train = {optimizer = "adam", lr = 1.0e-3 : f64}} {
func.func @grad(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                %w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %y = dl.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
  %l = dl.sum %y axes = [0, 1] : tensor<4x2xf32>
  %xt = dl.transpose %x perm = [1, 0] : tensor<4x3xf32>
  %one = dl.fill 1.0 : tensor<4x2xf32>
  %g = dl.matmul %xt, %one : tensor<3x4xf32>, tensor<4x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}
