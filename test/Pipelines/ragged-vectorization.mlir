// Sizes that no tile divides must still be vectorized with full-width
// vectors (issue 4: "peel, pad or mask the remainder").
//
// XFAIL: *
// Bug: dlc-tile-and-vectorize only picks tile sizes that divide the
// dimension (pickTile), so a prime dimension gets tiles of 1: the 29x31x37
// matmul is computed with vector<1x1xf32> contractions (scalar code), the
// 97x37 add with vector<1x1xf32> transfers, and M = 13 or 61 rows give 1-row
// register tiles (13x97x10: vector<1x10xf32>). The results are correct (see
// test/e2e/matmul.mlir); only the vectorization is lost.
//
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @matmul_29x31x37(
// CHECK: vector.contract {{.*}} into vector<{{[2-8]}}x{{16|32}}xf32>
// CHECK-LABEL: func.func @add_97x37(
// CHECK: vector.transfer_read {{.*}} : tensor<97x37xf32>, vector<{{([0-9]+x)?}}{{16|32}}xf32>

func.func @matmul_29x31x37(%a: tensor<29x31xf32>, %b: tensor<31x37xf32>)
    -> tensor<29x37xf32> {
  %0 = dl.matmul %a, %b : tensor<29x31xf32>, tensor<31x37xf32>
  return %0 : tensor<29x37xf32>
}

func.func @add_97x37(%a: tensor<97x37xf32>, %b: tensor<97x37xf32>)
    -> tensor<97x37xf32> {
  %0 = dl.add %a, %b : tensor<97x37xf32>, tensor<97x37xf32>
  return %0 : tensor<97x37xf32>
}
