// embedding (gather) and embedding_backward (scatter-add) end to end: ids
// drawn from [-2, V + 1], so some are out of range (a zero row, no
// gradient), many positions per row (repeated ids sum), i32 and i64 ids, a
// 0-d id. The gather is exact; a row's sum of n cotangent rows is within
// gamma(n) of the exact sum (reference.h).
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe embedding_96x64_32x16 embedding
func.func @embedding_96x64_32x16(%t: tensor<96x64xf32>, %ids: tensor<32x16xi32>) -> tensor<32x16x64xf32> {
  %0 = dl.embedding %t, %ids : tensor<96x64xf32>, tensor<32x16xi32>
  return %0 : tensor<32x16x64xf32>
}

// RUN: %t.exe embedding_7x5_13_i64 embedding
func.func @embedding_7x5_13_i64(%t: tensor<7x5xf32>, %ids: tensor<13xi64>) -> tensor<13x5xf32> {
  %0 = dl.embedding %t, %ids : tensor<7x5xf32>, tensor<13xi64>
  return %0 : tensor<13x5xf32>
}

// RUN: %t.exe embedding_scalar embedding
func.func @embedding_scalar(%t: tensor<4x3xf32>, %id: tensor<i32>) -> tensor<3xf32> {
  %0 = dl.embedding %t, %id : tensor<4x3xf32>, tensor<i32>
  return %0 : tensor<3xf32>
}

// RUN: %t.exe embedding_backward_96x64_32x16 embedding_backward
func.func @embedding_backward_96x64_32x16(%dy: tensor<32x16x64xf32>, %ids: tensor<32x16xi32>) -> tensor<96x64xf32> {
  %0 = dl.embedding_backward %dy, %ids : tensor<32x16x64xf32>, tensor<32x16xi32> -> tensor<96x64xf32>
  return %0 : tensor<96x64xf32>
}

// RUN: %t.exe embedding_backward_5x3_40_i64 embedding_backward
func.func @embedding_backward_5x3_40_i64(%dy: tensor<40x3xf32>, %ids: tensor<40xi64>) -> tensor<5x3xf32> {
  %0 = dl.embedding_backward %dy, %ids : tensor<40x3xf32>, tensor<40xi64> -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}
