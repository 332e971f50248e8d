// RUN: dlc-opt %s --dlc-destination-results -split-input-file -verify-diagnostics | FileCheck %s

// Every result of a public function gets a trailing destination argument
// (bufferize.result, writable, carrying the result's attributes). A result
// whose destination chain starts at tensor.empty is computed in the argument
// itself; any other result (an argument, a constant, a value with a shared
// link) is copied there with linalg.copy.

#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @computed(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x8xf32>,
// CHECK-SAME: %[[DEST:[^:]*]]: tensor<4x8xf32> {bufferization.writable = true, bufferize.result, dl.name = "y"})
// CHECK-SAME: -> (tensor<4x8xf32> {dl.name = "y"
// CHECK-NOT: tensor.empty
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[A]] : tensor<4x8xf32>) outs(%[[DEST]] : tensor<4x8xf32>)
// CHECK-NOT: linalg.copy
// CHECK: return %[[R]]
func.func @computed(%a: tensor<4x8xf32>) -> (tensor<4x8xf32> {dl.name = "y"}) {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A returned argument is copied into the destination.
// CHECK-LABEL: func.func @returned_arg(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4xf32>, %[[DEST:[^:]*]]: tensor<4xf32> {bufferization.writable = true, bufferize.result})
// CHECK: %[[C:.*]] = linalg.copy ins(%[[A]] : tensor<4xf32>) outs(%[[DEST]] : tensor<4xf32>) -> tensor<4xf32>
// CHECK: return %[[C]] : tensor<4xf32>
func.func @returned_arg(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// So is a constant.
// CHECK-LABEL: func.func @constant(
// CHECK-SAME: %[[DEST:[^:]*]]: tensor<2xf32> {bufferization.writable = true, bufferize.result})
// CHECK: %[[CST:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.*]] = linalg.copy ins(%[[CST]] : tensor<2xf32>) outs(%[[DEST]] : tensor<2xf32>)
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %c : tensor<2xf32>
}

// -----

// The chain goes through the matmul's fill to the empty tensor: the fill
// initializes the destination.
// CHECK-LABEL: func.func @fill_matmul(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x3xf32>, %[[B:[^:]*]]: tensor<3x5xf32>, %[[DEST:[^:]*]]: tensor<4x5xf32> {bufferization.writable = true, bufferize.result})
// CHECK-NOT: tensor.empty
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[DEST]] : tensor<4x5xf32>)
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3x5xf32>) outs(%[[F]] : tensor<4x5xf32>)
// CHECK-NOT: linalg.copy
// CHECK: return %[[M]]
func.func @fill_matmul(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> tensor<4x5xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x5xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<4x5xf32>) -> tensor<4x5xf32>
  %m = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x5xf32>) outs(%f : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %m : tensor<4x5xf32>
}

// -----

// A fill shared by two matmuls must not land in either destination: both
// products are copied.
// CHECK-LABEL: func.func @shared_fill(
// CHECK-SAME: %[[D1:[^:]*]]: tensor<4x5xf32> {bufferization.writable = true, bufferize.result}, %[[D2:[^:]*]]: tensor<4x5xf32> {bufferization.writable = true, bufferize.result})
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x5xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<4x5xf32>)
// CHECK: %[[M1:.*]] = linalg.matmul {{.*}} outs(%[[F]] : tensor<4x5xf32>)
// CHECK: %[[M2:.*]] = linalg.matmul {{.*}} outs(%[[F]] : tensor<4x5xf32>)
// CHECK: %[[C1:.*]] = linalg.copy ins(%[[M1]] : tensor<4x5xf32>) outs(%[[D1]] : tensor<4x5xf32>)
// CHECK: %[[C2:.*]] = linalg.copy ins(%[[M2]] : tensor<4x5xf32>) outs(%[[D2]] : tensor<4x5xf32>)
// CHECK: return %[[C1]], %[[C2]]
func.func @shared_fill(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> (tensor<4x5xf32>, tensor<4x5xf32>) {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x5xf32>
  %f = linalg.fill ins(%c0 : f32) outs(%e : tensor<4x5xf32>) -> tensor<4x5xf32>
  %m1 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x5xf32>) outs(%f : tensor<4x5xf32>) -> tensor<4x5xf32>
  %m2 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x5xf32>) outs(%f : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %m1, %m2 : tensor<4x5xf32>, tensor<4x5xf32>
}

// -----

// Private functions keep their results.
// CHECK-LABEL: func.func private @private_fn(
// CHECK-SAME: %{{[^:]*}}: tensor<4xf32>) -> tensor<4xf32>
func.func private @private_fn(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// An update (dl.kind = "update") gets no new argument: it is written over the
// parameter of the same name, made writable.
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @update(
// CHECK-SAME: %[[W:[^:]*]]: tensor<4xf32> {bufferization.writable = true, dl.kind = "param", dl.name = "w"},
// CHECK-SAME: %[[G:[^:]*]]: tensor<4xf32>)
// CHECK-NOT: bufferize.result
// CHECK: %[[R:.*]] = linalg.generic {{.*}} outs(%[[W]] : tensor<4xf32>)
// CHECK: return %[[R]]
func.func @update(%w: tensor<4xf32> {dl.kind = "param", dl.name = "w"}, %g: tensor<4xf32>)
    -> (tensor<4xf32> {dl.kind = "update", dl.name = "w"}) {
  %e = tensor.empty() : tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [#id1, #id1, #id1], iterator_types = ["parallel"]}
      ins(%w, %g : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %d = arith.subf %x, %y : f32
    linalg.yield %d : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{update result #0 names no argument of its type}}
func.func @bad_update(%w: tensor<4xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<8xf32> {dl.kind = "update", dl.name = "w"}) {
  %c = arith.constant dense<0.0> : tensor<8xf32>
  return %c : tensor<8xf32>
}
