// Sizes that no tile divides must still be vectorized with full-width
// vectors (issue 4: "peel, pad or mask the remainder").
//
// XFAIL: *
// Half done: a column count that is not a multiple of the vector width is
// now masked at the edge (test/Pipelines/masked-vectorization.mlir), but the
// row dimension of a matmul register tile still takes a divisor of M, so a
// prime M (29 here, 13, 61, 97) gets 1-row register tiles: vector<1x32xf32>
// accumulators, one broadcast of A and two FMAs per load of B's row. Peeling
// the M loop (full 8-row tiles, then one static remainder tile) would fix it;
// a mask along M would not lower in MLIR 19 (A is read through a
// broadcasting, masked transfer). The results are correct (see
// test/e2e/matmul.mlir); only speed is lost.
//
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @matmul_29x31x37(
// CHECK: vector.contract {{.*}} into vector<{{[2-8]}}x{{16|32}}xf32>

func.func @matmul_29x31x37(%a: tensor<29x31xf32>, %b: tensor<31x37xf32>)
    -> tensor<29x37xf32> {
  %0 = dl.matmul %a, %b : tensor<29x31xf32>, tensor<31x37xf32>
  return %0 : tensor<29x37xf32>
}
