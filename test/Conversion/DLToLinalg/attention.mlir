// RUN: dlc-opt %s -convert-dl-to-linalg -canonicalize -split-input-file | FileCheck %s

// dl.attention fused: loops over the batch, query blocks and key blocks of
// 64; per key block one [64, 64] score tile (q k^T as a matmul of k
// transposed once), the causal mask from the tile's indices, the online
// softmax's running max and sum, and the output accumulator rescaled and
// accumulated in place. No [N, Tq, Tk] tensor: the largest is one tile. The
// causal loop stops after the block holding the diagonal.

func.func @attn(%q: tensor<2x128x16xf32>, %k: tensor<2x128x16xf32>, %v: tensor<2x128x8xf32>) -> (tensor<2x128x8xf32>, tensor<2x128xf32>) {
  %o, %lse = dl.attention %q, %k, %v scale = 2.500000e-01 causal : tensor<2x128x16xf32>, tensor<2x128x16xf32>, tensor<2x128x8xf32>
  return %o, %lse : tensor<2x128x8xf32>, tensor<2x128xf32>
}
// CHECK-LABEL: func.func @attn(
// CHECK-NOT: tensor<2x128x128xf32>
// CHECK: %[[KT:.*]] = linalg.transpose ins(%{{.*}} : tensor<2x128x16xf32>) outs(%{{.*}} : tensor<2x16x128xf32>) permutation = [0, 2, 1]
// CHECK: scf.for %[[N:.*]] = %c0 to %c2 step %c1
// CHECK: scf.for %[[QB:.*]] = %c0 to %c128 step %c64
// CHECK: %[[QT:.*]] = tensor.extract_slice %{{.*}}[%[[N]], %[[QB]], 0] [1, 64, 16]
// CHECK: %[[END:.*]] = arith.minsi %{{.*}}, %c128
// CHECK: scf.for %[[KB:.*]] = %c0 to %[[END]] step %c64 iter_args(%[[M:.*]] = %{{.*}}, %[[L:.*]] = %{{.*}}, %[[ACC:.*]] = %{{.*}}) -> (tensor<64xf32>, tensor<64xf32>, tensor<64x8xf32>)
// CHECK: %[[KTT:.*]] = tensor.extract_slice %[[KT]][%[[N]], 0, %[[KB]]] [1, 16, 64]
// CHECK: %[[S:.*]] = linalg.matmul ins(%[[QT]], %[[KTT]] : tensor<64x16xf32>, tensor<16x64xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<64x64xf32>)
// CHECK: linalg.index 0
// CHECK: arith.cmpi sgt
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: %[[SHRUNK:.*]] = linalg.generic {{.*}} outs(%[[ACC]] : tensor<64x8xf32>)
// CHECK: %[[NEW:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x8xf32>) outs(%[[SHRUNK]] : tensor<64x8xf32>)
// CHECK: bufferization.materialize_in_destination %{{.*}} in %[[M]]
// CHECK: bufferization.materialize_in_destination %{{.*}} in %[[L]]
// CHECK: arith.divf
// CHECK: math.log
// CHECK-NOT: tensor<2x128x128xf32>

// -----

// The backward: keys outer, queries inner (from the first query block that
// sees the key block, with causal), P^T recomputed from lse per tile, dk and
// dv accumulated in the key block's tiles, dq accumulated transposed.

func.func @attn_backward(%q: tensor<2x128x16xf32>, %v: tensor<2x128x8xf32>, %o: tensor<2x128x8xf32>, %l: tensor<2x128xf32>, %do: tensor<2x128x8xf32>) -> (tensor<2x128x16xf32>, tensor<2x128x16xf32>, tensor<2x128x8xf32>) {
  %dq, %dk, %dv = dl.attention_backward %q, %q, %v, %o, %l, %do scale = 2.500000e-01 causal : tensor<2x128x16xf32>, tensor<2x128x16xf32>, tensor<2x128x8xf32>, tensor<2x128x8xf32>, tensor<2x128xf32>
  return %dq, %dk, %dv : tensor<2x128x16xf32>, tensor<2x128x16xf32>, tensor<2x128x8xf32>
}
// CHECK-LABEL: func.func @attn_backward(
// CHECK-NOT: tensor<2x128x128xf32>
// CHECK: scf.for %[[N:.*]] = %c0 to %c2 step %c1
// CHECK: scf.for %[[KB:.*]] = %c0 to %c128 step %c64
// CHECK: %[[FIRST:.*]] = arith.muli %{{.*}}, %c64
// CHECK: scf.for %[[QB:.*]] = %[[FIRST]] to %c128 step %c64 iter_args(%[[DK:.*]] = %{{.*}}, %[[DV:.*]] = %{{.*}}, %[[DQT:.*]] = %{{.*}}) -> (tensor<64x16xf32>, tensor<64x8xf32>, tensor<16x128xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x16xf32>, tensor<16x64xf32>)
// CHECK: math.exp
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x8xf32>) outs(%[[DV]] : tensor<64x8xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x8xf32>, tensor<8x64xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x16xf32>) outs(%[[DK]] : tensor<64x16xf32>)
// CHECK: %[[DQS:.*]] = tensor.extract_slice %[[DQT]][0, %[[QB]]] [16, 64] [1, 1]
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<16x64xf32>, tensor<64x64xf32>) outs(%[[DQS]] : tensor<16x64xf32>)
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x16x128xf32>) outs(%{{.*}} : tensor<2x128x16xf32>)
// CHECK-NOT: tensor<2x128x128xf32>
