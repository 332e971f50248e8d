// argmax, slice, slice_backward, concat, and embedding (gather) and
// embedding_backward (scatter-add) end to end: ids
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

// slice with unit and larger strides, from odd offsets; its gradient; concat
// of two and three parts along the last, first and a middle axis. Exact.
// RUN: %t.exe slice_3x1024_gate slice offsets=0,512 strides=1,1
func.func @slice_3x1024_gate(%x: tensor<3x1024xf32>) -> tensor<3x256xf32> {
  %0 = dl.slice %x offsets = [0, 512] sizes = [3, 256] strides = [1, 1] : tensor<3x1024xf32> -> tensor<3x256xf32>
  return %0 : tensor<3x256xf32>
}

// RUN: %t.exe slice_7x9x5_strided slice offsets=1,2,0 strides=2,3,2
func.func @slice_7x9x5_strided(%x: tensor<7x9x5xf32>) -> tensor<3x3x3xf32> {
  %0 = dl.slice %x offsets = [1, 2, 0] sizes = [3, 3, 3] strides = [2, 3, 2] : tensor<7x9x5xf32> -> tensor<3x3x3xf32>
  return %0 : tensor<3x3x3xf32>
}

// RUN: %t.exe slice_backward_7x9_strided slice_backward offsets=1,2 strides=2,3
func.func @slice_backward_7x9_strided(%dy: tensor<3x3xf32>) -> tensor<7x9xf32> {
  %0 = dl.slice_backward %dy offsets = [1, 2] strides = [2, 3] : tensor<3x3xf32> -> tensor<7x9xf32>
  return %0 : tensor<7x9xf32>
}

// RUN: %t.exe concat_32x64_32x256 concat axis=1
func.func @concat_32x64_32x256(%a: tensor<32x64xf32>, %b: tensor<32x256xf32>) -> tensor<32x320xf32> {
  %0 = dl.concat %a, %b axis = 1 : tensor<32x64xf32>, tensor<32x256xf32>
  return %0 : tensor<32x320xf32>
}

// RUN: %t.exe concat_three_a0 concat axis=0
func.func @concat_three_a0(%a: tensor<1x5xf32>, %b: tensor<3x5xf32>, %c: tensor<2x5xf32>) -> tensor<6x5xf32> {
  %0 = dl.concat %a, %b, %c axis = 0 : tensor<1x5xf32>, tensor<3x5xf32>, tensor<2x5xf32>
  return %0 : tensor<6x5xf32>
}

// RUN: %t.exe concat_2x3x4_a1 concat axis=1
func.func @concat_2x3x4_a1(%a: tensor<2x3x4xf32>, %b: tensor<2x1x4xf32>) -> tensor<2x4x4xf32> {
  %0 = dl.concat %a, %b axis = 1 : tensor<2x3x4xf32>, tensor<2x1x4xf32>
  return %0 : tensor<2x4x4xf32>
}

// argmax along the last, first and a middle axis; with `ties` the inputs are
// multiples of 0.5 in [-1, 1], so most slices hold equal maxima and the
// first index must win. Exact.
// RUN: %t.exe argmax_32x96_a1 argmax axis=1
// RUN: %t.exe argmax_32x96_a1 argmax axis=1 ties
func.func @argmax_32x96_a1(%x: tensor<32x96xf32>) -> tensor<32xi32> {
  %0 = dl.argmax %x axis = 1 : tensor<32x96xf32>
  return %0 : tensor<32xi32>
}

// RUN: %t.exe argmax_7x5_a0 argmax axis=0 ties
func.func @argmax_7x5_a0(%x: tensor<7x5xf32>) -> tensor<5xi32> {
  %0 = dl.argmax %x axis = 0 : tensor<7x5xf32>
  return %0 : tensor<5xi32>
}

// RUN: %t.exe argmax_3x9x4_a1 argmax axis=1 ties
func.func @argmax_3x9x4_a1(%x: tensor<3x9x4xf32>) -> tensor<3x4xi32> {
  %0 = dl.argmax %x axis = 1 : tensor<3x9x4xf32>
  return %0 : tensor<3x4xi32>
}
