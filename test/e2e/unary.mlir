// Unary elementwise ops end to end at several shapes (ragged, 0-d, rank 4),
// compared with reference.h. neg, relu, step, sign and floor must be exact
// (inputs include +0 and -0, and integers for floor), sqrt correctly
// rounded; exp, log, tanh, sigmoid, sin and cos go through dlc's polynomial
// approximations and must stay within the errors stated in reference.h
// (kExpRel, kLogRel, kTanhRel, kTrigAbs; sin and cos on [-20, 20]) over
// wide input ranges (exp on [-100, 88], underflow included; log on
// [1e-4, 1e4]; tanh and sigmoid on magnitudes from 1e-6 to 100).
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe neg_7x13 neg
func.func @neg_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.neg %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe neg_1 neg
func.func @neg_1(%x: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.neg %x : tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe neg_97 neg
func.func @neg_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.neg %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe neg_64x256 neg
func.func @neg_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.neg %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe neg_3x1 neg
func.func @neg_3x1(%x: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %0 = dl.neg %x : tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// RUN: %t.exe neg_784 neg
func.func @neg_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.neg %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe relu_784 relu
func.func @relu_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.relu %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe relu_scalar relu
func.func @relu_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = dl.relu %x : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe relu_28x28 relu
func.func @relu_28x28(%x: tensor<28x28xf32>) -> tensor<28x28xf32> {
  %0 = dl.relu %x : tensor<28x28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe relu_2x3x5x7 relu
func.func @relu_2x3x5x7(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.relu %x : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe relu_7x13 relu
func.func @relu_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.relu %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe sigmoid_1 sigmoid
func.func @sigmoid_1(%x: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.sigmoid %x : tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe sigmoid_97 sigmoid
func.func @sigmoid_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.sigmoid %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe sigmoid_64x256 sigmoid
func.func @sigmoid_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.sigmoid %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe sigmoid_3x1 sigmoid
func.func @sigmoid_3x1(%x: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %0 = dl.sigmoid %x : tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// RUN: %t.exe sigmoid_784 sigmoid
func.func @sigmoid_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.sigmoid %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe tanh_scalar tanh
func.func @tanh_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = dl.tanh %x : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe tanh_28x28 tanh
func.func @tanh_28x28(%x: tensor<28x28xf32>) -> tensor<28x28xf32> {
  %0 = dl.tanh %x : tensor<28x28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe tanh_2x3x5x7 tanh
func.func @tanh_2x3x5x7(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.tanh %x : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe tanh_7x13 tanh
func.func @tanh_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.tanh %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe tanh_1 tanh
func.func @tanh_1(%x: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.tanh %x : tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe tanh_784 tanh
func.func @tanh_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.tanh %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe exp_97 exp
func.func @exp_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.exp %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe exp_64x256 exp
func.func @exp_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.exp %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe exp_3x1 exp
func.func @exp_3x1(%x: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %0 = dl.exp %x : tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// RUN: %t.exe exp_784 exp
func.func @exp_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.exp %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe exp_scalar exp
func.func @exp_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = dl.exp %x : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe log_28x28 log
func.func @log_28x28(%x: tensor<28x28xf32>) -> tensor<28x28xf32> {
  %0 = dl.log %x : tensor<28x28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe log_2x3x5x7 log
func.func @log_2x3x5x7(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.log %x : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe log_7x13 log
func.func @log_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.log %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe log_1 log
func.func @log_1(%x: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.log %x : tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe log_97 log
func.func @log_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.log %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe log_784 log
func.func @log_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.log %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe sqrt_64x256 sqrt
func.func @sqrt_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.sqrt %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe sqrt_3x1 sqrt
func.func @sqrt_3x1(%x: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %0 = dl.sqrt %x : tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// RUN: %t.exe sqrt_784 sqrt
func.func @sqrt_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.sqrt %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe sqrt_scalar sqrt
func.func @sqrt_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = dl.sqrt %x : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe sqrt_28x28 sqrt
func.func @sqrt_28x28(%x: tensor<28x28xf32>) -> tensor<28x28xf32> {
  %0 = dl.sqrt %x : tensor<28x28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe step_2x3x5x7 step
func.func @step_2x3x5x7(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.step %x : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe step_7x13 step
func.func @step_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.step %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe step_1 step
func.func @step_1(%x: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.step %x : tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe step_97 step
func.func @step_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.step %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe step_64x256 step
func.func @step_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.step %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe step_784 step
func.func @step_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.step %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe sign_3x1 sign
func.func @sign_3x1(%x: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %0 = dl.sign %x : tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// RUN: %t.exe sign_784 sign
func.func @sign_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.sign %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe sign_scalar sign
func.func @sign_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = dl.sign %x : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe sign_28x28 sign
func.func @sign_28x28(%x: tensor<28x28xf32>) -> tensor<28x28xf32> {
  %0 = dl.sign %x : tensor<28x28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe sign_2x3x5x7 sign
func.func @sign_2x3x5x7(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.sign %x : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe neg_i32_7x13 neg
func.func @neg_i32_7x13(%x: tensor<7x13xi32>) -> tensor<7x13xi32> {
  %0 = dl.neg %x : tensor<7x13xi32>
  return %0 : tensor<7x13xi32>
}

// RUN: %t.exe neg_i64_97 neg
func.func @neg_i64_97(%x: tensor<97xi64>) -> tensor<97xi64> {
  %0 = dl.neg %x : tensor<97xi64>
  return %0 : tensor<97xi64>
}

// RUN: %t.exe floor_7x13 floor
func.func @floor_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.floor %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe floor_784 floor
func.func @floor_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.floor %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe floor_scalar floor
func.func @floor_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = dl.floor %x : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe floor_2x3x5x7 floor
func.func @floor_2x3x5x7(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.floor %x : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe cos_7x13 cos
func.func @cos_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.cos %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe cos_97 cos
func.func @cos_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.cos %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe cos_1 cos
func.func @cos_1(%x: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.cos %x : tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe cos_64x256 cos
func.func @cos_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.cos %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe sin_7x13 sin
func.func @sin_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.sin %x : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe sin_784 sin
func.func @sin_784(%x: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.sin %x : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe sin_scalar sin
func.func @sin_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = dl.sin %x : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe sin_3x1 sin
func.func @sin_3x1(%x: tensor<3x1xf32>) -> tensor<3x1xf32> {
  %0 = dl.sin %x : tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// floor on non-integers of larger magnitude as well.
// RUN: %t.exe floor_784 floor range=-1000,1000

// RUN: %t.exe erf_97 erf
func.func @erf_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.erf %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe erf_64x256 erf
func.func @erf_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.erf %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe gelu_97 gelu
func.func @gelu_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.gelu %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe gelu_64x256 gelu
func.func @gelu_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.gelu %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe gelu_tanh_97 gelu_tanh
func.func @gelu_tanh_97(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.gelu_tanh %x : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe gelu_tanh_64x256 gelu_tanh
func.func @gelu_tanh_64x256(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.gelu_tanh %x : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}
