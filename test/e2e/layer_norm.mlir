// dl.layer_norm and dl.layer_norm_backward end to end, against reference.h:
// [B, T, D] with odd sizes, a wide row, a vector (0-d statistics), f64. The
// backward op takes its mean and rstd as inputs (any positive rstd).
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe ln_btd layer_norm eps=1e-5
func.func @ln_btd(%x: tensor<3x5x7xf32>, %g: tensor<7xf32>, %b: tensor<7xf32>) -> (tensor<3x5x7xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %y, %m, %r = dl.layer_norm %x, %g, %b eps = 1.000000e-05 : tensor<3x5x7xf32>, tensor<7xf32>
  return %y, %m, %r : tensor<3x5x7xf32>, tensor<3x5xf32>, tensor<3x5xf32>
}

// RUN: %t.exe ln_wide layer_norm eps=1e-3 range=2,3
func.func @ln_wide(%x: tensor<6x130xf32>, %g: tensor<130xf32>, %b: tensor<130xf32>) -> (tensor<6x130xf32>, tensor<6xf32>, tensor<6xf32>) {
  %y, %m, %r = dl.layer_norm %x, %g, %b eps = 1.000000e-03 : tensor<6x130xf32>, tensor<130xf32>
  return %y, %m, %r : tensor<6x130xf32>, tensor<6xf32>, tensor<6xf32>
}

// RUN: %t.exe ln_vector layer_norm eps=1e-5
func.func @ln_vector(%x: tensor<9xf32>, %g: tensor<9xf32>, %b: tensor<9xf32>) -> (tensor<9xf32>, tensor<f32>, tensor<f32>) {
  %y, %m, %r = dl.layer_norm %x, %g, %b eps = 1.000000e-05 : tensor<9xf32>, tensor<9xf32>
  return %y, %m, %r : tensor<9xf32>, tensor<f32>, tensor<f32>
}

// RUN: %t.exe ln_f64 layer_norm eps=1e-5
func.func @ln_f64(%x: tensor<2x3x5xf64>, %g: tensor<5xf64>, %b: tensor<5xf64>) -> (tensor<2x3x5xf64>, tensor<2x3xf64>, tensor<2x3xf64>) {
  %y, %m, %r = dl.layer_norm %x, %g, %b eps = 1.000000e-05 : tensor<2x3x5xf64>, tensor<5xf64>
  return %y, %m, %r : tensor<2x3x5xf64>, tensor<2x3xf64>, tensor<2x3xf64>
}

// RUN: %t.exe lnb_btd layer_norm_backward range=0.25,2
func.func @lnb_btd(%x: tensor<3x5x7xf32>, %dy: tensor<3x5x7xf32>, %g: tensor<7xf32>, %m: tensor<3x5xf32>, %r: tensor<3x5xf32>) -> (tensor<3x5x7xf32>, tensor<7xf32>, tensor<7xf32>) {
  %dx, %dg, %db = dl.layer_norm_backward %x, %dy, %g, %m, %r : tensor<3x5x7xf32>, tensor<7xf32>, tensor<3x5xf32>
  return %dx, %dg, %db : tensor<3x5x7xf32>, tensor<7xf32>, tensor<7xf32>
}

// RUN: %t.exe lnb_wide layer_norm_backward range=0.25,2
func.func @lnb_wide(%x: tensor<6x130xf32>, %dy: tensor<6x130xf32>, %g: tensor<130xf32>, %m: tensor<6xf32>, %r: tensor<6xf32>) -> (tensor<6x130xf32>, tensor<130xf32>, tensor<130xf32>) {
  %dx, %dg, %db = dl.layer_norm_backward %x, %dy, %g, %m, %r : tensor<6x130xf32>, tensor<130xf32>, tensor<6xf32>
  return %dx, %dg, %db : tensor<6x130xf32>, tensor<130xf32>, tensor<130xf32>
}

// RUN: %t.exe lnb_vector layer_norm_backward range=0.25,2
func.func @lnb_vector(%x: tensor<9xf32>, %dy: tensor<9xf32>, %g: tensor<9xf32>, %m: tensor<f32>, %r: tensor<f32>) -> (tensor<9xf32>, tensor<9xf32>, tensor<9xf32>) {
  %dx, %dg, %db = dl.layer_norm_backward %x, %dy, %g, %m, %r : tensor<9xf32>, tensor<9xf32>, tensor<f32>
  return %dx, %dg, %db : tensor<9xf32>, tensor<9xf32>, tensor<9xf32>
}
