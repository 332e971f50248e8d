// conv_vgg_c4: x 64x64x14x14, w 64x64x3x3; c4 of examples/vgg_mini.dl.
// f32, NCHW activations, OIHW filters, 3x3, stride 1, padding 1: the forward
// convolution (_fwd), its input gradient (_dx) and its filter gradient (_dw).
// Compiled by benchmarks/CMakeLists.txt (dlc_compile_kernel); bench_conv.cpp times
// each beside oneDNN's convolution_forward, _backward_data and _backward_weights.
func.func @conv_vgg_c4_fwd(%x: tensor<64x64x14x14xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<64x64x14x14xf32> {
  %0 = dl.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x64x14x14xf32>, tensor<64x64x3x3xf32>
  return %0 : tensor<64x64x14x14xf32>
}

func.func @conv_vgg_c4_dx(%dy: tensor<64x64x14x14xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<64x64x14x14xf32> {
  %0 = dl.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x64x14x14xf32>, tensor<64x64x3x3xf32> -> tensor<64x64x14x14xf32>
  return %0 : tensor<64x64x14x14xf32>
}

func.func @conv_vgg_c4_dw(%x: tensor<64x64x14x14xf32>, %dy: tensor<64x64x14x14xf32>) -> tensor<64x64x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x64x14x14xf32>, tensor<64x64x14x14xf32> -> tensor<64x64x3x3xf32>
  return %0 : tensor<64x64x3x3xf32>
}
