// dl.matmul end to end: 2-D at shapes no register tile divides (1, 7, 13,
// 29/31/37, 97, 784 = 16 * 49) and at tile multiples (8x32, 64x256), batched
// at rank 3 and 4; and the fusions the CPU pipeline performs: a bias + ReLU
// epilogue computed on the accumulator tiles (dense_relu, also batched), a
// product with two users, and an elementwise chain relu(x * a + b). Each
// element of a K-term product must lie within gamma(K + 1) * sum_k |a b|
// of the exact value (reference.h), a bound that grows with K.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe
//
// The same file for AVX2 (x86-64-v3: 8 lanes, no mask registers, masked
// edges as vmaskmovps), run where the host has AVX2, at the ragged shapes:
// RUN: dlc compile %s --mcpu=x86-64-v3 -o %t.avx2.o
// RUN: %e2e_entries %t.avx2.h > %t.avx2.entries
// RUN: %cxx %cxxflags -include %t.avx2.h -DE2E_ENTRIES='"%t.avx2.entries"' %e2e_harness %t.avx2.o -o %t.avx2.exe
// RUN: %if avx2 %{ %t.avx2.exe mm_7x13x10 matmul %}
// RUN: %if avx2 %{ %t.avx2.exe mm_29x31x37 matmul %}
// RUN: %if avx2 %{ %t.avx2.exe mm_64x256x10 matmul %}
// RUN: %if avx2 %{ %t.avx2.exe bmm_2x3x7x13x10 matmul %}
// RUN: %if avx2 %{ %t.avx2.exe dense_relu_61x100x30 dense_relu %}
// RUN: %if avx2 %{ %t.avx2.exe dense_97x28x97 dense %}

// The harness notices wrong results and bad requests.
// RUN: not %t.exe mm_7x13x10 sum axes=0 2>&1 | FileCheck %s --check-prefix=WRONG-OP
// WRONG-OP: error: 'sum' takes 1 inputs and 1 outputs, the entry has 2 and 1
// RUN: not %t.exe mm_7x13 matmul 2>&1 | FileCheck %s --check-prefix=NO-ENTRY
// NO-ENTRY: error: no entry point 'mm_7x13' in this object; it has: {{.*}}mm_7x13x10
// RUN: not %t.exe dense_relu_7x13x10 dense 2>&1 | FileCheck %s --check-prefix=WRONG
// WRONG: mismatch dense_relu_7x13x10 dense result3[{{[0-9]+}}][{{[0-9]+}}]: got 0, want -{{.*}}
// WRONG: error: dense_relu_7x13x10 dense result3: {{[0-9]+}} of 70 elements outside tolerance

