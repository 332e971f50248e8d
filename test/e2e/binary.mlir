// Broadcasting binary arithmetic end to end: every op at several shapes,
// ragged ones (7, 13, 97, 1, 0-d) and broadcasts on either side, compiled by
// dlc, linked into harness.cpp and compared with reference.h. add, sub, mul
// and div must be correctly rounded (tolerance u * |r|); maximum and minimum
// exact (their inputs are multiples of 1/4, so ties and +-0 occur).
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe
//
// Ragged widths for AVX2 (x86-64-v3: 8 lanes, masked edges as vmaskmovps):
// RUN: dlc compile %s --mcpu=x86-64-v3 -o %t.avx2.o
// RUN: %e2e_entries %t.avx2.h > %t.avx2.entries
// RUN: %cxx %cxxflags -include %t.avx2.h -DE2E_ENTRIES='"%t.avx2.entries"' %e2e_harness %t.avx2.o -o %t.avx2.exe
// RUN: %if avx2 %{ %t.avx2.exe add_7x13 add %}
// RUN: %if avx2 %{ %t.avx2.exe sub_28x28_row sub %}
// RUN: %if avx2 %{ %t.avx2.exe mul_97_bcast_scalar mul %}
// RUN: %if avx2 %{ %t.avx2.exe div_2x3x5x7_5x1 div %}
// RUN: %if avx2 %{ %t.avx2.exe mul_i64_97_97 mul %}

