// relu(x * a + b) on 2^20 f32, in two forms (the peer is a plain C++ loop):
//   relu_fma_1m:  x, a, b are all tensors of 1M floats (3 streams in, 1 out: 16 MiB/iteration).
//   relu_fma_row: x is 1024x1024, a and b are 1024-float rows broadcast over the rows
//                 (1 stream in, 1 out: 8 MiB/iteration; a and b stay in L1).
func.func @relu_fma_1m(%x: tensor<1048576xf32>, %a: tensor<1048576xf32>,
                       %b: tensor<1048576xf32>) -> tensor<1048576xf32> {
  %0 = dl.mul %x, %a : tensor<1048576xf32>, tensor<1048576xf32>
  %1 = dl.add %0, %b : tensor<1048576xf32>, tensor<1048576xf32>
  %2 = dl.relu %1 : tensor<1048576xf32>
  return %2 : tensor<1048576xf32>
}

func.func @relu_fma_row(%x: tensor<1024x1024xf32>, %a: tensor<1024xf32>,
                        %b: tensor<1024xf32>) -> tensor<1024x1024xf32> {
  %0 = dl.mul %x, %a : tensor<1024x1024xf32>, tensor<1024xf32>
  %1 = dl.add %0, %b : tensor<1024x1024xf32>, tensor<1024xf32>
  %2 = dl.relu %1 : tensor<1024x1024xf32>
  return %2 : tensor<1024x1024xf32>
}
