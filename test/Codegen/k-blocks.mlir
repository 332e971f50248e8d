// A matmul with a long K (a convolution's filter gradient sums over
// N OH OW) runs K in cache blocks (TilingPolicy.cpp): the accumulator is
// zeroed on the whole cache tile, then each K block of 256 runs the register
// tiles (8 x 2 vectors, K by 1). A short K keeps one loop over all of K.
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @long_k(
// CHECK: vector.transfer_write %{{.*}} : vector<4x32xf32>, tensor<32x64xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c2048 step %c256
// CHECK:   scf.for %{{.*}} = %c0 to %c32 step %c8
// CHECK:     scf.for %{{.*}} = %c0 to %c64 step %c32
// CHECK:       scf.for %{{.*}} = %c0 to %c256 step %c1
// CHECK:         vector.contract {{.*}} : vector<8x32x1xf32>, vector<8x32x1xf32> into vector<8x32xf32>
func.func @long_k(%a: tensor<32x2048xf32>, %b: tensor<2048x64xf32>) -> tensor<32x64xf32> {
  %0 = dl.matmul %a, %b : tensor<32x2048xf32>, tensor<2048x64xf32>
  return %0 : tensor<32x64xf32>
}

// CHECK-LABEL: func.func @short_k(
// CHECK-NOT: step %c256
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c1
func.func @short_k(%a: tensor<32x512xf32>, %b: tensor<512x64xf32>) -> tensor<32x64xf32> {
  %0 = dl.matmul %a, %b : tensor<32x512xf32>, tensor<512x64xf32>
  return %0 : tensor<32x64xf32>
}
