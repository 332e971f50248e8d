// matmul_64x784x256: C[64x256] = A[64x784] * B[784x256], f32, row-major (M x K x N).
// Compiled by benchmarks/CMakeLists.txt (dlc_compile_kernel); the peer is cblas_sgemm.
func.func @matmul_64x784x256(%a: tensor<64x784xf32>, %b: tensor<784x256xf32>) -> tensor<64x256xf32> {
  %c = dl.matmul %a, %b : tensor<64x784xf32>, tensor<784x256xf32>
  return %c : tensor<64x256xf32>
}
