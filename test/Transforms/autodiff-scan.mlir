// RUN: dlc-opt %s --dl-autodiff | FileCheck %s
// The IR does not grow with the length: the gradient of 512 steps is the
// gradient of 16 with only the length changed, in dl after autodiff, and
// 512 and 2048 steps give as many lines of the LLVM dialect at the end of
// the pipeline (a short sequence may tile the matmuls that the hoisting of
// dl-hoist-scan-invariants puts after the loop, of B T rows, differently;
// serial code: which kernels are worth threads depends on their work).
// RUN: dlc-opt %s --dl-autodiff | sed -e 's/x16x/xTx/g' -e 's/length 16/length T/g' > %t.16
// RUN: sed -e 's/x16x/x512x/g' -e 's/length 16/length 512/g' %s > %t.512.mlir
// RUN: dlc-opt %t.512.mlir --dl-autodiff | sed -e 's/x512x/xTx/g' -e 's/length 512/length T/g' > %t.512
// RUN: diff %t.16 %t.512
// RUN: sed -e 's/x16x/x2048x/g' -e 's/length 16/length 2048/g' %s > %t.2048.mlir
// RUN: dlc compile %t.512.mlir --parallel=off --emit=llvm-dialect -o - | wc -l > %t.n512
// RUN: dlc compile %t.2048.mlir --parallel=off --emit=llvm-dialect -o - | wc -l > %t.n2048
// RUN: diff %t.n512 %t.n2048
// The workspace plan names the scan's line beside its stacks and its tape
// (4 x 16 steps of 5 floats: 1280 bytes).
// RUN: dlc compile %s --emit=memory-plan -o - | FileCheck %s --check-prefix=PLAN
// PLAN: function rnn_grad:
// PLAN: {{^ +[0-9]+ +[0-9]+ +1280 +[0-9]+\.\.[0-9]+ +}}autodiff-scan.mlir:[[SCAN:[0-9]+]]:14{{$}}
// PLAN: {{^ +[0-9]+ +[0-9]+ +1280 +[0-9]+\.\.[0-9]+ +}}autodiff-scan.mlir:[[SCAN]]:14{{$}}

// The gradient of a scan: the forward scan again, stacking what the step's
// VJP reads (here the carry on entry: tanh's result is the output hs,
// already stacked), then one reverse scan over the sequence, the tape and
// hs's cotangent, carrying h's cotangent and the sums of Wx's and Wh's
// gradients, stacking x's cotangent.

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x16x3xf32> {dl.kind = "param", dl.name = "x"}
// CHECK-SAME: %[[H0:[^:]*]]: tensor<4x5xf32> {dl.kind = "param", dl.name = "h0"}
// CHECK-SAME: %[[WX:[^:]*]]: tensor<3x5xf32> {dl.kind = "param", dl.name = "Wx"}
// CHECK-SAME: %[[WH:[^:]*]]: tensor<5x5xf32> {dl.kind = "param", dl.name = "Wh"}
// CHECK: %[[FWD:.*]]:3 = dl.scan(%[[X]]) carry(%[[H0]]) along 1 length 16 : (tensor<4x16x3xf32>), (tensor<4x5xf32>) -> (tensor<4x5xf32>, tensor<4x16x5xf32>, tensor<4x16x5xf32>) {
// CHECK-NEXT: ^bb0(%{{.*}}: tensor<4x3xf32>, %[[H:.*]]: tensor<4x5xf32>):
// CHECK: %[[T:.*]] = dl.tanh
// CHECK-NEXT: dl.yield %[[T]], %[[T]], %[[H]] : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
// CHECK: dl.sum %[[FWD]]#1
// CHECK: %[[BWD:.*]]:4 = dl.scan(%[[X]], %[[FWD]]#2, %[[FWD]]#1, %{{.*}}) carry(%{{.*}}, %{{.*}}, %{{.*}}) along 1 length 16 reverse : (tensor<4x16x3xf32>, tensor<4x16x5xf32>, tensor<4x16x5xf32>, tensor<4x16x5xf32>), (tensor<4x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>) -> (tensor<4x5xf32>, tensor<3x5xf32>, tensor<5x5xf32>, tensor<4x16x3xf32>) {
// CHECK: ^bb0(%{{.*}}: tensor<4x3xf32>, %{{.*}}: tensor<4x5xf32>, %{{.*}}: tensor<4x5xf32>, %{{.*}}: tensor<4x5xf32>, %{{.*}}: tensor<4x5xf32>, %[[SX:.*]]: tensor<3x5xf32>, %[[SH:.*]]: tensor<5x5xf32>):
// No forward op is left in the reverse step: it reads the tape.
// CHECK-NOT: dl.tanh
// CHECK: dl.add %[[SX]],
// CHECK: dl.add %[[SH]],
// CHECK: dl.yield
// CHECK: return %{{.*}}, %[[BWD]]#3, %[[BWD]]#0, %[[BWD]]#1, %[[BWD]]#2

module attributes {dl.model = "rnn"} {
func.func @model(%x: tensor<4x16x3xf32> {dl.kind = "param", dl.name = "x"},
    %h0: tensor<4x5xf32> {dl.kind = "param", dl.name = "h0"},
    %wx: tensor<3x5xf32> {dl.kind = "param", dl.name = "Wx"},
    %wh: tensor<5x5xf32> {dl.kind = "param", dl.name = "Wh"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %hT, %hs = dl.scan (%x) carry (%h0) along 1 length 16
      : (tensor<4x16x3xf32>), (tensor<4x5xf32>)
      -> (tensor<4x5xf32>, tensor<4x16x5xf32>) {
  ^bb0(%xt: tensor<4x3xf32>, %h: tensor<4x5xf32>):
    %a = dl.matmul %xt, %wx : tensor<4x3xf32>, tensor<3x5xf32>
    %b = dl.matmul %h, %wh : tensor<4x5xf32>, tensor<5x5xf32>
    %s = dl.add %a, %b : tensor<4x5xf32>, tensor<4x5xf32>
    %h1 = dl.tanh %s : tensor<4x5xf32>
    dl.yield %h1, %h1 : tensor<4x5xf32>, tensor<4x5xf32>
  }
  %l = dl.sum %hs axes = [0, 1, 2] : tensor<4x16x5xf32>
  return %l : tensor<f32>
}
}
