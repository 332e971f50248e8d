// RUN: dlc-opt %s --dlc-plan-memory -split-input-file -verify-diagnostics | FileCheck %s

// The static workspace plan alone: every memref.alloc becomes a view of a new
// trailing workspace argument at an offset from liveness over the function's
// top-level ops; buffers whose live ranges do not overlap share bytes.

// Two buffers live one after the other: both at offset 0, a 64-byte
// workspace, 128 bytes of buffers in all.
// CHECK-LABEL: func.func @disjoint(
// CHECK-SAME: %[[IN:[^:]*]]: memref<16xf32>, %[[OUT:[^:]*]]: memref<16xf32>, %[[WS:[^:]*]]: memref<64xi8> {dlc.workspace})
// CHECK-SAME: dlc.buffer_bytes = 128 : i64
// CHECK-SAME: dlc.memory_plan = [{at = "{{[^"]*}}", bytes = 64 : i64, first = 0 : i64, last = 3 : i64, offset = 0 : i64}, {at = "{{[^"]*}}", bytes = 64 : i64, first = 4 : i64, last = 7 : i64, offset = 0 : i64}]
// CHECK-SAME: dlc.workspace_bytes = 64 : i64
// CHECK-NOT: memref.alloc
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<64xi8> to memref<16xf32>
// CHECK: memref.copy %[[IN]], %[[A]]
// CHECK: memref.copy %[[A]], %[[OUT]]
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C0B]]][] : memref<64xi8> to memref<16xf32>
// CHECK: memref.copy %[[OUT]], %[[B]]
// CHECK: memref.copy %[[B]], %[[OUT]]
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @disjoint(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  memref.copy %a, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %a : memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  memref.copy %out, %b : memref<16xf32> to memref<16xf32>
  memref.copy %b, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  return
}

// -----

// Overlapping lifetimes: distinct, 64-byte aligned offsets. The larger buffer
// is placed first (at 0); a use inside a loop keeps %a alive over the whole
// loop.
// CHECK-LABEL: func.func @overlapping(
// CHECK-SAME: %[[WS:[^:]*]]: memref<192xi8> {dlc.workspace})
// CHECK-SAME: dlc.buffer_bytes = 168 : i64
// CHECK-SAME: dlc.workspace_bytes = 192 : i64
// CHECK: %[[CA:.*]] = arith.constant 128 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[CA]]][] : memref<192xi8> to memref<10xf32>
// CHECK: %[[CB:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[CB]]][] : memref<192xi8> to memref<32xf32>
// CHECK: scf.for
// CHECK: memref.load %[[A]]
// CHECK: memref.store {{.*}}, %[[B]]
func.func @overlapping(%in: memref<10xf32>, %out: memref<32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %a = memref.alloc() : memref<10xf32>
  memref.copy %in, %a : memref<10xf32> to memref<10xf32>
  %b = memref.alloc() : memref<32xf32>
  scf.for %i = %c0 to %c32 step %c1 {
    %v = memref.load %a[%c0] : memref<10xf32>
    memref.store %v, %b[%i] : memref<32xf32>
  }
  memref.copy %b, %out : memref<32xf32> to memref<32xf32>
  return
}

// -----

// A view of a buffer keeps it alive: %b may not reuse %a's bytes while the
// collapsed view of %a is still read.
// CHECK-LABEL: func.func @through_view(
// CHECK-SAME: dlc.workspace_bytes = 128 : i64
// CHECK: memref.view %{{.*}}[%{{.*}}][] : memref<128xi8> to memref<4x4xf32>
// CHECK: memref.collapse_shape
// CHECK: memref.view %{{.*}}[%{{.*}}][] : memref<128xi8> to memref<16xf32>
func.func @through_view(%in: memref<4x4xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<4x4xf32>
  memref.copy %in, %a : memref<4x4xf32> to memref<4x4xf32>
  %flat = memref.collapse_shape %a [[0, 1]] : memref<4x4xf32> into memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  memref.copy %flat, %b : memref<16xf32> to memref<16xf32>
  memref.copy %b, %out : memref<16xf32> to memref<16xf32>
  return
}

// -----

// No buffers: a 1-byte workspace (the C signature keeps its parameter).
// CHECK-LABEL: func.func @none(
// CHECK-SAME: %{{[^:]*}}: memref<1xi8> {dlc.workspace})
// CHECK-SAME: dlc.buffer_bytes = 0 : i64, dlc.memory_plan = [], dlc.workspace_bytes = 0 : i64
func.func @none(%in: memref<4xf32>, %out: memref<4xf32>) {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}

// -----

// A buffer that escapes through a loop's yield cannot be planned.
func.func @escapes_yield(%in: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %in) -> (memref<4xf32>) {
    %a = memref.alloc() : memref<4xf32>
    memref.copy %acc, %a : memref<4xf32> to memref<4xf32>
    // expected-error @+1 {{a buffer escapes through this terminator and cannot be placed in the static workspace}}
    scf.yield %a : memref<4xf32>
  }
  return
}

// -----

// ... nor one that is returned.
func.func @escapes_return(%in: memref<4xf32>) -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  memref.copy %in, %a : memref<4xf32> to memref<4xf32>
  // expected-error @+1 {{a buffer escapes through this terminator}}
  return %a : memref<4xf32>
}

// -----

func.func @dynamic(%n: index) {
  // expected-error @+1 {{only statically shaped, identity-layout buffers can be planned, got 'memref<?xf32>'}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}
