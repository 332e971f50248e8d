// RUN: dlc-opt %s -dl-decompose-attention -split-input-file -verify-diagnostics | FileCheck %s
// dl.attention as dl ops: q k^T (k transposed), the scale, the given mask,
// the causal mask (Tq = 3 < Tk = 5: query i sees keys j <= i + 2), a softmax
// over the keys and the product with v.

func.func @attn(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>, %v: tensor<2x5x6xf32>, %m: tensor<2x1x5xf32>) -> tensor<2x3x6xf32> {
  %o, %lse = dl.attention %q, %k, %v mask %m : tensor<2x1x5xf32> scale = 5.000000e-01 causal : tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x6xf32>
  return %o : tensor<2x3x6xf32>
}
// CHECK-LABEL: func.func @attn(
// CHECK-SAME: %[[Q:[^:]*]]: tensor<2x3x4xf32>, %[[K:[^:]*]]: tensor<2x5x4xf32>, %[[V:[^:]*]]: tensor<2x5x6xf32>, %[[M:[^:]*]]: tensor<2x1x5xf32>
// CHECK-DAG: %[[SCALE:.*]] = dl.fill 5.000000e-01 : tensor<f32>
// CHECK-DAG: %[[KT:.*]] = dl.transpose %[[K]] perm = [0, 2, 1]
// CHECK: %[[S:.*]] = dl.matmul %[[Q]], %[[KT]] : tensor<2x3x4xf32>, tensor<2x4x5xf32>
// CHECK: %[[SS:.*]] = dl.mul %[[S]], %[[SCALE]]
// CHECK: %[[SM:.*]] = dl.add %[[SS]], %[[M]] : tensor<2x3x5xf32>, tensor<2x1x5xf32>
// CHECK: %[[C:.*]] = dl.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00, 0xFF800000, 0xFF800000], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0xFF800000], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<3x5xf32>
// CHECK: %[[SC:.*]] = dl.add %[[SM]], %[[C]]
// CHECK: %[[P:.*]] = dl.softmax %[[SC]] axis = 2
// CHECK: %[[O:.*]] = dl.matmul %[[P]], %[[V]]
// CHECK: return %[[O]]
// CHECK-NOT: dl.attention

// -----

// The lse is the fused form's, for its backward pass: the expansion runs
// before autodiff, while nothing reads it.
func.func @lse_in_use(%q: tensor<2x3x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'dl.attention' op cannot be expanded while its lse is in use (run dl-decompose-attention before dl-autodiff)}}
  %o, %lse = dl.attention %q, %q, %q scale = 5.000000e-01 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  return %lse : tensor<2x3xf32>
}
