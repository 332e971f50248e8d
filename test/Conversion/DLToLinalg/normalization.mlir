// RUN: dlc-opt %s -convert-dl-to-linalg | FileCheck %s
// dl.layer_norm: two row reductions over the last axis (the two-pass
// variance), 1 / sqrt per row, then y in one elementwise pass over x.

func.func @layer_norm(%x: tensor<4x6x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<4x6x8xf32>, tensor<4x6xf32>, tensor<4x6xf32>) {
  %y, %m, %r = dl.layer_norm %x, %g, %b eps = 1.000000e-05 : tensor<4x6x8xf32>, tensor<8xf32>
  return %y, %m, %r : tensor<4x6x8xf32>, tensor<4x6xf32>, tensor<4x6xf32>
}
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[FEAT:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm(
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ALL]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0 : tensor<4x6x8xf32>)
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<4x6xf32>)
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[ALL]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %[[MEAN]] : tensor<4x6x8xf32>, tensor<4x6xf32>)
// CHECK: %[[RSTD:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<4x6xf32>)
// CHECK: math.sqrt
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ALL]], #[[ROW]], #[[ROW]], #[[FEAT]], #[[FEAT]], #[[ALL]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[RSTD]], %arg1, %arg2 :
// CHECK: return %[[Y]], %[[MEAN]], %[[RSTD]]
