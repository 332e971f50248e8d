// conv_resnet_block: x 64x16x28x28, w 16x16x3x3; the basic blocks of examples/resnet_mini.dl
// (3 blocks of 2 such convolutions).
// f32, NCHW activations, OIHW filters, 3x3, stride 1, padding 1: the forward
// convolution (_fwd), its input gradient (_dx) and its filter gradient (_dw).
// Compiled by benchmarks/CMakeLists.txt (dlc_compile_kernel); bench_conv.cpp times
// each beside oneDNN's convolution_forward, _backward_data and _backward_weights.
func.func @conv_resnet_block_fwd(%x: tensor<64x16x28x28xf32>, %w: tensor<16x16x3x3xf32>) -> tensor<64x16x28x28xf32> {
  %0 = dl.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x16x28x28xf32>, tensor<16x16x3x3xf32>
  return %0 : tensor<64x16x28x28xf32>
}

func.func @conv_resnet_block_dx(%dy: tensor<64x16x28x28xf32>, %w: tensor<16x16x3x3xf32>) -> tensor<64x16x28x28xf32> {
  %0 = dl.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x16x28x28xf32>, tensor<16x16x3x3xf32> -> tensor<64x16x28x28xf32>
  return %0 : tensor<64x16x28x28xf32>
}

func.func @conv_resnet_block_dw(%x: tensor<64x16x28x28xf32>, %dy: tensor<64x16x28x28xf32>) -> tensor<16x16x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x16x28x28xf32>, tensor<64x16x28x28xf32> -> tensor<16x16x3x3xf32>
  return %0 : tensor<16x16x3x3xf32>
}