// RUN: %t.exe add_7x13 add
func.func @add_7x13(%a: tensor<7x13xf32>, %b: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.add %a, %b : tensor<7x13xf32>, tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe sub_7x13 sub
func.func @sub_7x13(%a: tensor<7x13xf32>, %b: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.sub %a, %b : tensor<7x13xf32>, tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe mul_7x13 mul
func.func @mul_7x13(%a: tensor<7x13xf32>, %b: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.mul %a, %b : tensor<7x13xf32>, tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe div_7x13 div
func.func @div_7x13(%a: tensor<7x13xf32>, %b: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.div %a, %b : tensor<7x13xf32>, tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe maximum_7x13 maximum
func.func @maximum_7x13(%a: tensor<7x13xf32>, %b: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.maximum %a, %b : tensor<7x13xf32>, tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe minimum_7x13 minimum
func.func @minimum_7x13(%a: tensor<7x13xf32>, %b: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.minimum %a, %b : tensor<7x13xf32>, tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe sub_784 sub
func.func @sub_784(%a: tensor<784xf32>, %b: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.sub %a, %b : tensor<784xf32>, tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe div_784 div
func.func @div_784(%a: tensor<784xf32>, %b: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.div %a, %b : tensor<784xf32>, tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe minimum_784 minimum
func.func @minimum_784(%a: tensor<784xf32>, %b: tensor<784xf32>) -> tensor<784xf32> {
  %0 = dl.minimum %a, %b : tensor<784xf32>, tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe add_1 add
func.func @add_1(%a: tensor<1xf32>, %b: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.add %a, %b : tensor<1xf32>, tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe mul_1 mul
func.func @mul_1(%a: tensor<1xf32>, %b: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.mul %a, %b : tensor<1xf32>, tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe maximum_1 maximum
func.func @maximum_1(%a: tensor<1xf32>, %b: tensor<1xf32>) -> tensor<1xf32> {
  %0 = dl.maximum %a, %b : tensor<1xf32>, tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe sub_scalar sub
func.func @sub_scalar(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  %0 = dl.sub %a, %b : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe div_scalar div
func.func @div_scalar(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  %0 = dl.div %a, %b : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe minimum_scalar minimum
func.func @minimum_scalar(%a: tensor<f32>, %b: tensor<f32>) -> tensor<f32> {
  %0 = dl.minimum %a, %b : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe add_97_bcast_scalar add
func.func @add_97_bcast_scalar(%a: tensor<97xf32>, %b: tensor<f32>) -> tensor<97xf32> {
  %0 = dl.add %a, %b : tensor<97xf32>, tensor<f32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe mul_97_bcast_scalar mul
func.func @mul_97_bcast_scalar(%a: tensor<97xf32>, %b: tensor<f32>) -> tensor<97xf32> {
  %0 = dl.mul %a, %b : tensor<97xf32>, tensor<f32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe maximum_97_bcast_scalar maximum
func.func @maximum_97_bcast_scalar(%a: tensor<97xf32>, %b: tensor<f32>) -> tensor<97xf32> {
  %0 = dl.maximum %a, %b : tensor<97xf32>, tensor<f32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe sub_28x28_row sub
func.func @sub_28x28_row(%a: tensor<28x28xf32>, %b: tensor<28xf32>) -> tensor<28x28xf32> {
  %0 = dl.sub %a, %b : tensor<28x28xf32>, tensor<28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe div_28x28_row div
func.func @div_28x28_row(%a: tensor<28x28xf32>, %b: tensor<28xf32>) -> tensor<28x28xf32> {
  %0 = dl.div %a, %b : tensor<28x28xf32>, tensor<28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe minimum_28x28_row minimum
func.func @minimum_28x28_row(%a: tensor<28x28xf32>, %b: tensor<28xf32>) -> tensor<28x28xf32> {
  %0 = dl.minimum %a, %b : tensor<28x28xf32>, tensor<28xf32>
  return %0 : tensor<28x28xf32>
}

// RUN: %t.exe add_7x1_1x13 add
func.func @add_7x1_1x13(%a: tensor<7x1xf32>, %b: tensor<1x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.add %a, %b : tensor<7x1xf32>, tensor<1x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe mul_7x1_1x13 mul
func.func @mul_7x1_1x13(%a: tensor<7x1xf32>, %b: tensor<1x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.mul %a, %b : tensor<7x1xf32>, tensor<1x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe maximum_7x1_1x13 maximum
func.func @maximum_7x1_1x13(%a: tensor<7x1xf32>, %b: tensor<1x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.maximum %a, %b : tensor<7x1xf32>, tensor<1x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe add_3x1x5_4x1 add
func.func @add_3x1x5_4x1(%a: tensor<3x1x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = dl.add %a, %b : tensor<3x1x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %t.exe sub_3x1x5_4x1 sub
func.func @sub_3x1x5_4x1(%a: tensor<3x1x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = dl.sub %a, %b : tensor<3x1x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %t.exe mul_3x1x5_4x1 mul
func.func @mul_3x1x5_4x1(%a: tensor<3x1x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = dl.mul %a, %b : tensor<3x1x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %t.exe div_3x1x5_4x1 div
func.func @div_3x1x5_4x1(%a: tensor<3x1x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = dl.div %a, %b : tensor<3x1x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %t.exe maximum_3x1x5_4x1 maximum
func.func @maximum_3x1x5_4x1(%a: tensor<3x1x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = dl.maximum %a, %b : tensor<3x1x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %t.exe minimum_3x1x5_4x1 minimum
func.func @minimum_3x1x5_4x1(%a: tensor<3x1x5xf32>, %b: tensor<4x1xf32>) -> tensor<3x4x5xf32> {
  %0 = dl.minimum %a, %b : tensor<3x1x5xf32>, tensor<4x1xf32>
  return %0 : tensor<3x4x5xf32>
}

// RUN: %t.exe add_64x256 add
func.func @add_64x256(%a: tensor<64x256xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.add %a, %b : tensor<64x256xf32>, tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe mul_64x256 mul
func.func @mul_64x256(%a: tensor<64x256xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.mul %a, %b : tensor<64x256xf32>, tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe maximum_64x256 maximum
func.func @maximum_64x256(%a: tensor<64x256xf32>, %b: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.maximum %a, %b : tensor<64x256xf32>, tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe sub_2x3x5x7_5x1 sub
func.func @sub_2x3x5x7_5x1(%a: tensor<2x3x5x7xf32>, %b: tensor<5x1xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.sub %a, %b : tensor<2x3x5x7xf32>, tensor<5x1xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe div_2x3x5x7_5x1 div
func.func @div_2x3x5x7_5x1(%a: tensor<2x3x5x7xf32>, %b: tensor<5x1xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.div %a, %b : tensor<2x3x5x7xf32>, tensor<5x1xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe minimum_2x3x5x7_5x1 minimum
func.func @minimum_2x3x5x7_5x1(%a: tensor<2x3x5x7xf32>, %b: tensor<5x1xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.minimum %a, %b : tensor<2x3x5x7xf32>, tensor<5x1xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe add_i32_7x13_13 add
func.func @add_i32_7x13_13(%a: tensor<7x13xi32>, %b: tensor<13xi32>) -> tensor<7x13xi32> {
  %0 = dl.add %a, %b : tensor<7x13xi32>, tensor<13xi32>
  return %0 : tensor<7x13xi32>
}

// RUN: %t.exe sub_i32_3x1_2x1x4 sub
func.func @sub_i32_3x1_2x1x4(%a: tensor<3x1xi32>, %b: tensor<2x1x4xi32>) -> tensor<2x3x4xi32> {
  %0 = dl.sub %a, %b : tensor<3x1xi32>, tensor<2x1x4xi32>
  return %0 : tensor<2x3x4xi32>
}

// RUN: %t.exe mul_i64_97_97 mul
func.func @mul_i64_97_97(%a: tensor<97xi64>, %b: tensor<97xi64>) -> tensor<97xi64> {
  %0 = dl.mul %a, %b : tensor<97xi64>, tensor<97xi64>
  return %0 : tensor<97xi64>
}

// RUN: %t.exe maximum_i32_5x7_7 maximum
func.func @maximum_i32_5x7_7(%a: tensor<5x7xi32>, %b: tensor<7xi32>) -> tensor<5x7xi32> {
  %0 = dl.maximum %a, %b : tensor<5x7xi32>, tensor<7xi32>
  return %0 : tensor<5x7xi32>
}

// RUN: %t.exe minimum_i64_13_13 minimum
func.func @minimum_i64_13_13(%a: tensor<13xi64>, %b: tensor<13xi64>) -> tensor<13xi64> {
  %0 = dl.minimum %a, %b : tensor<13xi64>, tensor<13xi64>
  return %0 : tensor<13xi64>
}
