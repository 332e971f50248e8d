// dl.batch_norm and dl.batch_norm_backward end to end, against reference.h:
// NCHW with odd sizes, [N, C] (no spatial dims), batch 1, f32 and f64. The
// backward op takes its mean and variance as inputs (any positive variance).
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe bn_nchw batch_norm eps=1e-5
func.func @bn_nchw(%x: tensor<4x3x5x7xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<4x3x5x7xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %m, %v = dl.batch_norm %x, %g, %b eps = 1.000000e-05 : tensor<4x3x5x7xf32>, tensor<3xf32>
  return %y, %m, %v : tensor<4x3x5x7xf32>, tensor<3xf32>, tensor<3xf32>
}

// RUN: %t.exe bn_wide batch_norm eps=1e-3 range=2,3
func.func @bn_wide(%x: tensor<2x16x6x20xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) -> (tensor<2x16x6x20xf32>, tensor<16xf32>, tensor<16xf32>) {
  %y, %m, %v = dl.batch_norm %x, %g, %b eps = 1.000000e-03 : tensor<2x16x6x20xf32>, tensor<16xf32>
  return %y, %m, %v : tensor<2x16x6x20xf32>, tensor<16xf32>, tensor<16xf32>
}

// RUN: %t.exe bn_features batch_norm eps=1e-5
func.func @bn_features(%x: tensor<9x5xf32>, %g: tensor<5xf32>, %b: tensor<5xf32>) -> (tensor<9x5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %y, %m, %v = dl.batch_norm %x, %g, %b eps = 1.000000e-05 : tensor<9x5xf32>, tensor<5xf32>
  return %y, %m, %v : tensor<9x5xf32>, tensor<5xf32>, tensor<5xf32>
}

// RUN: %t.exe bn_f64_batch1 batch_norm eps=1e-5
func.func @bn_f64_batch1(%x: tensor<1x2x3x3xf64>, %g: tensor<2xf64>, %b: tensor<2xf64>) -> (tensor<1x2x3x3xf64>, tensor<2xf64>, tensor<2xf64>) {
  %y, %m, %v = dl.batch_norm %x, %g, %b eps = 1.000000e-05 : tensor<1x2x3x3xf64>, tensor<2xf64>
  return %y, %m, %v : tensor<1x2x3x3xf64>, tensor<2xf64>, tensor<2xf64>
}

// RUN: %t.exe bnb_nchw batch_norm_backward eps=1e-5 range=0.25,2
func.func @bnb_nchw(%x: tensor<4x3x5x7xf32>, %dy: tensor<4x3x5x7xf32>, %g: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<4x3x5x7xf32>, tensor<3xf32>, tensor<3xf32>) {
  %dx, %dg, %db = dl.batch_norm_backward %x, %dy, %g, %m, %v eps = 1.000000e-05 : tensor<4x3x5x7xf32>, tensor<3xf32>
  return %dx, %dg, %db : tensor<4x3x5x7xf32>, tensor<3xf32>, tensor<3xf32>
}

// RUN: %t.exe bnb_wide batch_norm_backward eps=1e-5 range=0.25,2
func.func @bnb_wide(%x: tensor<2x16x6x20xf32>, %dy: tensor<2x16x6x20xf32>, %g: tensor<16xf32>, %m: tensor<16xf32>, %v: tensor<16xf32>) -> (tensor<2x16x6x20xf32>, tensor<16xf32>, tensor<16xf32>) {
  %dx, %dg, %db = dl.batch_norm_backward %x, %dy, %g, %m, %v eps = 1.000000e-05 : tensor<2x16x6x20xf32>, tensor<16xf32>
  return %dx, %dg, %db : tensor<2x16x6x20xf32>, tensor<16xf32>, tensor<16xf32>
}

// RUN: %t.exe bnb_features batch_norm_backward eps=1e-5 range=0.25,2
func.func @bnb_features(%x: tensor<9x5xf32>, %dy: tensor<9x5xf32>, %g: tensor<5xf32>, %m: tensor<5xf32>, %v: tensor<5xf32>) -> (tensor<9x5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %dx, %dg, %db = dl.batch_norm_backward %x, %dy, %g, %m, %v eps = 1.000000e-05 : tensor<9x5xf32>, tensor<5xf32>
  return %dx, %dg, %db : tensor<9x5xf32>, tensor<5xf32>, tensor<5xf32>
}
