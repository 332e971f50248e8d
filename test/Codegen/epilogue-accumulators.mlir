// A matmul with a fused bias + ReLU epilogue (the MLP layer) must keep its
// 8x32 accumulator tile in registers across the K loop, as the plain matmul
// of vectorize.mlir does (a loop-carried !llvm.array<8 x vector<32xf32>>).
//
// dlc-lower-vectors runs before dlc-plan-memory for this reason: MLIR 19's
// hoisting does not look through the workspace views planning creates.
//
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-codegen-cpu="vector-bits=512 num-registers=32" | FileCheck %s

// CHECK-LABEL: llvm.func @dense_relu_48x64x64(
// CHECK: ^bb{{[0-9]+}}(%{{[0-9]+}}: i64, %{{[0-9]+}}: !llvm.array<8 x vector<32xf32>>):

func.func @dense_relu_48x64x64(%x: tensor<48x64xf32>, %w: tensor<64x64xf32>,
                               %b: tensor<64xf32>) -> tensor<48x64xf32> {
  %0 = dl.matmul %x, %w : tensor<48x64xf32>, tensor<64x64xf32>
  %1 = dl.add %0, %b : tensor<48x64xf32>, tensor<64xf32>
  %2 = dl.relu %1 : tensor<48x64xf32>
  return %2 : tensor<48x64xf32>
}
