// The forward pass and loss of a 784-256-10 MLP on a batch of 64, written
// directly in the dl dialect. `dlc-opt --canonicalize` folds the constants.
func.func @mlp_forward(%x: tensor<64x784xf32>, %y: tensor<64xi32>,
                       %w1: tensor<784x256xf32>, %b1: tensor<256xf32>,
                       %w2: tensor<256x10xf32>, %b2: tensor<10xf32>)
    -> (tensor<f32>, tensor<64x10xf32>) {
  %scale = dl.fill 1.0 : tensor<64x784xf32>
  %xs = dl.mul %x, %scale : tensor<64x784xf32>, tensor<64x784xf32>
  %h0 = dl.matmul %xs, %w1 : tensor<64x784xf32>, tensor<784x256xf32>
  %h1 = dl.add %h0, %b1 : tensor<64x256xf32>, tensor<256xf32>
  %h = dl.relu %h1 : tensor<64x256xf32>
  %l0 = dl.matmul %h, %w2 : tensor<64x256xf32>, tensor<256x10xf32>
  %logits = dl.add %l0, %b2 : tensor<64x10xf32>, tensor<10xf32>
  %loss = dl.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi32>
  return %loss, %logits : tensor<f32>, tensor<64x10xf32>
}
