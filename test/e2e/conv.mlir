// dl.conv2d and its two gradients end to end, against reference.h's direct
// definitions (the backward ones scatter every term of the forward sum, a
// formulation independent of the lowering's transposed correlation): odd
// sizes, stride 2, padding, dilation, groups, depthwise, 1x1, batch 1, and
// rows of 12 or more (the filter gradient by lane partials, ragged or whole).
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe conv_3x3_pad1 conv2d padding=1
func.func @conv_3x3_pad1(%x: tensor<2x3x9x7xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<2x8x9x7xf32> {
  %0 = dl.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x3x9x7xf32>, tensor<8x3x3x3xf32>
  return %0 : tensor<2x8x9x7xf32>
}

// RUN: %t.exe conv_stride2_dil conv2d stride=2,1 padding=1,0 dilation=1,2
func.func @conv_stride2_dil(%x: tensor<1x4x11x10xf32>, %w: tensor<5x4x3x3xf32>) -> tensor<1x5x6x6xf32> {
  %0 = dl.conv2d %x, %w stride = [2, 1] padding = [1, 0] dilation = [1, 2] groups = 1 : tensor<1x4x11x10xf32>, tensor<5x4x3x3xf32>
  return %0 : tensor<1x5x6x6xf32>
}

// RUN: %t.exe conv_depthwise conv2d padding=1 groups=4
func.func @conv_depthwise(%x: tensor<3x4x6x6xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<3x4x6x6xf32> {
  %0 = dl.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 4 : tensor<3x4x6x6xf32>, tensor<4x1x3x3xf32>
  return %0 : tensor<3x4x6x6xf32>
}

// RUN: %t.exe conv_1x1_stride2 conv2d stride=2
func.func @conv_1x1_stride2(%x: tensor<2x16x7x7xf32>, %w: tensor<32x16x1x1xf32>) -> tensor<2x32x4x4xf32> {
  %0 = dl.conv2d %x, %w stride = [2, 2] padding = [0, 0] dilation = [1, 1] groups = 1 : tensor<2x16x7x7xf32>, tensor<32x16x1x1xf32>
  return %0 : tensor<2x32x4x4xf32>
}

// RUN: %t.exe dx_3x3_pad1 conv2d_backward_input padding=1
func.func @dx_3x3_pad1(%dy: tensor<2x8x9x7xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<2x3x9x7xf32> {
  %0 = dl.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x8x9x7xf32>, tensor<8x3x3x3xf32> -> tensor<2x3x9x7xf32>
  return %0 : tensor<2x3x9x7xf32>
}

// RUN: %t.exe dx_stride2_groups conv2d_backward_input stride=2 padding=1,2 groups=2
func.func @dx_stride2_groups(%dy: tensor<2x6x5x4xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x4x10x5xf32> {
  %0 = dl.conv2d_backward_input %dy, %w stride = [2, 2] padding = [1, 2] dilation = [1, 1] groups = 2 : tensor<2x6x5x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x10x5xf32>
  return %0 : tensor<2x4x10x5xf32>
}

// RUN: %t.exe dw_3x3_pad1 conv2d_backward_filter padding=1
func.func @dw_3x3_pad1(%x: tensor<2x3x9x7xf32>, %dy: tensor<2x8x9x7xf32>) -> tensor<8x3x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x3x9x7xf32>, tensor<2x8x9x7xf32> -> tensor<8x3x3x3xf32>
  return %0 : tensor<8x3x3x3xf32>
}

// RUN: %t.exe dw_stride2_dil_groups conv2d_backward_filter stride=2,1 padding=0,1 dilation=2,1 groups=3
func.func @dw_stride2_dil_groups(%x: tensor<1x6x9x6xf32>, %dy: tensor<1x3x3x6xf32>) -> tensor<3x2x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [2, 1] padding = [0, 1] dilation = [2, 1] groups = 3 : tensor<1x6x9x6xf32>, tensor<1x3x3x6xf32> -> tensor<3x2x3x3xf32>
  return %0 : tensor<3x2x3x3xf32>
}

// RUN: %t.exe dw_lanes_ragged conv2d_backward_filter padding=1
func.func @dw_lanes_ragged(%x: tensor<2x5x7x13xf32>, %dy: tensor<2x8x7x13xf32>) -> tensor<8x5x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<2x5x7x13xf32>, tensor<2x8x7x13xf32> -> tensor<8x5x3x3xf32>
  return %0 : tensor<8x5x3x3xf32>
}

// RUN: %t.exe dw_lanes_strided_rows conv2d_backward_filter stride=2,1 padding=0,1 dilation=1,2 groups=3
func.func @dw_lanes_strided_rows(%x: tensor<1x6x10x20xf32>, %dy: tensor<1x9x4x18xf32>) -> tensor<9x2x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [2, 1] padding = [0, 1] dilation = [1, 2] groups = 3 : tensor<1x6x10x20xf32>, tensor<1x9x4x18xf32> -> tensor<9x2x3x3xf32>
  return %0 : tensor<9x2x3x3xf32>
}

// RUN: %t.exe dw_lanes_depthwise conv2d_backward_filter padding=1 groups=4
func.func @dw_lanes_depthwise(%x: tensor<2x4x6x16xf32>, %dy: tensor<2x4x6x16xf32>) -> tensor<4x1x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 4 : tensor<2x4x6x16xf32>, tensor<2x4x6x16xf32> -> tensor<4x1x3x3xf32>
  return %0 : tensor<4x1x3x3xf32>
}

// RUN: %t.exe dw_lanes_one_channel conv2d_backward_filter padding=1
func.func @dw_lanes_one_channel(%x: tensor<3x1x8x14xf32>, %dy: tensor<3x6x8x14xf32>) -> tensor<6x1x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<3x1x8x14xf32>, tensor<3x6x8x14xf32> -> tensor<6x1x3x3xf32>
  return %0 : tensor<6x1x3x3xf32>
}
