// Half precision end to end: relu, maximum and minimum propagate NaN in f16
// as they do in f32 (the `nan` option makes every fifth input element NaN;
// the reference returns NaN wherever an operand is NaN, +0 for maximum and
// -0 for minimum at a tie of zeros), and dl.cast converts to and from f16,
// rounding to nearest even (exact: the reference rounds the same way).
// f16 results of these ops are exact, so the tolerance is 0 for all.
//
// Compiled for the host and for AVX2 (x86-64-v3), where f16 has no vector
// arithmetic and LLVM 19 miscompiles a vector llvm.maximum or minimum with a
// zero operand: relu(NaN) and maximum(NaN, +0) were +0, minimum(NaN, -0)
// was -0. On AVX512-FP16 hosts the host build takes the native path.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe
// RUN: dlc compile %s --mcpu=x86-64-v3 -o %t.avx2.o
// RUN: %e2e_entries %t.avx2.h > %t.avx2.entries
// RUN: %cxx %cxxflags -include %t.avx2.h -DE2E_ENTRIES='"%t.avx2.entries"' %e2e_harness %t.avx2.o -o %t.avx2.exe
// RUN: %if avx2 %{ %t.avx2.exe relu_f16_97 relu nan %}
// RUN: %if avx2 %{ %t.avx2.exe relu_f16_7x13 relu nan %}
// RUN: %if avx2 %{ %t.avx2.exe maximum_f16_7x13 maximum nan %}
// RUN: %if avx2 %{ %t.avx2.exe maximum_fill_f16_97 maximum_fill value=0 nan %}
// RUN: %if avx2 %{ %t.avx2.exe minimum_fill_f16_97 minimum_fill value=-0 nan %}
// RUN: %if avx2 %{ %t.avx2.exe minimum_f16_13_7x13 minimum nan %}
// RUN: %if avx2 %{ %t.avx2.exe cast_f32_f16_97 cast %}
// RUN: %if avx2 %{ %t.avx2.exe cast_f16_f32_7x13 cast range=-60000,60000 nan %}

// RUN: %t.exe relu_f16_97 relu nan
// RUN: %t.exe relu_f16_97 relu
func.func @relu_f16_97(%x: tensor<97xf16>) -> tensor<97xf16> {
  %0 = dl.relu %x : tensor<97xf16>
  return %0 : tensor<97xf16>
}

// RUN: %t.exe relu_f16_7x13 relu nan
func.func @relu_f16_7x13(%x: tensor<7x13xf16>) -> tensor<7x13xf16> {
  %0 = dl.relu %x : tensor<7x13xf16>
  return %0 : tensor<7x13xf16>
}

// The same in f32, where relu is arith.maximumf.
// RUN: %t.exe relu_f32_97 relu nan
func.func @relu_f32_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.relu %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe maximum_f16_7x13 maximum nan
// RUN: %t.exe maximum_f16_7x13 maximum
func.func @maximum_f16_7x13(%a: tensor<7x13xf16>, %b: tensor<7x13xf16>) -> tensor<7x13xf16> {
  %0 = dl.maximum %a, %b : tensor<7x13xf16>, tensor<7x13xf16>
  return %0 : tensor<7x13xf16>
}

// maximum(x, +0): relu spelled as a maximum; minimum(x, -0) its mirror.
// RUN: %t.exe maximum_fill_f16_97 maximum_fill value=0 nan
func.func @maximum_fill_f16_97(%x: tensor<97xf16>) -> tensor<97xf16> {
  %z = dl.fill 0.0 : tensor<f16>
  %0 = dl.maximum %x, %z : tensor<97xf16>, tensor<f16>
  return %0 : tensor<97xf16>
}

// RUN: %t.exe minimum_fill_f16_97 minimum_fill value=-0 nan
func.func @minimum_fill_f16_97(%x: tensor<97xf16>) -> tensor<97xf16> {
  %z = dl.fill -0.0 : tensor<f16>
  %0 = dl.minimum %x, %z : tensor<97xf16>, tensor<f16>
  return %0 : tensor<97xf16>
}

// RUN: %t.exe minimum_fill_f32_97 minimum_fill value=-0 nan
func.func @minimum_fill_f32_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %z = dl.fill -0.0 : tensor<f32>
  %0 = dl.minimum %x, %z : tensor<97xf32>, tensor<f32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe minimum_f16_13_7x13 minimum nan
// RUN: %t.exe minimum_f16_13_7x13 minimum
func.func @minimum_f16_13_7x13(%a: tensor<13xf16>, %b: tensor<7x13xf16>) -> tensor<7x13xf16> {
  %0 = dl.minimum %a, %b : tensor<13xf16>, tensor<7x13xf16>
  return %0 : tensor<7x13xf16>
}

// f32 -> f16: in range, beyond it (inf), in the subnormals (below 2^-14)
// and under half the smallest one (to 0); NaN stays NaN.
// RUN: %t.exe cast_f32_f16_97 cast
// RUN: %t.exe cast_f32_f16_97 cast range=-1e5,1e5 nan
// RUN: %t.exe cast_f32_f16_97 cast range=-1e-4,1e-4
// RUN: %t.exe cast_f32_f16_97 cast range=-1e-7,1e-7
func.func @cast_f32_f16_97(%x: tensor<97xf32>) -> tensor<97xf16> {
  %0 = dl.cast %x : tensor<97xf32> -> tensor<97xf16>
  return %0 : tensor<97xf16>
}

// f16 -> f32 and f64, bf16 -> f32, and i32 (the harness draws integers in
// [-100, 100]) -> f16: all exact.
// RUN: %t.exe cast_f16_f32_7x13 cast range=-60000,60000 nan
// RUN: %t.exe cast_f16_f32_7x13 cast range=-1e-5,1e-5
func.func @cast_f16_f32_7x13(%x: tensor<7x13xf16>) -> tensor<7x13xf32> {
  %0 = dl.cast %x : tensor<7x13xf16> -> tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe cast_f16_f64_13 cast
func.func @cast_f16_f64_13(%x: tensor<13xf16>) -> tensor<13xf64> {
  %0 = dl.cast %x : tensor<13xf16> -> tensor<13xf64>
  return %0 : tensor<13xf64>
}

// RUN: %t.exe cast_i32_f16_13 cast
func.func @cast_i32_f16_13(%x: tensor<13xi32>) -> tensor<13xf16> {
  %0 = dl.cast %x : tensor<13xi32> -> tensor<13xf16>
  return %0 : tensor<13xf16>
}

// RUN: %t.exe cast_bf16_f32_97 cast range=-1e30,1e30 nan
func.func @cast_bf16_f32_97(%x: tensor<97xbf16>) -> tensor<97xf32> {
  %0 = dl.cast %x : tensor<97xbf16> -> tensor<97xf32>
  return %0 : tensor<97xf32>
}
