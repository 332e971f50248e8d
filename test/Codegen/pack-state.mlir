// RUN: dlc-opt %s --dlc-pack-state -split-input-file | FileCheck %s

// Parameters (dl.kind = "param") leave the signature: one leading state
// buffer holds them at 64-byte aligned offsets in argument order (l.W: 60
// bytes at 0, l.b at 64, 128 bytes in all), each viewed where it was used;
// the function is renamed after the module's dl.model and records its C ABI.
// Private functions are left alone.

// The state layout is recorded once (before or inside the function,
// depending on where the ABI lives), the function's own arguments in order.
// CHECK-DAG: {bytes = 60 : i64, dtype = "f32", kind = "param", name = "l.W", offset = 0 : i64, shape = array<i64: 3, 5>}
// CHECK-DAG: {bytes = 20 : i64, dtype = "f32", kind = "param", name = "l.b", offset = 64 : i64, shape = array<i64: 5>}
// CHECK-DAG: state_bytes = 128 : i64
// CHECK-DAG: func.func @m_forward(%[[STATE:[^:]*]]: memref<128xi8> {dlc.state}, %[[X:[^:]*]]: memref<4x3xf32> {dl.kind = "input", dl.name = "x"}, %[[OUT:[^:]*]]: memref<4x5xf32> {bufferize.result})
// CHECK-DAG: dlc.abi = {args = [{bytes = 48 : i64, dtype = "f32", kind = "input", name = "x", shape = array<i64: 4, 3>}, {bytes = 80 : i64, dtype = "f32", kind = "output", name = "result3", shape = array<i64: 4, 5>}]
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[W:.*]] = memref.view %[[STATE]][%[[C0]]][] : memref<128xi8> to memref<3x5xf32>
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[B:.*]] = memref.view %[[STATE]][%[[C64]]][] : memref<128xi8> to memref<5xf32>
// CHECK: linalg.matmul ins(%[[X]], %[[W]] : memref<4x3xf32>, memref<3x5xf32>) outs(%[[OUT]] : memref<4x5xf32>)
// CHECK: memref.load %[[B]]
// CHECK-LABEL: func.func private @helper(
// CHECK-SAME: memref<3x5xf32> {dl.kind = "param"})
module attributes {dl.model = "m"} {
  func.func @forward(%x: memref<4x3xf32> {dl.kind = "input", dl.name = "x"},
                     %w: memref<3x5xf32> {dl.kind = "param", dl.name = "l.W"},
                     %b: memref<5xf32> {dl.kind = "param", dl.name = "l.b"},
                     %out: memref<4x5xf32> {bufferize.result}) {
    linalg.matmul ins(%x, %w : memref<4x3xf32>, memref<3x5xf32>)
                  outs(%out : memref<4x5xf32>)
    %c0 = arith.constant 0 : index
    %v = memref.load %b[%c0] : memref<5xf32>
    memref.store %v, %out[%c0, %c0] : memref<4x5xf32>
    return
  }
  func.func private @helper(%w: memref<3x5xf32> {dl.kind = "param"}) {
    return
  }
}

// -----

// Without parameters there is no state argument; without dl.model no
// renaming. Unnamed arguments are inputs (argN) or outputs (resultN).
// CHECK-LABEL: func.func @plain(
// CHECK-SAME: %{{[^:]*}}: memref<7xf32>, %{{[^:]*}}: memref<7xi32> {bufferize.result})
// CHECK-SAME: dlc.abi = {args = [{bytes = 28 : i64, dtype = "f32", kind = "input", name = "arg0", shape = array<i64: 7>}, {bytes = 28 : i64, dtype = "i32", kind = "output", name = "result1", shape = array<i64: 7>}]
// CHECK-NOT: memref.view
func.func @plain(%x: memref<7xf32>, %y: memref<7xi32> {bufferize.result}) {
  return
}

// -----

// Sizes that are already multiples of 64 and a 0-d parameter: offsets 0,
// 256 and 320, 384 bytes.
// CHECK-DAG: {bytes = 256 : i64, dtype = "f32", kind = "param", name = "a", offset = 0 : i64, shape = array<i64: 8, 8>}
// CHECK-DAG: {bytes = 4 : i64, dtype = "f32", kind = "param", name = "s", offset = 256 : i64, shape = array<i64>}
// CHECK-DAG: {bytes = 64 : i64, dtype = "f64", kind = "param", name = "d", offset = 320 : i64, shape = array<i64: 8>}
// CHECK-DAG: func.func @n_f(%{{[^:]*}}: memref<384xi8> {dlc.state})
module attributes {dl.model = "n"} {
  func.func @f(%a: memref<8x8xf32> {dl.kind = "param", dl.name = "a"},
               %s: memref<f32> {dl.kind = "param", dl.name = "s"},
               %d: memref<8xf64> {dl.kind = "param", dl.name = "d"}) {
    return
  }
}
