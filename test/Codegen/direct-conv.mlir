// A stride-1 convolution is a direct convolution (DLToLinalg/Conv.cpp)
// that codegen tiles as outer products (TilingPolicy.cpp,
// chooseConvolutionTiles): 8 output channels x the output row, computed 32
// columns wide for a 28-column output (no masks), inside loops over the
// input channels and the window by 1, then the valid 28 columns copied out.
// A stride-2 convolution keeps im2col and the register-tiled matmul.
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s
// With AVX2's 16 registers the tile is 4 channels (8 accumulators of 8
// lanes), not 8 (16 accumulators: every register, spilled each step).
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=256 num-registers=16" \
// RUN:   | FileCheck %s --check-prefix=AVX2

// AVX2-LABEL: func.func @stride1(
// AVX2: scf.for %{{.*}} = %c0 to %c16 step %c4
// AVX2:   scf.for %{{.*}} = %c0 to %c28 step %c1
// AVX2:     scf.for %{{.*}} = %c0 to %c32 step %c16
// AVX2:       vector.transfer_read {{.*}} : tensor<2x1x16x30x34xf32>, vector<4x16xf32>
// AVX2:       arith.mulf {{.*}} : vector<4x16xf32>

// CHECK-LABEL: func.func @stride1(
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK:   scf.for %{{.*}} = %c0 to %c28 step %c1
// CHECK:     scf.for %{{.*}} = %c0 to %c16 step %c1
// CHECK:       scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:         scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:           vector.transfer_read {{.*}} : tensor<2x1x16x30x34xf32>, vector<8x32xf32>
// CHECK:           arith.mulf {{.*}} : vector<8x32xf32>
// CHECK-NOT: linalg.matmul
// CHECK: return
func.func @stride1(%x: tensor<2x16x28x28xf32>, %w: tensor<16x16x3x3xf32>) -> tensor<2x16x28x28xf32> {
  %0 = dl.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x16x28x28xf32>, tensor<16x16x3x3xf32>
  return %0 : tensor<2x16x28x28xf32>
}

// CHECK-LABEL: func.func @stride2(
// CHECK: vector.contract
func.func @stride2(%x: tensor<2x16x28x28xf32>, %w: tensor<16x16x3x3xf32>) -> tensor<2x16x14x14xf32> {
  %0 = dl.conv2d %x, %w stride = [2, 2] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x16x28x28xf32>, tensor<16x16x3x3xf32>
  return %0 : tensor<2x16x14x14xf32>
}
