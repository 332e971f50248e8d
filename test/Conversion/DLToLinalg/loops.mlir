// RUN: dlc-opt %s -convert-dl-to-linalg | FileCheck %s

// dl.scan -> one scf.for over the length, whatever it is: the carries start
// as copies of the inits and the stacks as empty tensors (iteration
// arguments; alloc_tensor, one per stack); step t reads rank-reducing slices at t (length - 1 - t in
// reverse), stores its outputs at t, then materializes each new carry in
// its iteration argument.

// CHECK-LABEL: func.func @rnn(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x512x3xf32>, %[[H0:[^:]*]]: tensor<4x5xf32>
// The carry starts as a copy of the init in a buffer of its own.
// CHECK: %[[OWN:.*]] = bufferization.alloc_tensor() : tensor<4x5xf32>
// CHECK: %[[INIT:.*]] = bufferization.materialize_in_destination %[[H0]] in %[[OWN]]
// CHECK: %[[STACK:.*]] = bufferization.alloc_tensor() : tensor<4x512x5xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C512:.*]] = arith.constant 512 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %[[C0]] to %[[C512]] step %[[C1]] iter_args(%[[H:.*]] = %[[INIT]], %[[HS:.*]] = %[[STACK]]) -> (tensor<4x5xf32>, tensor<4x512x5xf32>) {
// CHECK: %[[XT:.*]] = tensor.extract_slice %[[X]][0, %[[T]], 0] [4, 1, 3] [1, 1, 1] : tensor<4x512x3xf32> to tensor<4x3xf32>
// CHECK: linalg.matmul ins(%[[XT]], {{.*}})
// CHECK: linalg.matmul ins(%[[H]], {{.*}})
// CHECK: arith.addf
// CHECK: %[[H1:.*]] = linalg.generic
// CHECK: math.tanh
// CHECK: %[[NEWHS:.*]] = tensor.insert_slice %[[H1]] into %[[HS]][0, %[[T]], 0] [4, 1, 5] [1, 1, 1] : tensor<4x5xf32> into tensor<4x512x5xf32>
// CHECK: %[[NEWH:.*]] = bufferization.materialize_in_destination %[[H1]] in %[[H]]
// CHECK: scf.yield %[[NEWH]], %[[NEWHS]]
// CHECK-NOT: scf.for
// CHECK: return %[[LOOP]]#0, %[[LOOP]]#1
func.func @rnn(%x: tensor<4x512x3xf32>, %h0: tensor<4x5xf32>, %wx: tensor<3x5xf32>, %wh: tensor<5x5xf32>) -> (tensor<4x5xf32>, tensor<4x512x5xf32>) {
  %hT, %hs = dl.scan (%x) carry (%h0) along 1 length 512
      : (tensor<4x512x3xf32>), (tensor<4x5xf32>)
      -> (tensor<4x5xf32>, tensor<4x512x5xf32>) {
  ^bb0(%xt: tensor<4x3xf32>, %h: tensor<4x5xf32>):
    %a = dl.matmul %xt, %wx : tensor<4x3xf32>, tensor<3x5xf32>
    %b = dl.matmul %h, %wh : tensor<4x5xf32>, tensor<5x5xf32>
    %s = dl.add %a, %b : tensor<4x5xf32>, tensor<4x5xf32>
    %h1 = dl.tanh %s : tensor<4x5xf32>
    dl.yield %h1, %h1 : tensor<4x5xf32>, tensor<4x5xf32>
  }
  return %hT, %hs : tensor<4x5xf32>, tensor<4x512x5xf32>
}

// CHECK-LABEL: func.func @reverse(
// CHECK: scf.for %[[T:[^ ]*]] =
// CHECK: %[[C7:.*]] = arith.constant 7 : index
// CHECK: %[[R:.*]] = arith.subi %[[C7]], %[[T]] : index
// CHECK: tensor.extract_slice %{{.*}}[%[[R]], 0] [1, 3] [1, 1] : tensor<8x3xf32> to tensor<3xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[R]]] [1] [1] : tensor<f32> into tensor<8xf32>
func.func @reverse(%x: tensor<8x3xf32>) -> tensor<8xf32> {
  %s = dl.scan (%x) carry () along 0 length 8 reverse
      : (tensor<8x3xf32>), () -> (tensor<8xf32>) {
  ^bb0(%xt: tensor<3xf32>):
    %r = dl.sum %xt axes = [0] : tensor<3xf32>
    dl.yield %r : tensor<f32>
  }
  return %s : tensor<8xf32>
}