// RUN: %t.exe mm_1x1x1 matmul
func.func @mm_1x1x1(%a: tensor<1x1xf32>, %b: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %0 = dl.matmul %a, %b : tensor<1x1xf32>, tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// RUN: %t.exe mm_7x13x10 matmul
func.func @mm_7x13x10(%a: tensor<7x13xf32>, %b: tensor<13x10xf32>) -> tensor<7x10xf32> {
  %0 = dl.matmul %a, %b : tensor<7x13xf32>, tensor<13x10xf32>
  return %0 : tensor<7x10xf32>
}

// RUN: %t.exe mm_13x97x28 matmul
func.func @mm_13x97x28(%a: tensor<13x97xf32>, %b: tensor<97x28xf32>) -> tensor<13x28xf32> {
  %0 = dl.matmul %a, %b : tensor<13x97xf32>, tensor<97x28xf32>
  return %0 : tensor<13x28xf32>
}

// RUN: %t.exe mm_3x1x5 matmul
func.func @mm_3x1x5(%a: tensor<3x1xf32>, %b: tensor<1x5xf32>) -> tensor<3x5xf32> {
  %0 = dl.matmul %a, %b : tensor<3x1xf32>, tensor<1x5xf32>
  return %0 : tensor<3x5xf32>
}

// RUN: %t.exe mm_1x784x10 matmul
func.func @mm_1x784x10(%a: tensor<1x784xf32>, %b: tensor<784x10xf32>) -> tensor<1x10xf32> {
  %0 = dl.matmul %a, %b : tensor<1x784xf32>, tensor<784x10xf32>
  return %0 : tensor<1x10xf32>
}

// RUN: %t.exe mm_29x31x37 matmul
func.func @mm_29x31x37(%a: tensor<29x31xf32>, %b: tensor<31x37xf32>) -> tensor<29x37xf32> {
  %0 = dl.matmul %a, %b : tensor<29x31xf32>, tensor<31x37xf32>
  return %0 : tensor<29x37xf32>
}

// RUN: %t.exe mm_97x7x784 matmul
func.func @mm_97x7x784(%a: tensor<97x7xf32>, %b: tensor<7x784xf32>) -> tensor<97x784xf32> {
  %0 = dl.matmul %a, %b : tensor<97x7xf32>, tensor<7x784xf32>
  return %0 : tensor<97x784xf32>
}

// RUN: %t.exe mm_10x784x13 matmul
func.func @mm_10x784x13(%a: tensor<10x784xf32>, %b: tensor<784x13xf32>) -> tensor<10x13xf32> {
  %0 = dl.matmul %a, %b : tensor<10x784xf32>, tensor<784x13xf32>
  return %0 : tensor<10x13xf32>
}

// RUN: %t.exe mm_8x32x32 matmul
func.func @mm_8x32x32(%a: tensor<8x32xf32>, %b: tensor<32x32xf32>) -> tensor<8x32xf32> {
  %0 = dl.matmul %a, %b : tensor<8x32xf32>, tensor<32x32xf32>
  return %0 : tensor<8x32xf32>
}

// RUN: %t.exe mm_16x64x64 matmul
func.func @mm_16x64x64(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>) -> tensor<16x64xf32> {
  %0 = dl.matmul %a, %b : tensor<16x64xf32>, tensor<64x64xf32>
  return %0 : tensor<16x64xf32>
}

// RUN: %t.exe mm_64x256x10 matmul
func.func @mm_64x256x10(%a: tensor<64x256xf32>, %b: tensor<256x10xf32>) -> tensor<64x10xf32> {
  %0 = dl.matmul %a, %b : tensor<64x256xf32>, tensor<256x10xf32>
  return %0 : tensor<64x10xf32>
}

// RUN: %t.exe mm_64x784x256 matmul
func.func @mm_64x784x256(%a: tensor<64x784xf32>, %b: tensor<784x256xf32>) -> tensor<64x256xf32> {
  %0 = dl.matmul %a, %b : tensor<64x784xf32>, tensor<784x256xf32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe bmm_3x7x13x10 matmul
func.func @bmm_3x7x13x10(%a: tensor<3x7x13xf32>, %b: tensor<3x13x10xf32>) -> tensor<3x7x10xf32> {
  %0 = dl.matmul %a, %b : tensor<3x7x13xf32>, tensor<3x13x10xf32>
  return %0 : tensor<3x7x10xf32>
}

// RUN: %t.exe bmm_2x97x7x28 matmul
func.func @bmm_2x97x7x28(%a: tensor<2x97x7xf32>, %b: tensor<2x7x28xf32>) -> tensor<2x97x28xf32> {
  %0 = dl.matmul %a, %b : tensor<2x97x7xf32>, tensor<2x7x28xf32>
  return %0 : tensor<2x97x28xf32>
}

// RUN: %t.exe bmm_1x5x5x5 matmul
func.func @bmm_1x5x5x5(%a: tensor<1x5x5xf32>, %b: tensor<1x5x5xf32>) -> tensor<1x5x5xf32> {
  %0 = dl.matmul %a, %b : tensor<1x5x5xf32>, tensor<1x5x5xf32>
  return %0 : tensor<1x5x5xf32>
}

// RUN: %t.exe bmm_4x8x16x32 matmul
func.func @bmm_4x8x16x32(%a: tensor<4x8x16xf32>, %b: tensor<4x16x32xf32>) -> tensor<4x8x32xf32> {
  %0 = dl.matmul %a, %b : tensor<4x8x16xf32>, tensor<4x16x32xf32>
  return %0 : tensor<4x8x32xf32>
}

// RUN: %t.exe bmm_2x3x7x13x10 matmul
func.func @bmm_2x3x7x13x10(%a: tensor<2x3x7x13xf32>, %b: tensor<2x3x13x10xf32>) -> tensor<2x3x7x10xf32> {
  %0 = dl.matmul %a, %b : tensor<2x3x7x13xf32>, tensor<2x3x13x10xf32>
  return %0 : tensor<2x3x7x10xf32>
}

// RUN: %t.exe bmm_1x2x5x3x17 matmul
func.func @bmm_1x2x5x3x17(%a: tensor<1x2x5x3xf32>, %b: tensor<1x2x3x17xf32>) -> tensor<1x2x5x17xf32> {
  %0 = dl.matmul %a, %b : tensor<1x2x5x3xf32>, tensor<1x2x3x17xf32>
  return %0 : tensor<1x2x5x17xf32>
}

// RUN: %t.exe dense_relu_7x13x10 dense_relu
func.func @dense_relu_7x13x10(%x: tensor<7x13xf32>, %w: tensor<13x10xf32>, %b: tensor<10xf32>) -> tensor<7x10xf32> {
  %0 = dl.matmul %x, %w : tensor<7x13xf32>, tensor<13x10xf32>
  %1 = dl.add %0, %b : tensor<7x10xf32>, tensor<10xf32>
  %2 = dl.relu %1 : tensor<7x10xf32>
  return %2 : tensor<7x10xf32>
}

// RUN: %t.exe dense_relu_64x784x256 dense_relu
func.func @dense_relu_64x784x256(%x: tensor<64x784xf32>, %w: tensor<784x256xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %0 = dl.matmul %x, %w : tensor<64x784xf32>, tensor<784x256xf32>
  %1 = dl.add %0, %b : tensor<64x256xf32>, tensor<256xf32>
  %2 = dl.relu %1 : tensor<64x256xf32>
  return %2 : tensor<64x256xf32>
}

// RUN: %t.exe dense_relu_61x100x30 dense_relu
func.func @dense_relu_61x100x30(%x: tensor<61x100xf32>, %w: tensor<100x30xf32>, %b: tensor<30xf32>) -> tensor<61x30xf32> {
  %0 = dl.matmul %x, %w : tensor<61x100xf32>, tensor<100x30xf32>
  %1 = dl.add %0, %b : tensor<61x30xf32>, tensor<30xf32>
  %2 = dl.relu %1 : tensor<61x30xf32>
  return %2 : tensor<61x30xf32>
}

// RUN: %t.exe dense_97x28x97 dense
func.func @dense_97x28x97(%x: tensor<97x28xf32>, %w: tensor<28x97xf32>, %b: tensor<97xf32>) -> tensor<97x97xf32> {
  %0 = dl.matmul %x, %w : tensor<97x28xf32>, tensor<28x97xf32>
  %1 = dl.add %0, %b : tensor<97x97xf32>, tensor<97xf32>
  return %1 : tensor<97x97xf32>
}

// RUN: %t.exe dense_relu_b3_5x7x9 dense_relu
func.func @dense_relu_b3_5x7x9(%x: tensor<3x5x7xf32>, %w: tensor<3x7x9xf32>, %b: tensor<9xf32>) -> tensor<3x5x9xf32> {
  %0 = dl.matmul %x, %w : tensor<3x5x7xf32>, tensor<3x7x9xf32>
  %1 = dl.add %0, %b : tensor<3x5x9xf32>, tensor<9xf32>
  %2 = dl.relu %1 : tensor<3x5x9xf32>
  return %2 : tensor<3x5x9xf32>
}

// The product has a second user: no epilogue fusion.
// RUN: %t.exe matmul_relu_13x17x19 matmul_relu
func.func @matmul_relu_13x17x19(%a: tensor<13x17xf32>, %b: tensor<17x19xf32>)
    -> (tensor<13x19xf32>, tensor<13x19xf32>) {
  %0 = dl.matmul %a, %b : tensor<13x17xf32>, tensor<17x19xf32>
  %1 = dl.relu %0 : tensor<13x19xf32>
  return %0, %1 : tensor<13x19xf32>, tensor<13x19xf32>
}

// RUN: %t.exe affine_relu_7x13 affine_relu
func.func @affine_relu_7x13(%x: tensor<7x13xf32>, %a: tensor<13xf32>, %b: tensor<7x1xf32>) -> tensor<7x13xf32> {
  %0 = dl.mul %x, %a : tensor<7x13xf32>, tensor<13xf32>
  %1 = dl.add %0, %b : tensor<7x13xf32>, tensor<7x1xf32>
  %2 = dl.relu %1 : tensor<7x13xf32>
  return %2 : tensor<7x13xf32>
}

// RUN: %t.exe affine_relu_784 affine_relu
func.func @affine_relu_784(%x: tensor<784xf32>, %a: tensor<784xf32>, %b: tensor<f32>) -> tensor<784xf32> {
  %0 = dl.mul %x, %a : tensor<784xf32>, tensor<784xf32>
  %1 = dl.add %0, %b : tensor<784xf32>, tensor<f32>
  %2 = dl.relu %1 : tensor<784xf32>
  return %2 : tensor<784xf32>
}

// K in cache blocks of 256 (K > 1024); then with a bias + ReLU epilogue on
// the cache tile after the blocks.
// RUN: %t.exe mm_long_k matmul
func.func @mm_long_k(%a: tensor<16x2304xf32>, %b: tensor<2304x64xf32>) -> tensor<16x64xf32> {
  %0 = dl.matmul %a, %b : tensor<16x2304xf32>, tensor<2304x64xf32>
  return %0 : tensor<16x64xf32>
}

// RUN: %t.exe dense_relu_long_k dense_relu
func.func @dense_relu_long_k(%x: tensor<32x1536xf32>, %w: tensor<1536x64xf32>, %b: tensor<64xf32>) -> tensor<32x64xf32> {
  %0 = dl.matmul %x, %w : tensor<32x1536xf32>, tensor<1536x64xf32>
  %1 = dl.add %0, %b : tensor<32x64xf32>, tensor<64xf32>
  %2 = dl.relu %1 : tensor<32x64xf32>
  return %2 : tensor<32x64xf32>
}
