// The whole codegen pipeline on an MLP and on a plain matmul: no linalg op
// survives, and the matmul's register tile follows the target's register
// file (TileAndVectorize.cpp): rows x 2 vectors of accumulators, kept in
// registers across the K loop (a loop-carried !llvm.array of vectors).
//
// Nothing but the LLVM dialect is left (--implicit-check-not: anywhere).
// RUN: dlc-opt %s --dlc-dl-to-llvm | FileCheck %s --check-prefix=LLVM \
// RUN:   --implicit-check-not=linalg. --implicit-check-not=tensor. \
// RUN:   --implicit-check-not=vector. --implicit-check-not=memref. \
// RUN:   --implicit-check-not=scf. --implicit-check-not=math. \
// RUN:   --implicit-check-not=arith. --implicit-check-not=func.func
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-codegen-cpu="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s --check-prefix=AVX512 --implicit-check-not=linalg.
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-codegen-cpu="vector-bits=256 num-registers=16" \
// RUN:   | FileCheck %s --check-prefix=AVX2 --implicit-check-not=linalg. '--implicit-check-not=vector<32xf32>'
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-codegen-cpu="vector-bits=128 num-registers=32" \
// RUN:   | FileCheck %s --check-prefix=NEON --implicit-check-not=linalg. '--implicit-check-not=vector<16xf32>'
//
// `dlc compile` sizes the tiles from the target it resolves.
// RUN: dlc compile %s --emit=llvm-dialect --target=x86_64-linux-gnu --mcpu=x86-64-v4 -o - \
// RUN:   | FileCheck %s --check-prefix=AVX512 --implicit-check-not=linalg.
// RUN: dlc compile %s --emit=llvm-dialect --target=x86_64-linux-gnu --mcpu=x86-64-v3 -o - \
// RUN:   | FileCheck %s --check-prefix=AVX2 --implicit-check-not=linalg. '--implicit-check-not=vector<32xf32>'
// RUN: dlc compile %s --emit=llvm-dialect --target=aarch64-linux-gnu -o - \
// RUN:   | FileCheck %s --check-prefix=NEON --implicit-check-not=linalg. '--implicit-check-not=vector<16xf32>'
//
// The same tiles at the vector level, before bufferization.
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=512 num-registers=32" \
// RUN:   | FileCheck %s --check-prefix=TILE512
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=256 num-registers=16" \
// RUN:   | FileCheck %s --check-prefix=TILE256
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-destination-results \
// RUN:   | dlc-opt --dlc-tile-and-vectorize="vector-bits=128 num-registers=32" \
// RUN:   | FileCheck %s --check-prefix=TILE128

// Each function calls its kernels (dlc-outline-kernels), which follow them
// at the module's end with internal linkage.
// LLVM-LABEL: llvm.func @mlp(
// LLVM: llvm.call @dlc_kernel_
// LLVM-LABEL: llvm.func @matmul_48x64x64(
// LLVM: llvm.call @dlc_kernel_
// LLVM: llvm.func internal @dlc_kernel_
// LLVM: llvm.load {{.*}} -> vector<32xf32>
// LLVM: llvm.store {{.*}} : vector<32xf32>, !llvm.ptr
// LLVM: !llvm.array<8 x vector<32xf32>>

// AVX512-LABEL: llvm.func @mlp(
// AVX512-LABEL: llvm.func @matmul_48x64x64(
// AVX512: ^bb{{[0-9]+}}(%{{[0-9]+}}: i64, %{{[0-9]+}}: !llvm.array<8 x vector<32xf32>>):
// AVX512: llvm.load {{.*}} -> vector<32xf32>

// AVX2-LABEL: llvm.func @matmul_48x64x64(
// AVX2: ^bb{{[0-9]+}}(%{{[0-9]+}}: i64, %{{[0-9]+}}: !llvm.array<6 x vector<16xf32>>):
// AVX2: llvm.load {{.*}} -> vector<16xf32>

// NEON-LABEL: llvm.func @matmul_48x64x64(
// NEON: ^bb{{[0-9]+}}(%{{[0-9]+}}: i64, %{{[0-9]+}}: !llvm.array<8 x vector<8xf32>>):
// NEON: llvm.load {{.*}} -> vector<8xf32>

// Register tiles: rows x (2 vectors) outer products per K step.
// TILE512-LABEL: func.func @mlp(
// TILE512: vector.contract {{.*}} : vector<8x32x1xf32>, vector<8x32x1xf32> into vector<8x32xf32>
// TILE512-LABEL: func.func @matmul_48x64x64(
// TILE512: scf.for {{.*}} step %c1
// TILE512: vector.contract {{.*}} : vector<8x32x1xf32>, vector<8x32x1xf32> into vector<8x32xf32>
// TILE256-LABEL: func.func @matmul_48x64x64(
// TILE256: vector.contract {{.*}} : vector<6x16x1xf32>, vector<6x16x1xf32> into vector<6x16xf32>
// TILE128-LABEL: func.func @matmul_48x64x64(
// TILE128: vector.contract {{.*}} : vector<8x8x1xf32>, vector<8x8x1xf32> into vector<8x8xf32>

// The forward pass and loss of a 784-256-10 MLP (examples/mlir/mlp_forward.mlir).
func.func @mlp(%x: tensor<64x784xf32>, %y: tensor<64xi32>,
               %w1: tensor<784x256xf32>, %b1: tensor<256xf32>,
               %w2: tensor<256x10xf32>, %b2: tensor<10xf32>)
    -> (tensor<f32>, tensor<64x10xf32>) {
  %h0 = dl.matmul %x, %w1 : tensor<64x784xf32>, tensor<784x256xf32>
  %h1 = dl.add %h0, %b1 : tensor<64x256xf32>, tensor<256xf32>
  %h = dl.relu %h1 : tensor<64x256xf32>
  %l0 = dl.matmul %h, %w2 : tensor<64x256xf32>, tensor<256x10xf32>
  %logits = dl.add %l0, %b2 : tensor<64x10xf32>, tensor<10xf32>
  %loss = dl.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi32>
  return %loss, %logits : tensor<f32>, tensor<64x10xf32>
}

// M = 48 is a multiple of 8 and of 6, so every target gets its full tile.
func.func @matmul_48x64x64(%a: tensor<48x64xf32>, %b: tensor<64x64xf32>)
    -> tensor<48x64xf32> {
  %0 = dl.matmul %a, %b : tensor<48x64xf32>, tensor<64x64xf32>
  return %0 : tensor<48x64xf32>
}
