// RUN: dlc-opt %s --dl-hoist-scan-invariants -split-input-file | FileCheck %s

// The input projection x_t @ Wx of every step becomes one matmul of the
// whole sequence before the loop; the weight's transpose, which reads only
// values from outside, leaves the loop; h @ Wh stays.

// CHECK-LABEL: func.func @rnn(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8x3xf32>, %[[H0:[^:]*]]: tensor<4x5xf32>, %[[WX:[^:]*]]: tensor<3x5xf32>, %[[WH:[^:]*]]: tensor<5x5xf32>
// CHECK: %[[WHT:.*]] = dl.transpose %[[WH]] perm = [1, 0]
// CHECK: %[[FLAT:.*]] = dl.reshape %[[X]] : tensor<4x8x3xf32> -> tensor<32x3xf32>
// CHECK: %[[P:.*]] = dl.matmul %[[FLAT]], %[[WX]] : tensor<32x3xf32>, tensor<3x5xf32>
// CHECK: %[[Y:.*]] = dl.reshape %[[P]] : tensor<32x5xf32> -> tensor<4x8x5xf32>
// x, no longer read in the loop, is no longer one of its sequences.
// CHECK: dl.scan(%[[Y]]) carry(%[[H0]]) along 1 length 8 : (tensor<4x8x5xf32>), (tensor<4x5xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4x5xf32>, %[[H:.*]]: tensor<4x5xf32>):
// CHECK-NEXT: %[[B:.*]] = dl.matmul %[[H]], %[[WHT]]
// CHECK-NEXT: dl.add %[[A]], %[[B]]
// CHECK-NOT: dl.matmul
// CHECK: dl.yield
func.func @rnn(%x: tensor<4x8x3xf32>, %h0: tensor<4x5xf32>, %wx: tensor<3x5xf32>, %wh: tensor<5x5xf32>) -> (tensor<4x5xf32>, tensor<4x8x5xf32>) {
  %hT, %hs = dl.scan (%x) carry (%h0) along 1 length 8
      : (tensor<4x8x3xf32>), (tensor<4x5xf32>)
      -> (tensor<4x5xf32>, tensor<4x8x5xf32>) {
  ^bb0(%xt: tensor<4x3xf32>, %h: tensor<4x5xf32>):
    %a = dl.matmul %xt, %wx : tensor<4x3xf32>, tensor<3x5xf32>
    %wht = dl.transpose %wh perm = [1, 0] : tensor<5x5xf32>
    %b = dl.matmul %h, %wht : tensor<4x5xf32>, tensor<5x5xf32>
    %s = dl.add %a, %b : tensor<4x5xf32>, tensor<4x5xf32>
    %h1 = dl.tanh %s : tensor<4x5xf32>
    dl.yield %h1, %h1 : tensor<4x5xf32>, tensor<4x5xf32>
  }
  return %hT, %hs : tensor<4x5xf32>, tensor<4x8x5xf32>
}

// -----

// Two projections of one time-major sequence (two gates) both leave the
// loop. A matmul of the carry (h @ Wh), or of a slice whose time axis is
// the contracted one, stays.

// CHECK-LABEL: func.func @gates(
// CHECK-COUNT-2: dl.matmul %{{.*}} : tensor<16x3xf32>, tensor<3x5xf32>
// CHECK: dl.scan(%{{.*}}, %{{.*}}) carry(%{{.*}}) along 0 length 8
// CHECK: dl.matmul %{{.*}}, %{{.*}} : tensor<2x5xf32>, tensor<5x5xf32>
// CHECK-NOT: dl.matmul
// CHECK: dl.yield
// CHECK: dl.scan(%{{.*}}) carry(%{{.*}}) along 2 length 3
// CHECK: dl.matmul %{{.*}}, %{{.*}} : tensor<2x2xf32>, tensor<2x2xf32>
func.func @gates(%x: tensor<8x2x3xf32>, %h0: tensor<2x5xf32>, %wz: tensor<3x5xf32>, %wr: tensor<3x5xf32>, %wh: tensor<5x5xf32>, %c: tensor<2x2x3xf32>, %m: tensor<2x2xf32>) -> (tensor<2x5xf32>, tensor<2x2xf32>) {
  %hT = dl.scan (%x) carry (%h0) along 0 length 8
      : (tensor<8x2x3xf32>), (tensor<2x5xf32>) -> (tensor<2x5xf32>) {
  ^bb0(%xt: tensor<2x3xf32>, %h: tensor<2x5xf32>):
    %z = dl.matmul %xt, %wz : tensor<2x3xf32>, tensor<3x5xf32>
    %r = dl.matmul %xt, %wr : tensor<2x3xf32>, tensor<3x5xf32>
    %hh = dl.matmul %h, %wh : tensor<2x5xf32>, tensor<5x5xf32>
    %s = dl.add %z, %r : tensor<2x5xf32>, tensor<2x5xf32>
    %t = dl.add %s, %hh : tensor<2x5xf32>, tensor<2x5xf32>
    dl.yield %t : tensor<2x5xf32>
  }
  %mT = dl.scan (%c) carry (%m) along 2 length 3
      : (tensor<2x2x3xf32>), (tensor<2x2xf32>) -> (tensor<2x2xf32>) {
  ^bb0(%ct: tensor<2x2xf32>, %k: tensor<2x2xf32>):
    %p = dl.matmul %ct, %m : tensor<2x2xf32>, tensor<2x2xf32>
    %q = dl.add %p, %k : tensor<2x2xf32>, tensor<2x2xf32>
    dl.yield %q : tensor<2x2xf32>
  }
  return %hT, %mT : tensor<2x5xf32>, tensor<2x2xf32>
}

