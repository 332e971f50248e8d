// RUN: dlc-opt %s --dlc-fuse-elementwise -split-input-file | FileCheck %s

// dlc-fuse-elementwise fuses an elementwise producer into its consumer when
// nothing is computed twice: a producer with other users becomes an extra
// result of the fused op; a broadcast producer is fused only when cheap.

#id = affine_map<(d0) -> (d0)>
#bc = affine_map<(d0) -> ()>
#s = affine_map<() -> ()>
// An Adam-like update: %m is used by the update and returned. One op
// computes both; the 0-d exp stays apart (it would run once per element).
// CHECK-LABEL: func.func @multi_use(
// CHECK-SAME: %[[M0:[^:]*]]: tensor<8xf32>, %[[G:[^:]*]]: tensor<8xf32>, %[[P0:[^:]*]]: tensor<8xf32>, %[[T:[^:]*]]: tensor<f32>)
// CHECK: %[[C:.*]] = linalg.generic {{.*}} iterator_types = []} ins(%[[T]] : tensor<f32>)
// CHECK: math.exp
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} ins(%[[P0]], %[[M0]], %[[G]], %[[C]] :
// CHECK: %[[MV:.*]] = arith.addf
// CHECK: %[[PV:.*]] = arith.subf
// CHECK: linalg.yield %[[MV]], %[[PV]] : f32, f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]#1, %[[R]]#0
func.func @multi_use(%m0: tensor<8xf32>, %g: tensor<8xf32>, %p0: tensor<8xf32>, %t: tensor<f32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %e0 = tensor.empty() : tensor<f32>
  %m = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%m0, %g : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %c = linalg.generic {indexing_maps = [#s, #s], iterator_types = []} ins(%t : tensor<f32>) outs(%e0 : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  %p = linalg.generic {indexing_maps = [#id, #id, #bc, #id], iterator_types = ["parallel"]} ins(%p0, %m, %c : tensor<8xf32>, tensor<8xf32>, tensor<f32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %cc: f32, %o: f32):
    %r = arith.mulf %b, %cc : f32
    %s = arith.subf %a, %r : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %p, %m : tensor<8xf32>, tensor<8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#id1 = affine_map<(d0) -> (d0)>
// A cheap broadcast producer (one add) is fused and recomputed per row; an
// expensive one (a division) is not.
// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<8xf32>
// CHECK: %[[D:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<8xf32>)
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[B]], %[[D]] : tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
func.func @broadcast(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %e1 = tensor.empty() : tensor<8xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %cheap = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%b : tensor<8xf32>) outs(%e1 : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %dear = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%b : tensor<8xf32>) outs(%e1 : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %r = arith.divf %one, %a : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %y = linalg.generic {indexing_maps = [#id2, #row, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %cheap, %dear : tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %d: f32, %o: f32):
    %s = arith.mulf %a, %d : f32
    %r = arith.addf %s, %c : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
// %h has another user (@use) before its consumer %z, and %z depends on it:
// fusing would place the fused op after @use's call, so %h stays apart.
// CHECK-LABEL: func.func @earlier_user(
// CHECK: %[[H:.*]] = linalg.generic
// CHECK: %[[U:.*]] = call @use(%[[H]])
// CHECK: linalg.generic {{.*}} ins(%[[H]], %[[U]] :
func.func private @use(tensor<8xf32>) -> tensor<8xf32>
func.func @earlier_user(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.negf %a : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %u = func.call @use(%h) : (tensor<8xf32>) -> tensor<8xf32>
  %z = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%h, %u : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %z : tensor<8xf32>
}

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#id1 = affine_map<(d0) -> (d0)>
// A cheap broadcast producer that is also returned stays apart: its result
// could not be a result of the larger loop.
// CHECK-LABEL: func.func @broadcast_multi_use(
// CHECK: %[[C:.*]] = linalg.generic {{.*}} iterator_types = ["parallel"]}
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[C]] : tensor<4x8xf32>, tensor<8xf32>)
// CHECK: return %[[Y]], %[[C]]
func.func @broadcast_multi_use(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<8xf32>) {
  %e1 = tensor.empty() : tensor<8xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %cheap = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%b : tensor<8xf32>) outs(%e1 : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %y = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %cheap : tensor<4x8xf32>, tensor<8xf32>) outs(%e2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %y, %cheap : tensor<4x8xf32>, tensor<8xf32>
}
