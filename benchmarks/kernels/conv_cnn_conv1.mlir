// conv_cnn_conv1: x 64x1x28x28, w 32x1x3x3; conv1 of examples/cnn.dl, c1 of examples/vgg_mini.dl.
// f32, NCHW activations, OIHW filters, 3x3, stride 1, padding 1: the forward
// convolution (_fwd), its input gradient (_dx) and its filter gradient (_dw).
// Compiled by benchmarks/CMakeLists.txt (dlc_compile_kernel); bench_conv.cpp times
// each beside oneDNN's convolution_forward, _backward_data and _backward_weights.
func.func @conv_cnn_conv1_fwd(%x: tensor<64x1x28x28xf32>, %w: tensor<32x1x3x3xf32>) -> tensor<64x32x28x28xf32> {
  %0 = dl.conv2d %x, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x1x28x28xf32>, tensor<32x1x3x3xf32>
  return %0 : tensor<64x32x28x28xf32>
}

func.func @conv_cnn_conv1_dx(%dy: tensor<64x32x28x28xf32>, %w: tensor<32x1x3x3xf32>) -> tensor<64x1x28x28xf32> {
  %0 = dl.conv2d_backward_input %dy, %w stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x32x28x28xf32>, tensor<32x1x3x3xf32> -> tensor<64x1x28x28xf32>
  return %0 : tensor<64x1x28x28xf32>
}

func.func @conv_cnn_conv1_dw(%x: tensor<64x1x28x28xf32>, %dy: tensor<64x32x28x28xf32>) -> tensor<32x1x3x3xf32> {
  %0 = dl.conv2d_backward_filter %x, %dy stride = [1, 1] padding = [1, 1] dilation = [1, 1] groups = 1 : tensor<64x1x28x28xf32>, tensor<64x32x28x28xf32> -> tensor<32x1x3x3xf32>
  return %0 : tensor<32x1x3x3xf32>
}
