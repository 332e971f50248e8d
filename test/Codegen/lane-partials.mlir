// A filter gradient whose output rows have 12 or more columns (stride 1
// along them) sums by lane partials (DLToLinalg/Conv.cpp): codegen tiles it
// as an outer product of output x input channels, each accumulator a
// vector of the 16 lanes (TilingPolicy.cpp, chooseLanePartialTiles), the
// batch loop outermost and the output rows and row blocks innermost, then
// sums the lanes. One input channel takes the window's rows instead (8
// output channels x 3 rows); rows shorter than 12 keep im2col and the
// register-tiled matmul. AVX2's 16 registers get 4 x 2 channels of one
// vector, the 16 lanes in two tiles of 8 (6 loads for 8 FMAs, not 8 for 8).
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=256 num-registers=16" \
// RUN:   | FileCheck %s --check-prefix=AVX2

// CHECK-LABEL: func.func @filter_grad(
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK:   scf.for %{{.*}} = %c0 to %c16 step %c4
// CHECK:     scf.for %{{.*}} = %c0 to %c16 step %c4
// CHECK:       scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:         scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:           scf.for %{{.*}} = %c0 to %c28 step %c1
// CHECK:             scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK:               arith.mulf {{.*}} : vector<4x4x16xf32>
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<3x16xf32> to vector<3xf32>
// CHECK-NOT: linalg.matmul
// AVX2-LABEL: func.func @filter_grad(
// AVX2: scf.for %{{.*}} = %c0 to %c16 step %c4
// AVX2:   scf.for %{{.*}} = %c0 to %c16 step %c2
// AVX2:     scf.for %{{.*}} = %c0 to %c16 step %c8
// AVX2:       arith.mulf {{.*}} : vector<4x2x8xf32>
func.func @filter_grad(%x: tensor<2x16x28x28xf32>, %dy: tensor<2x16x28x28xf32>) -> tensor<16x16x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x16x28x28xf32>, tensor<2x16x28x28xf32> -> tensor<16x16x3x3xf32>
  return %0 : tensor<16x16x3x3xf32>
}

// CHECK-LABEL: func.func @one_channel(
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c8
// CHECK: arith.mulf {{.*}} : vector<8x3x16xf32>
func.func @one_channel(%x: tensor<2x1x28x28xf32>, %dy: tensor<2x32x28x28xf32>) -> tensor<32x1x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x1x28x28xf32>, tensor<2x32x28x28xf32> -> tensor<32x1x3x3xf32>
  return %0 : tensor<32x1x3x3xf32>
}

// CHECK-LABEL: func.func @short_rows(
// CHECK: vector.contract
func.func @short_rows(%x: tensor<2x16x7x7xf32>, %dy: tensor<2x16x7x7xf32>) -> tensor<16x16x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x16x7x7xf32>, tensor<2x16x7x7xf32> -> tensor<16x16x3x3xf32>
  return %0 : tensor<16x16x3x3xf32>
}
