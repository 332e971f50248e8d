// matmul_97x256x100: C[97x100] = A[97x256] * B[256x100], f32, row-major (M x K x N).
// Ragged on both output dimensions: M = 97 is prime (peeled register tiles: 12 of 8 rows, then
// 1 row), N = 100 is not a multiple of 16 lanes (tiles of 32, the last 4 wide, masked).
// Compiled by benchmarks/CMakeLists.txt (dlc_compile_kernel); the peer is cblas_sgemm.
func.func @matmul_97x256x100(%a: tensor<97x256xf32>, %b: tensor<256x100xf32>) -> tensor<97x100xf32> {
  %c = dl.matmul %a, %b : tensor<97x256xf32>, tensor<256x100xf32>
  return %c : tensor<97x100xf32>
}
