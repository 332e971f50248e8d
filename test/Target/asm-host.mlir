// On an AVX-512 host, `dlc compile` targets the host by default: zmm
// registers and fused multiply-adds.
// REQUIRES: avx512f
// RUN: dlc compile %s --emit=asm -o - | FileCheck %s

// CHECK-LABEL: matmul_48x64x64:
// CHECK: vfmadd231ps %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}

func.func @matmul_48x64x64(%a: tensor<48x64xf32>, %b: tensor<64x64xf32>)
    -> tensor<48x64xf32> {
  %0 = dl.matmul %a, %b : tensor<48x64xf32>, tensor<64x64xf32>
  return %0 : tensor<48x64xf32>
}