// -----

// A reverse step's weight gradient, a carried sum of h_t^T @ dz_t with h_t a
// slice (the tape), is one matmul after the loop of the whole tape and the
// stacked dz_t, added to the sum's init; dz_t, stacked already as an
// output, is read from that stack.

// CHECK-LABEL: func.func @weight_gradient(
// CHECK-SAME: %[[HS:[^:]*]]: tensor<4x8x5xf32>, %[[DZ:[^:]*]]: tensor<4x8x5xf32>, %[[D0:[^:]*]]: tensor<4x5xf32>, %[[S0:[^:]*]]: tensor<5x5xf32>, %[[W:[^:]*]]: tensor<5x5xf32>
// CHECK: %[[R:.*]]:2 = dl.scan(%[[DZ]]) carry(%[[D0]]) along 1 length 8 reverse : (tensor<4x8x5xf32>), (tensor<4x5xf32>) -> (tensor<4x5xf32>, tensor<4x8x5xf32>)
// CHECK-NOT: dl.transpose
// CHECK: dl.yield %{{.*}}, %[[G:.*]] : tensor<4x5xf32>, tensor<4x5xf32>
// CHECK: %[[FH:.*]] = dl.reshape %[[HS]] : tensor<4x8x5xf32> -> tensor<32x5xf32>
// CHECK: %[[FHT:.*]] = dl.transpose %[[FH]] perm = [1, 0] : tensor<32x5xf32>
// CHECK: %[[FG:.*]] = dl.reshape %[[R]]#1 : tensor<4x8x5xf32> -> tensor<32x5xf32>
// CHECK: %[[P:.*]] = dl.matmul %[[FHT]], %[[FG]] : tensor<5x32xf32>, tensor<32x5xf32>
// CHECK: %[[SUM:.*]] = dl.add %[[S0]], %[[P]]
// CHECK: return %[[R]]#0, %[[SUM]], %[[R]]#1
func.func @weight_gradient(%hs: tensor<4x8x5xf32>, %dzs: tensor<4x8x5xf32>, %d0: tensor<4x5xf32>, %s0: tensor<5x5xf32>, %w: tensor<5x5xf32>) -> (tensor<4x5xf32>, tensor<5x5xf32>, tensor<4x8x5xf32>) {
  %d, %s, %gs = dl.scan (%hs, %dzs) carry (%d0, %s0) along 1 length 8 reverse
      : (tensor<4x8x5xf32>, tensor<4x8x5xf32>), (tensor<4x5xf32>, tensor<5x5xf32>)
      -> (tensor<4x5xf32>, tensor<5x5xf32>, tensor<4x8x5xf32>) {
  ^bb0(%h: tensor<4x5xf32>, %dz: tensor<4x5xf32>, %dh: tensor<4x5xf32>, %sum: tensor<5x5xf32>):
    %g = dl.add %dz, %dh : tensor<4x5xf32>, tensor<4x5xf32>
    %ht = dl.transpose %h perm = [1, 0] : tensor<4x5xf32>
    %p = dl.matmul %ht, %g : tensor<5x4xf32>, tensor<4x5xf32>
    %next = dl.add %sum, %p : tensor<5x5xf32>, tensor<5x5xf32>
    %back = dl.matmul %g, %w : tensor<4x5xf32>, tensor<5x5xf32>
    dl.yield %back, %next, %g : tensor<4x5xf32>, tensor<5x5xf32>, tensor<4x5xf32>
  }
  return %d, %s, %gs : tensor<4x5xf32>, tensor<5x5xf32>, tensor<4x8x5xf32>
}
