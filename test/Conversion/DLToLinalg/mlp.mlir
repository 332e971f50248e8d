// RUN: dlc-opt %dlc_src/examples/mlir/mlp_forward.mlir -convert-dl-to-linalg | FileCheck %s

// The whole MLP example lowers: no dl op is left, and each dl op became its
// linalg counterpart.

// CHECK-NOT: dl.
// CHECK-LABEL: func.func @mlp_forward(
// CHECK-SAME: %[[X:.*]]: tensor<64x784xf32>, %[[Y:.*]]: tensor<64xi32>, %[[W1:.*]]: tensor<784x256xf32>, %[[B1:.*]]: tensor<256xf32>, %[[W2:.*]]: tensor<256x10xf32>, %[[B2:.*]]: tensor<10xf32>)
// CHECK-NOT: dl.
// CHECK-NOT: dense
// dl.fill 1.0 and the scaling multiply
// CHECK: %[[SCALE:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<64x784xf32>)
// CHECK: %[[XS:.*]] = linalg.generic
// CHECK-SAME: ins(%[[X]], %[[SCALE]] :
// CHECK: arith.mulf
// CHECK: %[[H0:.*]] = linalg.matmul ins(%[[XS]], %[[W1]] :
// CHECK: %[[H1:.*]] = linalg.generic
// CHECK-SAME: ins(%[[H0]], %[[B1]] : tensor<64x256xf32>, tensor<256xf32>)
// CHECK: arith.addf
// CHECK: %[[H:.*]] = linalg.generic
// CHECK-SAME: ins(%[[H1]] : tensor<64x256xf32>)
// CHECK: arith.maximumf
// CHECK: %[[L0:.*]] = linalg.matmul ins(%[[H]], %[[W2]] :
// CHECK: %[[LOGITS:.*]] = linalg.generic
// CHECK-SAME: ins(%[[L0]], %[[B2]] : tensor<64x10xf32>, tensor<10xf32>)
// cross_entropy
// CHECK: linalg.generic {{.*}} ins(%[[LOGITS]], %[[Y]] : tensor<64x10xf32>, tensor<64xi32>)
// CHECK: linalg.index 1
// CHECK: %[[LOSS:.*]] = linalg.generic {{.*}} iterator_types = []
// CHECK: arith.constant 1.562500e-02 : f32
// CHECK-NOT: dl.
// CHECK: return %[[LOSS]], %[[LOGITS]] : tensor<f32>, tensor<64x10xf32>
// CHECK-NOT: dl.
