// matmul_512x512x512: C[512x512] = A[512x512] * B[512x512], f32, row-major (M x K x N).
// Compiled by benchmarks/CMakeLists.txt (dlc_compile_kernel); the peer is cblas_sgemm.
func.func @matmul_512x512x512(%a: tensor<512x512xf32>, %b: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %c = dl.matmul %a, %b : tensor<512x512xf32>, tensor<512x512xf32>
  return %c : tensor<512x512xf32>
}
