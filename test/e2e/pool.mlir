// dl.max_pool2d, dl.avg_pool2d and their gradients end to end, against
// reference.h's direct definitions (PyTorch's: -inf / zero padding counted in
// the mean, dy to the first maximum of a window, overlapping windows adding
// up): odd sizes that drop a row, stride 1 and 2, padding, unequal windows,
// ties (inputs from {-1, -0.5, 0, 0.5, 1}), NaN, batch 1.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe max_2x2 max_pool2d kernel=2,2 stride=2,2 padding=0,0
func.func @max_2x2(%x: tensor<2x3x8x6xf32>) -> tensor<2x3x4x3xf32> {
  %0 = dl.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<2x3x8x6xf32>
  return %0 : tensor<2x3x4x3xf32>
}

// RUN: %t.exe max_2x2_backward max_pool2d_backward kernel=2,2 stride=2,2 padding=0,0
func.func @max_2x2_backward(%x: tensor<2x3x8x6xf32>, %dy: tensor<2x3x4x3xf32>) -> tensor<2x3x8x6xf32> {
  %0 = dl.max_pool2d_backward %x, %dy kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<2x3x8x6xf32>, tensor<2x3x4x3xf32>
  return %0 : tensor<2x3x8x6xf32>
}

// RUN: %t.exe max_3x3_s2_pad1_odd max_pool2d kernel=3,3 stride=2,2 padding=1,1
func.func @max_3x3_s2_pad1_odd(%x: tensor<1x4x7x9xf32>) -> tensor<1x4x4x5xf32> {
  %0 = dl.max_pool2d %x kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<1x4x7x9xf32>
  return %0 : tensor<1x4x4x5xf32>
}

// RUN: %t.exe max_3x3_s2_pad1_odd_backward max_pool2d_backward kernel=3,3 stride=2,2 padding=1,1
func.func @max_3x3_s2_pad1_odd_backward(%x: tensor<1x4x7x9xf32>, %dy: tensor<1x4x4x5xf32>) -> tensor<1x4x7x9xf32> {
  %0 = dl.max_pool2d_backward %x, %dy kernel = [3, 3] stride = [2, 2] padding = [1, 1] : tensor<1x4x7x9xf32>, tensor<1x4x4x5xf32>
  return %0 : tensor<1x4x7x9xf32>
}

// RUN: %t.exe max_ties max_pool2d kernel=2,2 stride=2,2 padding=0,0 ties
func.func @max_ties(%x: tensor<2x2x6x6xf32>) -> tensor<2x2x3x3xf32> {
  %0 = dl.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<2x2x6x6xf32>
  return %0 : tensor<2x2x3x3xf32>
}

// RUN: %t.exe max_ties_backward max_pool2d_backward kernel=2,2 stride=2,2 padding=0,0 ties
func.func @max_ties_backward(%x: tensor<2x2x6x6xf32>, %dy: tensor<2x2x3x3xf32>) -> tensor<2x2x6x6xf32> {
  %0 = dl.max_pool2d_backward %x, %dy kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<2x2x6x6xf32>, tensor<2x2x3x3xf32>
  return %0 : tensor<2x2x6x6xf32>
}

// RUN: %t.exe max_nan max_pool2d kernel=2,2 stride=2,2 padding=0,0 nan
func.func @max_nan(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = dl.max_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// RUN: %t.exe avg_2x2 avg_pool2d kernel=2,2 stride=2,2 padding=0,0
func.func @avg_2x2(%x: tensor<2x3x8x6xf32>) -> tensor<2x3x4x3xf32> {
  %0 = dl.avg_pool2d %x kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<2x3x8x6xf32>
  return %0 : tensor<2x3x4x3xf32>
}

// RUN: %t.exe avg_2x2_backward avg_pool2d_backward kernel=2,2 stride=2,2 padding=0,0
func.func @avg_2x2_backward(%dy: tensor<2x3x4x3xf32>) -> tensor<2x3x8x6xf32> {
  %0 = dl.avg_pool2d_backward %dy kernel = [2, 2] stride = [2, 2] padding = [0, 0] : tensor<2x3x4x3xf32> -> tensor<2x3x8x6xf32>
  return %0 : tensor<2x3x8x6xf32>
}

// RUN: %t.exe avg_3x2_s1_pad1 avg_pool2d kernel=3,2 stride=1,1 padding=1,1
func.func @avg_3x2_s1_pad1(%x: tensor<1x2x5x7xf32>) -> tensor<1x2x5x8xf32> {
  %0 = dl.avg_pool2d %x kernel = [3, 2] stride = [1, 1] padding = [1, 1] : tensor<1x2x5x7xf32>
  return %0 : tensor<1x2x5x8xf32>
}

// RUN: %t.exe avg_3x2_s1_pad1_backward avg_pool2d_backward kernel=3,2 stride=1,1 padding=1,1
func.func @avg_3x2_s1_pad1_backward(%dy: tensor<1x2x5x8xf32>) -> tensor<1x2x5x7xf32> {
  %0 = dl.avg_pool2d_backward %dy kernel = [3, 2] stride = [1, 1] padding = [1, 1] : tensor<1x2x5x8xf32> -> tensor<1x2x5x7xf32>
  return %0 : tensor<1x2x5x7xf32>
}

// Windows that tile the input with gaps (kernel 2, stride 3) and a last row
// that no window reads: the window-view lowering.
// RUN: %t.exe max_gaps max_pool2d kernel=2,2 stride=3,3 padding=0,0
func.func @max_gaps(%x: tensor<2x3x7x9xf32>) -> tensor<2x3x2x3xf32> {
  %0 = dl.max_pool2d %x kernel = [2, 2] stride = [3, 3] padding = [0, 0] : tensor<2x3x7x9xf32>
  return %0 : tensor<2x3x2x3xf32>
}

// RUN: %t.exe max_gaps_backward max_pool2d_backward kernel=2,2 stride=3,3 padding=0,0 ties
func.func @max_gaps_backward(%x: tensor<2x3x7x9xf32>, %dy: tensor<2x3x2x3xf32>) -> tensor<2x3x7x9xf32> {
  %0 = dl.max_pool2d_backward %x, %dy kernel = [2, 2] stride = [3, 3] padding = [0, 0] : tensor<2x3x7x9xf32>, tensor<2x3x2x3xf32>
  return %0 : tensor<2x3x7x9xf32>
}

// RUN: %t.exe avg_gaps_backward avg_pool2d_backward kernel=2,2 stride=3,3 padding=0,0
func.func @avg_gaps_backward(%dy: tensor<2x3x2x3xf32>) -> tensor<2x3x7x9xf32> {
  %0 = dl.avg_pool2d_backward %dy kernel = [2, 2] stride = [3, 3] padding = [0, 0] : tensor<2x3x2x3xf32> -> tensor<2x3x7x9xf32>
  return %0 : tensor<2x3x7x9xf32>
}
