// dl.sum, dl.mean and dl.max end to end over one, several and all axes,
// with and without keepdims, at ragged shapes, rank 1 to 4, and on integers.
// Sums of n terms must lie within gamma(n) * sum|x| (mean: gamma(n + 2) *
// sum|x| / n) of the exact value; max and integer results must be exact.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe
//
// Reductions over rows with ragged (masked) columns, also for AVX2 (x86-64-v3):
// RUN: dlc compile %s --mcpu=x86-64-v3 -o %t.avx2.o
// RUN: %e2e_entries %t.avx2.h > %t.avx2.entries
// RUN: %cxx %cxxflags -include %t.avx2.h -DE2E_ENTRIES='"%t.avx2.entries"' %e2e_harness %t.avx2.o -o %t.avx2.exe
// RUN: %if avx2 %{ %t.avx2.exe sum_7x13_a0 sum axes=0 %}
// RUN: %if avx2 %{ %t.avx2.exe max_7x13_a0 max axes=0 %}
// RUN: %if avx2 %{ %t.avx2.exe mean_7x13_a0 mean axes=0 %}

// RUN: %t.exe sum_7x13_a0 sum axes=0
func.func @sum_7x13_a0(%x: tensor<7x13xf32>) -> tensor<13xf32> {
  %0 = dl.sum %x axes = [0] : tensor<7x13xf32>
  return %0 : tensor<13xf32>
}

// RUN: %t.exe mean_7x13_a0 mean axes=0
func.func @mean_7x13_a0(%x: tensor<7x13xf32>) -> tensor<13xf32> {
  %0 = dl.mean %x axes = [0] : tensor<7x13xf32>
  return %0 : tensor<13xf32>
}

// RUN: %t.exe max_7x13_a0 max axes=0
func.func @max_7x13_a0(%x: tensor<7x13xf32>) -> tensor<13xf32> {
  %0 = dl.max %x axes = [0] : tensor<7x13xf32>
  return %0 : tensor<13xf32>
}

// RUN: %t.exe sum_7x13_a1_k sum axes=1 keepdims
func.func @sum_7x13_a1_k(%x: tensor<7x13xf32>) -> tensor<7x1xf32> {
  %0 = dl.sum %x axes = [1] keepdims : tensor<7x13xf32>
  return %0 : tensor<7x1xf32>
}

// RUN: %t.exe mean_7x13_a1_k mean axes=1 keepdims
func.func @mean_7x13_a1_k(%x: tensor<7x13xf32>) -> tensor<7x1xf32> {
  %0 = dl.mean %x axes = [1] keepdims : tensor<7x13xf32>
  return %0 : tensor<7x1xf32>
}

// RUN: %t.exe max_7x13_a1_k max axes=1 keepdims
func.func @max_7x13_a1_k(%x: tensor<7x13xf32>) -> tensor<7x1xf32> {
  %0 = dl.max %x axes = [1] keepdims : tensor<7x13xf32>
  return %0 : tensor<7x1xf32>
}

