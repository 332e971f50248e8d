// softmax and log_softmax along every axis (rank 1 to 4, ragged sizes, a
// single class), cross_entropy on 1-D (0-d label), 2-D and 3-D logits with
// i32 and i64 labels, and one_hot (in- and out-of-range labels), end to end. Tolerances (reference.h) add up the exp
// and log approximations' bounds and the n-term sums of the stable formulas;
// logits near +-1000 check that the max is subtracted first.
// RUN: dlc compile %s -o %t.o
// RUN: %e2e_entries %t.h > %t.entries
// RUN: %cxx %cxxflags -include %t.h -DE2E_ENTRIES='"%t.entries"' %e2e_harness %t.o -o %t.exe

// RUN: %t.exe softmax_7x13_a1 softmax axis=1
func.func @softmax_7x13_a1(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.softmax %x axis = 1 : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe softmax_7x13_a0 softmax axis=0
func.func @softmax_7x13_a0(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.softmax %x axis = 0 : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe softmax_5x7x13_a0 softmax axis=0
func.func @softmax_5x7x13_a0(%x: tensor<5x7x13xf32>) -> tensor<5x7x13xf32> {
  %0 = dl.softmax %x axis = 0 : tensor<5x7x13xf32>
  return %0 : tensor<5x7x13xf32>
}

// RUN: %t.exe softmax_5x7x13_a1 softmax axis=1
func.func @softmax_5x7x13_a1(%x: tensor<5x7x13xf32>) -> tensor<5x7x13xf32> {
  %0 = dl.softmax %x axis = 1 : tensor<5x7x13xf32>
  return %0 : tensor<5x7x13xf32>
}

// RUN: %t.exe softmax_5x7x13_a2 softmax axis=2
func.func @softmax_5x7x13_a2(%x: tensor<5x7x13xf32>) -> tensor<5x7x13xf32> {
  %0 = dl.softmax %x axis = 2 : tensor<5x7x13xf32>
  return %0 : tensor<5x7x13xf32>
}

// RUN: %t.exe softmax_97_a0 softmax axis=0
func.func @softmax_97_a0(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.softmax %x axis = 0 : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe softmax_64x10_a1 softmax axis=1
func.func @softmax_64x10_a1(%x: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = dl.softmax %x axis = 1 : tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}

// RUN: %t.exe softmax_1x1_a1 softmax axis=1
func.func @softmax_1x1_a1(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %0 = dl.softmax %x axis = 1 : tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// RUN: %t.exe softmax_3x784_a1 softmax axis=1
func.func @softmax_3x784_a1(%x: tensor<3x784xf32>) -> tensor<3x784xf32> {
  %0 = dl.softmax %x axis = 1 : tensor<3x784xf32>
  return %0 : tensor<3x784xf32>
}

// RUN: %t.exe softmax_2x3x5x7_a3 softmax axis=3
func.func @softmax_2x3x5x7_a3(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.softmax %x axis = 3 : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// RUN: %t.exe log_softmax_7x13_a1 log_softmax axis=1
func.func @log_softmax_7x13_a1(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.log_softmax %x axis = 1 : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe log_softmax_7x13_a0 log_softmax axis=0
func.func @log_softmax_7x13_a0(%x: tensor<7x13xf32>) -> tensor<7x13xf32> {
  %0 = dl.log_softmax %x axis = 0 : tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe log_softmax_5x7x13_a0 log_softmax axis=0
func.func @log_softmax_5x7x13_a0(%x: tensor<5x7x13xf32>) -> tensor<5x7x13xf32> {
  %0 = dl.log_softmax %x axis = 0 : tensor<5x7x13xf32>
  return %0 : tensor<5x7x13xf32>
}

// RUN: %t.exe log_softmax_5x7x13_a1 log_softmax axis=1
func.func @log_softmax_5x7x13_a1(%x: tensor<5x7x13xf32>) -> tensor<5x7x13xf32> {
  %0 = dl.log_softmax %x axis = 1 : tensor<5x7x13xf32>
  return %0 : tensor<5x7x13xf32>
}

// RUN: %t.exe log_softmax_5x7x13_a2 log_softmax axis=2
func.func @log_softmax_5x7x13_a2(%x: tensor<5x7x13xf32>) -> tensor<5x7x13xf32> {
  %0 = dl.log_softmax %x axis = 2 : tensor<5x7x13xf32>
  return %0 : tensor<5x7x13xf32>
}

// RUN: %t.exe log_softmax_97_a0 log_softmax axis=0
func.func @log_softmax_97_a0(%x: tensor<97xf32>) -> tensor<97xf32> {
  %0 = dl.log_softmax %x axis = 0 : tensor<97xf32>
  return %0 : tensor<97xf32>
}

// RUN: %t.exe log_softmax_64x10_a1 log_softmax axis=1
func.func @log_softmax_64x10_a1(%x: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = dl.log_softmax %x axis = 1 : tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}

// RUN: %t.exe log_softmax_1x1_a1 log_softmax axis=1
func.func @log_softmax_1x1_a1(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %0 = dl.log_softmax %x axis = 1 : tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// RUN: %t.exe log_softmax_3x784_a1 log_softmax axis=1
func.func @log_softmax_3x784_a1(%x: tensor<3x784xf32>) -> tensor<3x784xf32> {
  %0 = dl.log_softmax %x axis = 1 : tensor<3x784xf32>
  return %0 : tensor<3x784xf32>
}

// RUN: %t.exe log_softmax_2x3x5x7_a3 log_softmax axis=3
func.func @log_softmax_2x3x5x7_a3(%x: tensor<2x3x5x7xf32>) -> tensor<2x3x5x7xf32> {
  %0 = dl.log_softmax %x axis = 3 : tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x5x7xf32>
}

// Logits around 1000, where exp overflows unless the max is subtracted.
// RUN: %t.exe softmax_large_4x10 softmax axis=1 range=990,1010
func.func @softmax_large_4x10(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = dl.softmax %x axis = 1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// RUN: %t.exe log_softmax_large_4x10 log_softmax axis=1 range=-1010,-990
func.func @log_softmax_large_4x10(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = dl.log_softmax %x axis = 1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// RUN: %t.exe cross_entropy_7x13 cross_entropy
func.func @cross_entropy_7x13(%logits: tensor<7x13xf32>, %y: tensor<7xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<7x13xf32>, tensor<7xi32>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_64x10 cross_entropy
func.func @cross_entropy_64x10(%logits: tensor<64x10xf32>, %y: tensor<64xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi32>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_1x1 cross_entropy
func.func @cross_entropy_1x1(%logits: tensor<1x1xf32>, %y: tensor<1xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<1x1xf32>, tensor<1xi32>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_97x3 cross_entropy
func.func @cross_entropy_97x3(%logits: tensor<97x3xf32>, %y: tensor<97xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<97x3xf32>, tensor<97xi32>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_10 cross_entropy
func.func @cross_entropy_10(%logits: tensor<10xf32>, %y: tensor<i32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<10xf32>, tensor<i32>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_3x5x7 cross_entropy
func.func @cross_entropy_3x5x7(%logits: tensor<3x5x7xf32>, %y: tensor<3x5xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<3x5x7xf32>, tensor<3x5xi32>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_i64_2x3x13 cross_entropy
func.func @cross_entropy_i64_2x3x13(%logits: tensor<2x3x13xf32>, %y: tensor<2x3xi64>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<2x3x13xf32>, tensor<2x3xi64>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_13x784 cross_entropy
func.func @cross_entropy_13x784(%logits: tensor<13x784xf32>, %y: tensor<13xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<13x784xf32>, tensor<13xi32>
  return %0 : tensor<f32>
}

// RUN: %t.exe cross_entropy_large_8x10 cross_entropy range=990,1010
func.func @cross_entropy_large_8x10(%logits: tensor<8x10xf32>, %y: tensor<8xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %logits, %y : tensor<8x10xf32>, tensor<8xi32>
  return %0 : tensor<f32>
}

// one_hot: labels drawn from [-2, C + 1], so some rows are all zero.
// RUN: %t.exe one_hot_7_13 one_hot
func.func @one_hot_7_13(%y: tensor<7xi32>) -> tensor<7x13xf32> {
  %0 = dl.one_hot %y : tensor<7xi32> -> tensor<7x13xf32>
  return %0 : tensor<7x13xf32>
}

// RUN: %t.exe one_hot_64_10 one_hot
func.func @one_hot_64_10(%y: tensor<64xi32>) -> tensor<64x10xf32> {
  %0 = dl.one_hot %y : tensor<64xi32> -> tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}

// RUN: %t.exe one_hot_scalar_4 one_hot
func.func @one_hot_scalar_4(%y: tensor<i32>) -> tensor<4xf32> {
  %0 = dl.one_hot %y : tensor<i32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// RUN: %t.exe one_hot_i64_3x5_10 one_hot
func.func @one_hot_i64_3x5_10(%y: tensor<3x5xi64>) -> tensor<3x5x10xf32> {
  %0 = dl.one_hot %y : tensor<3x5xi64> -> tensor<3x5x10xf32>
  return %0 : tensor<3x5x10xf32>
}

// RUN: %t.exe one_hot_97_1 one_hot
func.func @one_hot_97_1(%y: tensor<97xi32>) -> tensor<97x1xf32> {
  %0 = dl.one_hot %y : tensor<97xi32> -> tensor<97x1xf32>
  return %0 : tensor<97x1xf32>
}
