// RUN: dlc-opt %s -convert-dl-to-linalg | FileCheck %s

// embedding -> a generic over the result that reads its position's id and
// extracts the table's element (zero for an id outside [0, V));
// embedding_backward -> a loop over the positions adding each cotangent row
// into its id's row of a zero-filled gradient.

// CHECK-LABEL: func.func @embedding(
// CHECK-SAME: %[[T:[^:]*]]: tensor<10x4xf32>, %[[IDS:[^:]*]]: tensor<2x3xi32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<2x3xi32>)
// CHECK: %[[I:.*]] = arith.index_cast %{{.*}} : i32 to index
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[I]], %c10
// CHECK: %[[ROW:.*]] = arith.select %[[IN]], %[[I]], %c0
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: %[[V:.*]] = tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<10x4xf32>
// CHECK: arith.select %[[IN]], %[[V]], %{{.*}} : f32
func.func @embedding(%t: tensor<10x4xf32>, %ids: tensor<2x3xi32>) -> tensor<2x3x4xf32> {
  %e = dl.embedding %t, %ids : tensor<10x4xf32>, tensor<2x3xi32>
  return %e : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @embedding_backward(
// CHECK-SAME: %[[DY:[^:]*]]: tensor<2x3x4xf32>, %[[IDS:[^:]*]]: tensor<2x3xi32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[IDS]] {{\[\[}}0, 1]] : tensor<2x3xi32> into tensor<6xi32>
// CHECK: tensor.collapse_shape %[[DY]]
// CHECK: %[[ROWS:.*]] = tensor.expand_shape {{.*}} into tensor<6x4xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: scf.for %[[P:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[G:.*]] = %[[ZERO]]) -> (tensor<10x4xf32>)
// CHECK: tensor.extract %[[FLAT]][%[[P]]] : tensor<6xi32>
// CHECK: scf.for %[[D:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[R:.*]] = %[[G]]) -> (tensor<10x4xf32>)
// CHECK: tensor.extract %[[ROWS]][%[[P]], %[[D]]] : tensor<6x4xf32>
// CHECK: %[[OLD:.*]] = tensor.extract %[[R]][%[[ROW:.*]], %[[D]]] : tensor<10x4xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[OLD]]
// CHECK: tensor.insert %[[SUM]] into %[[R]][%[[ROW]], %[[D]]] : tensor<10x4xf32>
func.func @embedding_backward(%dy: tensor<2x3x4xf32>, %ids: tensor<2x3xi32>) -> tensor<10x4xf32> {
  %g = dl.embedding_backward %dy, %ids : tensor<2x3x4xf32>, tensor<2x3xi32> -> tensor<10x4xf32>
  return %g : tensor<10x4xf32>
}