// RUN: %t.exe sum_7x13_a01 sum axes=0,1
func.func @sum_7x13_a01(%x: tensor<7x13xf32>) -> tensor<f32> {
  %0 = dl.sum %x axes = [0, 1] : tensor<7x13xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe mean_7x13_a01 mean axes=0,1
func.func @mean_7x13_a01(%x: tensor<7x13xf32>) -> tensor<f32> {
  %0 = dl.mean %x axes = [0, 1] : tensor<7x13xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe max_7x13_a01 max axes=0,1
func.func @max_7x13_a01(%x: tensor<7x13xf32>) -> tensor<f32> {
  %0 = dl.max %x axes = [0, 1] : tensor<7x13xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe sum_7x13_a01_k sum axes=0,1 keepdims
func.func @sum_7x13_a01_k(%x: tensor<7x13xf32>) -> tensor<1x1xf32> {
  %0 = dl.sum %x axes = [0, 1] keepdims : tensor<7x13xf32>
  return %0 : tensor<1x1xf32>
}

// RUN: %t.exe mean_7x13_a01_k mean axes=0,1 keepdims
func.func @mean_7x13_a01_k(%x: tensor<7x13xf32>) -> tensor<1x1xf32> {
  %0 = dl.mean %x axes = [0, 1] keepdims : tensor<7x13xf32>
  return %0 : tensor<1x1xf32>
}

// RUN: %t.exe max_7x13_a01_k max axes=0,1 keepdims
func.func @max_7x13_a01_k(%x: tensor<7x13xf32>) -> tensor<1x1xf32> {
  %0 = dl.max %x axes = [0, 1] keepdims : tensor<7x13xf32>
  return %0 : tensor<1x1xf32>
}

// RUN: %t.exe sum_5x7x13_a0 sum axes=0
func.func @sum_5x7x13_a0(%x: tensor<5x7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.sum %x axes = [0] : tensor<5x7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe mean_5x7x13_a0 mean axes=0
func.func @mean_5x7x13_a0(%x: tensor<5x7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.mean %x axes = [0] : tensor<5x7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe max_5x7x13_a0 max axes=0
func.func @max_5x7x13_a0(%x: tensor<5x7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.max %x axes = [0] : tensor<5x7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe sum_5x7x13_a1_k sum axes=1 keepdims
func.func @sum_5x7x13_a1_k(%x: tensor<5x7x13xf32>) -> tensor<5x1x13xf32> {
  %0 = dl.sum %x axes = [1] keepdims : tensor<5x7x13xf32>
  return %0 : tensor<5x1x13xf32>
}

// RUN: %t.exe mean_5x7x13_a1_k mean axes=1 keepdims
func.func @mean_5x7x13_a1_k(%x: tensor<5x7x13xf32>) -> tensor<5x1x13xf32> {
  %0 = dl.mean %x axes = [1] keepdims : tensor<5x7x13xf32>
  return %0 : tensor<5x1x13xf32>
}

// RUN: %t.exe max_5x7x13_a1_k max axes=1 keepdims
func.func @max_5x7x13_a1_k(%x: tensor<5x7x13xf32>) -> tensor<5x1x13xf32> {
  %0 = dl.max %x axes = [1] keepdims : tensor<5x7x13xf32>
  return %0 : tensor<5x1x13xf32>
}

// RUN: %t.exe sum_5x7x13_a2 sum axes=2
func.func @sum_5x7x13_a2(%x: tensor<5x7x13xf32>) -> tensor<5x7xf32> {
  %0 = dl.sum %x axes = [2] : tensor<5x7x13xf32>
  return %0 : tensor<5x7xf32>
}

// RUN: %t.exe mean_5x7x13_a2 mean axes=2
func.func @mean_5x7x13_a2(%x: tensor<5x7x13xf32>) -> tensor<5x7xf32> {
  %0 = dl.mean %x axes = [2] : tensor<5x7x13xf32>
  return %0 : tensor<5x7xf32>
}

// RUN: %t.exe max_5x7x13_a2 max axes=2
func.func @max_5x7x13_a2(%x: tensor<5x7x13xf32>) -> tensor<5x7xf32> {
  %0 = dl.max %x axes = [2] : tensor<5x7x13xf32>
  return %0 : tensor<5x7xf32>
}

// RUN: %t.exe sum_5x7x13_a02_k sum axes=0,2 keepdims
func.func @sum_5x7x13_a02_k(%x: tensor<5x7x13xf32>) -> tensor<1x7x1xf32> {
  %0 = dl.sum %x axes = [0, 2] keepdims : tensor<5x7x13xf32>
  return %0 : tensor<1x7x1xf32>
}

// RUN: %t.exe mean_5x7x13_a02_k mean axes=0,2 keepdims
func.func @mean_5x7x13_a02_k(%x: tensor<5x7x13xf32>) -> tensor<1x7x1xf32> {
  %0 = dl.mean %x axes = [0, 2] keepdims : tensor<5x7x13xf32>
  return %0 : tensor<1x7x1xf32>
}

// RUN: %t.exe max_5x7x13_a02_k max axes=0,2 keepdims
func.func @max_5x7x13_a02_k(%x: tensor<5x7x13xf32>) -> tensor<1x7x1xf32> {
  %0 = dl.max %x axes = [0, 2] keepdims : tensor<5x7x13xf32>
  return %0 : tensor<1x7x1xf32>
}

// RUN: %t.exe sum_5x7x13_a12 sum axes=1,2
func.func @sum_5x7x13_a12(%x: tensor<5x7x13xf32>) -> tensor<5xf32> {
  %0 = dl.sum %x axes = [1, 2] : tensor<5x7x13xf32>
  return %0 : tensor<5xf32>
}

// RUN: %t.exe mean_5x7x13_a12 mean axes=1,2
func.func @mean_5x7x13_a12(%x: tensor<5x7x13xf32>) -> tensor<5xf32> {
  %0 = dl.mean %x axes = [1, 2] : tensor<5x7x13xf32>
  return %0 : tensor<5xf32>
}

// RUN: %t.exe max_5x7x13_a12 max axes=1,2
func.func @max_5x7x13_a12(%x: tensor<5x7x13xf32>) -> tensor<5xf32> {
  %0 = dl.max %x axes = [1, 2] : tensor<5x7x13xf32>
  return %0 : tensor<5xf32>
}

// RUN: %t.exe sum_5x7x13_a012 sum axes=0,1,2
func.func @sum_5x7x13_a012(%x: tensor<5x7x13xf32>) -> tensor<f32> {
  %0 = dl.sum %x axes = [0, 1, 2] : tensor<5x7x13xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe mean_5x7x13_a012 mean axes=0,1,2
func.func @mean_5x7x13_a012(%x: tensor<5x7x13xf32>) -> tensor<f32> {
  %0 = dl.mean %x axes = [0, 1, 2] : tensor<5x7x13xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe max_5x7x13_a012 max axes=0,1,2
func.func @max_5x7x13_a012(%x: tensor<5x7x13xf32>) -> tensor<f32> {
  %0 = dl.max %x axes = [0, 1, 2] : tensor<5x7x13xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe sum_784_a0 sum axes=0
func.func @sum_784_a0(%x: tensor<784xf32>) -> tensor<f32> {
  %0 = dl.sum %x axes = [0] : tensor<784xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe mean_784_a0 mean axes=0
func.func @mean_784_a0(%x: tensor<784xf32>) -> tensor<f32> {
  %0 = dl.mean %x axes = [0] : tensor<784xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe max_784_a0 max axes=0
func.func @max_784_a0(%x: tensor<784xf32>) -> tensor<f32> {
  %0 = dl.max %x axes = [0] : tensor<784xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe sum_97_a0_k sum axes=0 keepdims
func.func @sum_97_a0_k(%x: tensor<97xf32>) -> tensor<1xf32> {
  %0 = dl.sum %x axes = [0] keepdims : tensor<97xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe mean_97_a0_k mean axes=0 keepdims
func.func @mean_97_a0_k(%x: tensor<97xf32>) -> tensor<1xf32> {
  %0 = dl.mean %x axes = [0] keepdims : tensor<97xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe max_97_a0_k max axes=0 keepdims
func.func @max_97_a0_k(%x: tensor<97xf32>) -> tensor<1xf32> {
  %0 = dl.max %x axes = [0] keepdims : tensor<97xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe sum_64x784_a1 sum axes=1
func.func @sum_64x784_a1(%x: tensor<64x784xf32>) -> tensor<64xf32> {
  %0 = dl.sum %x axes = [1] : tensor<64x784xf32>
  return %0 : tensor<64xf32>
}

// RUN: %t.exe mean_64x784_a1 mean axes=1
func.func @mean_64x784_a1(%x: tensor<64x784xf32>) -> tensor<64xf32> {
  %0 = dl.mean %x axes = [1] : tensor<64x784xf32>
  return %0 : tensor<64xf32>
}

// RUN: %t.exe max_64x784_a1 max axes=1
func.func @max_64x784_a1(%x: tensor<64x784xf32>) -> tensor<64xf32> {
  %0 = dl.max %x axes = [1] : tensor<64x784xf32>
  return %0 : tensor<64xf32>
}

// RUN: %t.exe sum_1x1_a01 sum axes=0,1
func.func @sum_1x1_a01(%x: tensor<1x1xf32>) -> tensor<f32> {
  %0 = dl.sum %x axes = [0, 1] : tensor<1x1xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe mean_1x1_a01 mean axes=0,1
func.func @mean_1x1_a01(%x: tensor<1x1xf32>) -> tensor<f32> {
  %0 = dl.mean %x axes = [0, 1] : tensor<1x1xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe max_1x1_a01 max axes=0,1
func.func @max_1x1_a01(%x: tensor<1x1xf32>) -> tensor<f32> {
  %0 = dl.max %x axes = [0, 1] : tensor<1x1xf32>
  return %0 : tensor<f32>
}

// RUN: %t.exe sum_2x3x5x7_a13_k sum axes=1,3 keepdims
func.func @sum_2x3x5x7_a13_k(%x: tensor<2x3x5x7xf32>) -> tensor<2x1x5x1xf32> {
  %0 = dl.sum %x axes = [1, 3] keepdims : tensor<2x3x5x7xf32>
  return %0 : tensor<2x1x5x1xf32>
}

// RUN: %t.exe mean_2x3x5x7_a13_k mean axes=1,3 keepdims
func.func @mean_2x3x5x7_a13_k(%x: tensor<2x3x5x7xf32>) -> tensor<2x1x5x1xf32> {
  %0 = dl.mean %x axes = [1, 3] keepdims : tensor<2x3x5x7xf32>
  return %0 : tensor<2x1x5x1xf32>
}

// RUN: %t.exe max_2x3x5x7_a13_k max axes=1,3 keepdims
func.func @max_2x3x5x7_a13_k(%x: tensor<2x3x5x7xf32>) -> tensor<2x1x5x1xf32> {
  %0 = dl.max %x axes = [1, 3] keepdims : tensor<2x3x5x7xf32>
  return %0 : tensor<2x1x5x1xf32>
}

// RUN: %t.exe sum_64x10_a0 sum axes=0
func.func @sum_64x10_a0(%x: tensor<64x10xf32>) -> tensor<10xf32> {
  %0 = dl.sum %x axes = [0] : tensor<64x10xf32>
  return %0 : tensor<10xf32>
}

// RUN: %t.exe mean_64x10_a0 mean axes=0
func.func @mean_64x10_a0(%x: tensor<64x10xf32>) -> tensor<10xf32> {
  %0 = dl.mean %x axes = [0] : tensor<64x10xf32>
  return %0 : tensor<10xf32>
}

// RUN: %t.exe max_64x10_a0 max axes=0
func.func @max_64x10_a0(%x: tensor<64x10xf32>) -> tensor<10xf32> {
  %0 = dl.max %x axes = [0] : tensor<64x10xf32>
  return %0 : tensor<10xf32>
}

// RUN: %t.exe sum_i32_6x7_a0 sum axes=0
func.func @sum_i32_6x7_a0(%x: tensor<6x7xi32>) -> tensor<7xi32> {
  %0 = dl.sum %x axes = [0] : tensor<6x7xi32>
  return %0 : tensor<7xi32>
}

// RUN: %t.exe max_i32_6x7_a01 max axes=0,1
func.func @max_i32_6x7_a01(%x: tensor<6x7xi32>) -> tensor<i32> {
  %0 = dl.max %x axes = [0, 1] : tensor<6x7xi32>
  return %0 : tensor<i32>
}

// RUN: %t.exe sum_i64_13x97_a1_k sum axes=1 keepdims
func.func @sum_i64_13x97_a1_k(%x: tensor<13x97xi64>) -> tensor<13x1xi64> {
  %0 = dl.sum %x axes = [1] keepdims : tensor<13x97xi64>
  return %0 : tensor<13x1xi64>
}

// RUN: %t.exe max_i64_5x7x13_a02 max axes=0,2
func.func @max_i64_5x7x13_a02(%x: tensor<5x7x13xi64>) -> tensor<7xi64> {
  %0 = dl.max %x axes = [0, 2] : tensor<5x7x13xi64>
  return %0 : tensor<7xi64>
}

// No axes: the identity (folded away; the result is a copy of the input).
// RUN: %t.exe sum_7x13_none sum axes=
func.func @sum_7x13_none(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.sum %x axes = [] : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}
