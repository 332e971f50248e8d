// `dlc compile --emit=memory-plan`: the static workspace plan of each
// generated function. On a 3-layer MLP, buffers whose lifetimes do not
// overlap share bytes, so the peak is below the sum of all buffers (the
// percentage has at most two integer digits: < 100%).
// RUN: dlc compile %s --emit=memory-plan -o - | FileCheck %s
// RUN: dlc compile %s --emit=memory-plan -o %t.plan && FileCheck %s < %t.plan

// CHECK: function mlp3: {{[1-9][0-9]*}} buffers, {{[0-9]+}} bytes in all, workspace peak {{[0-9]+}} bytes ({{[0-9]?[0-9]\.[0-9]}}% of the sum)
// CHECK-NEXT: #   offset      bytes  live (top-level ops)  source
// Two buffers at offset 0 (live at different times).
// CHECK-NEXT: 0          0
// CHECK: {{^ *[0-9]+ +0 +[0-9]+ +[0-9]+\.\.[0-9]+ +memory-plan.mlir:[0-9]+:[0-9]+$}}

func.func @mlp3(%x: tensor<64x784xf32>, %y: tensor<64xi32>,
                %w1: tensor<784x256xf32>, %b1: tensor<256xf32>,
                %w2: tensor<256x256xf32>, %b2: tensor<256xf32>,
                %w3: tensor<256x10xf32>, %b3: tensor<10xf32>)
    -> (tensor<f32>, tensor<64x10xf32>) {
  %0 = dl.matmul %x, %w1 : tensor<64x784xf32>, tensor<784x256xf32>
  %1 = dl.add %0, %b1 : tensor<64x256xf32>, tensor<256xf32>
  %2 = dl.relu %1 : tensor<64x256xf32>
  %3 = dl.matmul %2, %w2 : tensor<64x256xf32>, tensor<256x256xf32>
  %4 = dl.add %3, %b2 : tensor<64x256xf32>, tensor<256xf32>
  %5 = dl.relu %4 : tensor<64x256xf32>
  %6 = dl.matmul %5, %w3 : tensor<64x256xf32>, tensor<256x10xf32>
  %7 = dl.add %6, %b3 : tensor<64x10xf32>, tensor<10xf32>
  %8 = dl.cross_entropy %7, %y : tensor<64x10xf32>, tensor<64xi32>
  return %8, %7 : tensor<f32>, tensor<64x10xf32>
}
