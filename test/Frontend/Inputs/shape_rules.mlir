// The ops of shape_rules.dl's errors, for the op verifier.
func.func @k(%x: tensor<8x4xf32>, %s: tensor<8x3xf32>) {
  %a = dl.matmul %x, %s : tensor<8x4xf32>, tensor<8x3xf32>
  return
}
// -----
func.func @b(%x: tensor<8x4xf32>, %s: tensor<8x3xf32>) {
  %b = dl.add %x, %s : tensor<8x4xf32>, tensor<8x3xf32>
  return
}
// -----
func.func @p(%t: tensor<2x3x4xf32>) {
  %c = dl.transpose %t perm = [0, 0, 1] : tensor<2x3x4xf32>
  return
}

// -----

func.func @reshape(%x: tensor<8x4xf32>) -> tensor<5x7xf32> {
  %0 = dl.reshape %x : tensor<8x4xf32> -> tensor<5x7xf32>
  return %0 : tensor<5x7xf32>
}
