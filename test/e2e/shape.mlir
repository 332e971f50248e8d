// Shape ops, constants and fills end to end: reshape (to and from 0-d,
// rank 1 to 3), transpose (2-D, every 3-D permutation, 4-D), broadcast
// (leading dims, size-1 dims, 0-d), dense and splat constants, fills, on
// floats and integers. All results must be exact.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe reshape_7x13_91 reshape
func.func @reshape_7x13_91(%x: tensor<7x13xf32>) -> tensor<91xf32> {
  %0 = dl.reshape %x : tensor<7x13xf32> -> tensor<91xf32>
  return %0 : tensor<91xf32>
}

// RUN: %t.exe reshape_28x28_784 reshape
func.func @reshape_28x28_784(%x: tensor<28x28xf32>) -> tensor<784xf32> {
  %0 = dl.reshape %x : tensor<28x28xf32> -> tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe reshape_64x28x28_64x784 reshape
func.func @reshape_64x28x28_64x784(%x: tensor<64x28x28xf32>) -> tensor<64x784xf32> {
  %0 = dl.reshape %x : tensor<64x28x28xf32> -> tensor<64x784xf32>
  return %0 : tensor<64x784xf32>
}

// RUN: %t.exe reshape_2x3x5_5x6 reshape
func.func @reshape_2x3x5_5x6(%x: tensor<2x3x5xf32>) -> tensor<5x6xf32> {
  %0 = dl.reshape %x : tensor<2x3x5xf32> -> tensor<5x6xf32>
  return %0 : tensor<5x6xf32>
}

// RUN: %t.exe reshape_784_4x196 reshape
func.func @reshape_784_4x196(%x: tensor<784xf32>) -> tensor<4x196xf32> {
  %0 = dl.reshape %x : tensor<784xf32> -> tensor<4x196xf32>
  return %0 : tensor<4x196xf32>
}

// RUN: %t.exe reshape_scalar_1 reshape
func.func @reshape_scalar_1(%x: tensor<f32>) -> tensor<1xf32> {
  %0 = dl.reshape %x : tensor<f32> -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// RUN: %t.exe reshape_97_1x97x1 reshape
func.func @reshape_97_1x97x1(%x: tensor<97xf32>) -> tensor<1x97x1xf32> {
  %0 = dl.reshape %x : tensor<97xf32> -> tensor<1x97x1xf32>
  return %0 : tensor<1x97x1xf32>
}

// RUN: %t.exe reshape_i32_6x7_42 reshape
func.func @reshape_i32_6x7_42(%x: tensor<6x7xi32>) -> tensor<42xi32> {
  %0 = dl.reshape %x : tensor<6x7xi32> -> tensor<42xi32>
  return %0 : tensor<42xi32>
}

// RUN: %t.exe transpose_7x13_10 transpose perm=1,0
func.func @transpose_7x13_10(%x: tensor<7x13xf32>) -> tensor<13x7xf32> {
  %0 = dl.transpose %x perm = [1, 0] : tensor<7x13xf32>
  return %0 : tensor<13x7xf32>
}

// RUN: %t.exe transpose_784x10_10 transpose perm=1,0
func.func @transpose_784x10_10(%x: tensor<784x10xf32>) -> tensor<10x784xf32> {
  %0 = dl.transpose %x perm = [1, 0] : tensor<784x10xf32>
  return %0 : tensor<10x784xf32>
}

// RUN: %t.exe transpose_1x97_10 transpose perm=1,0
func.func @transpose_1x97_10(%x: tensor<1x97xf32>) -> tensor<97x1xf32> {
  %0 = dl.transpose %x perm = [1, 0] : tensor<1x97xf32>
  return %0 : tensor<97x1xf32>
}

// RUN: %t.exe transpose_64x256_10 transpose perm=1,0
func.func @transpose_64x256_10(%x: tensor<64x256xf32>) -> tensor<256x64xf32> {
  %0 = dl.transpose %x perm = [1, 0] : tensor<64x256xf32>
  return %0 : tensor<256x64xf32>
}

// RUN: %t.exe transpose_3x5x7_021 transpose perm=0,2,1
func.func @transpose_3x5x7_021(%x: tensor<3x5x7xf32>) -> tensor<3x7x5xf32> {
  %0 = dl.transpose %x perm = [0, 2, 1] : tensor<3x5x7xf32>
  return %0 : tensor<3x7x5xf32>
}

// RUN: %t.exe transpose_3x5x7_102 transpose perm=1,0,2
func.func @transpose_3x5x7_102(%x: tensor<3x5x7xf32>) -> tensor<5x3x7xf32> {
  %0 = dl.transpose %x perm = [1, 0, 2] : tensor<3x5x7xf32>
  return %0 : tensor<5x3x7xf32>
}

// RUN: %t.exe transpose_3x5x7_120 transpose perm=1,2,0
func.func @transpose_3x5x7_120(%x: tensor<3x5x7xf32>) -> tensor<5x7x3xf32> {
  %0 = dl.transpose %x perm = [1, 2, 0] : tensor<3x5x7xf32>
  return %0 : tensor<5x7x3xf32>
}

// RUN: %t.exe transpose_3x5x7_201 transpose perm=2,0,1
func.func @transpose_3x5x7_201(%x: tensor<3x5x7xf32>) -> tensor<7x3x5xf32> {
  %0 = dl.transpose %x perm = [2, 0, 1] : tensor<3x5x7xf32>
  return %0 : tensor<7x3x5xf32>
}

// RUN: %t.exe transpose_3x5x7_210 transpose perm=2,1,0
func.func @transpose_3x5x7_210(%x: tensor<3x5x7xf32>) -> tensor<7x5x3xf32> {
  %0 = dl.transpose %x perm = [2, 1, 0] : tensor<3x5x7xf32>
  return %0 : tensor<7x5x3xf32>
}

// RUN: %t.exe transpose_13x16x29_201 transpose perm=2,0,1
func.func @transpose_13x16x29_201(%x: tensor<13x16x29xf32>) -> tensor<29x13x16xf32> {
  %0 = dl.transpose %x perm = [2, 0, 1] : tensor<13x16x29xf32>
  return %0 : tensor<29x13x16xf32>
}

// RUN: %t.exe transpose_2x3x5x7_0213 transpose perm=0,2,1,3
func.func @transpose_2x3x5x7_0213(%x: tensor<2x3x5x7xf32>) -> tensor<2x5x3x7xf32> {
  %0 = dl.transpose %x perm = [0, 2, 1, 3] : tensor<2x3x5x7xf32>
  return %0 : tensor<2x5x3x7xf32>
}

// RUN: %t.exe transpose_2x3x5x7_3120 transpose perm=3,1,2,0
func.func @transpose_2x3x5x7_3120(%x: tensor<2x3x5x7xf32>) -> tensor<7x3x5x2xf32> {
  %0 = dl.transpose %x perm = [3, 1, 2, 0] : tensor<2x3x5x7xf32>
  return %0 : tensor<7x3x5x2xf32>
}

// RUN: %t.exe transpose_i64_5x7_10 transpose perm=1,0
func.func @transpose_i64_5x7_10(%x: tensor<5x7xi64>) -> tensor<7x5xi64> {
  %0 = dl.transpose %x perm = [1, 0] : tensor<5x7xi64>
  return %0 : tensor<7x5xi64>
}

// RUN: %t.exe broadcast_13_7x13 broadcast
func.func @broadcast_13_7x13(%x: tensor<13xf32>) -> tensor<7x13xf32> {
  %0 = dl.broadcast %x : tensor<13xf32> -> tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe broadcast_7x1_7x13 broadcast
func.func @broadcast_7x1_7x13(%x: tensor<7x1xf32>) -> tensor<7x13xf32> {
  %0 = dl.broadcast %x : tensor<7x1xf32> -> tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe broadcast_scalar_3x5 broadcast
func.func @broadcast_scalar_3x5(%x: tensor<f32>) -> tensor<3x5xf32> {
  %0 = dl.broadcast %x : tensor<f32> -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// RUN: %t.exe broadcast_3x1_2x3x5 broadcast
func.func @broadcast_3x1_2x3x5(%x: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = dl.broadcast %x : tensor<3x1xf32> -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// RUN: %t.exe broadcast_1x5_4x3x5 broadcast
func.func @broadcast_1x5_4x3x5(%x: tensor<1x5xf32>) -> tensor<4x3x5xf32> {
  %0 = dl.broadcast %x : tensor<1x5xf32> -> tensor<4x3x5xf32>
  return %0 : tensor<4x3x5xf32>
}

// RUN: %t.exe broadcast_784_64x784 broadcast
func.func @broadcast_784_64x784(%x: tensor<784xf32>) -> tensor<64x784xf32> {
  %0 = dl.broadcast %x : tensor<784xf32> -> tensor<64x784xf32>
  return %0 : tensor<64x784xf32>
}

// RUN: %t.exe broadcast_1_97 broadcast
func.func @broadcast_1_97(%x: tensor<1xf32>) -> tensor<97xf32> {
  %0 = dl.broadcast %x : tensor<1xf32> -> tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe broadcast_i32_7_2x7 broadcast
func.func @broadcast_i32_7_2x7(%x: tensor<7xi32>) -> tensor<2x7xi32> {
  %0 = dl.broadcast %x : tensor<7xi32> -> tensor<2x7xi32>
  return %0 : tensor<2x7xi32>
}

// RUN: %t.exe constant_2x3 constant values=1,-2.5,3,0.125,5e-3,-6e20
func.func @constant_2x3() -> tensor<2x3xf32> {
  %0 = dl.constant dense<[[1.0, -2.5, 3.0], [0.125, 5.0e-3, -6.0e20]]> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// RUN: %t.exe constant_splat_97 constant values=1.5
func.func @constant_splat_97() -> tensor<97xf32> {
  %0 = dl.constant dense<1.5> : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe constant_i32_5 constant values=7,-1,0,2147483647,-2147483648
func.func @constant_i32_5() -> tensor<5xi32> {
  %0 = dl.constant dense<[7, -1, 0, 2147483647, -2147483648]> : tensor<5xi32>
  return %0 : tensor<5xi32>
}

// RUN: %t.exe constant_scalar constant values=-0.75
func.func @constant_scalar() -> tensor<f32> {
  %0 = dl.constant dense<-0.75> : tensor<f32>
  return %0 : tensor<f32>
}

// A constant operand that is not folded away.
// RUN: %t.exe add_constant_2x3 add_constant values=1,2,3,4,5,6
func.func @add_constant_2x3(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %c = dl.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = dl.add %x, %c : tensor<2x3xf32>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// RUN: %t.exe add_constant_7x13 add_constant values=0.5
func.func @add_constant_7x13(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %c = dl.constant dense<0.5> : tensor<7x13xf32>
  %0 = dl.add %x, %c : tensor<7x13xf32>, tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe fill_7x13 fill value=2.5
func.func @fill_7x13() -> tensor<7x13xf32> {
  %0 = dl.fill 2.5 : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe fill_784 fill value=-1e-3
func.func @fill_784() -> tensor<784xf32> {
  %0 = dl.fill -1.0e-3 : tensor<784xf32>
  return %0 : tensor<784xf32>
}

// RUN: %t.exe fill_scalar fill value=3
func.func @fill_scalar() -> tensor<f32> {
  %0 = dl.fill 3.0 : tensor<f32>
  return %0 : tensor<f32>
}

// RUN: %t.exe fill_i64_2x3x5 fill value=-7
func.func @fill_i64_2x3x5() -> tensor<2x3x5xi64> {
  %0 = dl.fill -7.0 : tensor<2x3x5xi64>
  return %0 : tensor<2x3x5xi64>
}

// A fill used as an operand (x * fill): the product must be x * 0.5.
// RUN: %t.exe mul_fill_13x7 mul_fill value=0.5
func.func @mul_fill_13x7(%x: tensor<13x7xf32>) -> tensor<13x7xf32> {
  %f = dl.fill 0.5 : tensor<13x7xf32>
  %0 = dl.mul %x, %f : tensor<13x7xf32>, tensor<13x7xf32>
  return %0 : tensor<13x7xf32>
}
