// matmul_64x256x10: C[64x10] = A[64x256] * B[256x10], f32, row-major (M x K x N).
// Compiled by benchmarks/CMakeLists.txt (dlc_compile_kernel); the peer is cblas_sgemm.
func.func @matmul_64x256x10(%a: tensor<64x256xf32>, %b: tensor<256x10xf32>) -> tensor<64x10xf32> {
  %c = dl.matmul %a, %b : tensor<64x256xf32>, tensor<256x10xf32>
  return %c : tensor<64x10xf32>
}
