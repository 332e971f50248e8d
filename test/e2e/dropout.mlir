// dl.dropout end to end against reference.h's Philox4x32-10 (checked there
// against Random123's known answers): the exact mask of every element for
// random seeds and steps, p from 0 to 0.9, several streams, rank 1 to 4, the
// scale 1 / (1 - p) rounded once. Also f64. A wrong counter, key, round or
// threshold changes most of the mask.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe drop_half dropout p=0.5 stream=0
// RUN: %t.exe drop_half dropout p=0.5 stream=0 seed=7
func.func @drop_half(%x: tensor<64x256xf32>, %seed: tensor<f32>, %step: tensor<f32>) -> tensor<64x256xf32> {
  %0 = dl.dropout %x, %seed, %step p = 5.000000e-01 stream = 0 : tensor<64x256xf32>, tensor<f32>, tensor<f32>
  return %0 : tensor<64x256xf32>
}

// RUN: %t.exe drop_4d dropout p=0.1 stream=12345
func.func @drop_4d(%x: tensor<2x3x5x7xf32>, %seed: tensor<f32>, %step: tensor<f32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.dropout %x, %seed, %step p = 1.000000e-01 stream = 12345 : tensor<2x3x5x7xf32>, tensor<f32>, tensor<f32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe drop_none dropout p=0 stream=1
func.func @drop_none(%x: tensor<33xf32>, %seed: tensor<f32>, %step: tensor<f32>) -> tensor<33xf32> {
  %0 = dl.dropout %x, %seed, %step p = 0.000000e+00 stream = 1 : tensor<33xf32>, tensor<f32>, tensor<f32>
  return %0 : tensor<33xf32>
}

// RUN: %t.exe drop_most_f64 dropout p=0.9 stream=4294967295
func.func @drop_most_f64(%x: tensor<17x19xf64>, %seed: tensor<f64>, %step: tensor<f64>) -> tensor<17x19xf64> {
  %0 = dl.dropout %x, %seed, %step p = 9.000000e-01 stream = 4294967295 : tensor<17x19xf64>, tensor<f64>, tensor<f64>
  return %0 : tensor<17x19xf64>
}

// The harness notices a mask of another stream.
// RUN: not %t.exe drop_half dropout p=0.5 stream=1
