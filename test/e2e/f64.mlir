// Double precision end to end: the same reference, with its bounds scaled to
// f64's unit roundoff (harness.cpp), so a computation done in f32 would
// fail. Math functions without a vector approximation for f64 (exp, log,
// tanh, sin, cos) become libm calls.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe add_f64_7x13_13 add
func.func @add_f64_7x13_13(%a: tensor<7x13xf64>, %b: tensor<13xf64>) -> tensor<7x13xf64> {
  %0 = dl.add %a, %b : tensor<7x13xf64>, tensor<13xf64>
  return %0 : tensor<7x13xf64>
}

// RUN: %t.exe div_f64_97 div
func.func @div_f64_97(%a: tensor<97xf64>, %b: tensor<97xf64>) -> tensor<97xf64> {
  %0 = dl.div %a, %b : tensor<97xf64>, tensor<97xf64>
  return %0 : tensor<97xf64>
}

// RUN: %t.exe mm_f64_13x17x19 matmul
func.func @mm_f64_13x17x19(%a: tensor<13x17xf64>, %b: tensor<17x19xf64>) -> tensor<13x19xf64> {
  %0 = dl.matmul %a, %b : tensor<13x17xf64>, tensor<17x19xf64>
  return %0 : tensor<13x19xf64>
}

// RUN: %t.exe bmm_f64_2x7x13x10 matmul
func.func @bmm_f64_2x7x13x10(%a: tensor<2x7x13xf64>, %b: tensor<2x13x10xf64>) -> tensor<2x7x10xf64> {
  %0 = dl.matmul %a, %b : tensor<2x7x13xf64>, tensor<2x13x10xf64>
  return %0 : tensor<2x7x10xf64>
}

// RUN: %t.exe exp_f64_97 exp
func.func @exp_f64_97(%x: tensor<97xf64>) -> tensor<97xf64> {
  %0 = dl.exp %x : tensor<97xf64>
  return %0 : tensor<97xf64>
}

// RUN: %t.exe log_f64_7x13 log
func.func @log_f64_7x13(%x: tensor<7x13xf64>) -> tensor<7x13xf64> {
  %0 = dl.log %x : tensor<7x13xf64>
  return %0 : tensor<7x13xf64>
}

// RUN: %t.exe tanh_f64_7x13 tanh
func.func @tanh_f64_7x13(%x: tensor<7x13xf64>) -> tensor<7x13xf64> {
  %0 = dl.tanh %x : tensor<7x13xf64>
  return %0 : tensor<7x13xf64>
}

// RUN: %t.exe sigmoid_f64_64 sigmoid
func.func @sigmoid_f64_64(%x: tensor<64xf64>) -> tensor<64xf64> {
  %0 = dl.sigmoid %x : tensor<64xf64>
  return %0 : tensor<64xf64>
}

// RUN: %t.exe sqrt_f64_28x28 sqrt
func.func @sqrt_f64_28x28(%x: tensor<28x28xf64>) -> tensor<28x28xf64> {
  %0 = dl.sqrt %x : tensor<28x28xf64>
  return %0 : tensor<28x28xf64>
}

// RUN: %t.exe sin_f64_13 sin
func.func @sin_f64_13(%x: tensor<13xf64>) -> tensor<13xf64> {
  %0 = dl.sin %x : tensor<13xf64>
  return %0 : tensor<13xf64>
}

// RUN: %t.exe cos_f64_1 cos
func.func @cos_f64_1(%x: tensor<1xf64>) -> tensor<1xf64> {
  %0 = dl.cos %x : tensor<1xf64>
  return %0 : tensor<1xf64>
}

// RUN: %t.exe sum_f64_5x7x13_a02 sum axes=0,2
func.func @sum_f64_5x7x13_a02(%x: tensor<5x7x13xf64>) -> tensor<7xf64> {
  %0 = dl.sum %x axes = [0, 2] : tensor<5x7x13xf64>
  return %0 : tensor<7xf64>
}

// RUN: %t.exe mean_f64_64x10_a1_k mean axes=1 keepdims
func.func @mean_f64_64x10_a1_k(%x: tensor<64x10xf64>) -> tensor<64x1xf64> {
  %0 = dl.mean %x axes = [1] keepdims : tensor<64x10xf64>
  return %0 : tensor<64x1xf64>
}

// RUN: %t.exe softmax_f64_5x7_a1 softmax axis=1
func.func @softmax_f64_5x7_a1(%x: tensor<5x7xf64>) -> tensor<5x7xf64> {
  %0 = dl.softmax %x axis = 1 : tensor<5x7xf64>
  return %0 : tensor<5x7xf64>
}

// RUN: %t.exe log_softmax_f64_5x7_a0 log_softmax axis=0
func.func @log_softmax_f64_5x7_a0(%x: tensor<5x7xf64>) -> tensor<5x7xf64> {
  %0 = dl.log_softmax %x axis = 0 : tensor<5x7xf64>
  return %0 : tensor<5x7xf64>
}

// RUN: %t.exe cross_entropy_f64_13x10 cross_entropy
func.func @cross_entropy_f64_13x10(%l: tensor<13x10xf64>, %y: tensor<13xi64>) -> tensor<f64> {
  %0 = dl.cross_entropy %l, %y : tensor<13x10xf64>, tensor<13xi64>
  return %0 : tensor<f64>
}
