// dlc-outline-parallel-loops: a kernel's outermost loop marked dlc.parallel
// becomes a task over [begin, end) of its iterations and a call of its
// launcher with the pointers of the kernel parameters it reads; views and
// constants are cloned into the task, a buffer each iteration allocates
// becomes one stack buffer per task, allocated before its tiles. A loop
// whose task could not receive what it reads stays serial.
//
// RUN: dlc-opt %s --split-input-file --dlc-outline-parallel-loops | FileCheck %s

// CHECK-LABEL: func.func private @dlc_kernel_rows(
// CHECK-SAME: %[[X:.+]]: memref<64x16xf32>, %[[Y:.+]]: memref<64x16xf32>)
// CHECK: %[[P:.+]] = memref.alloca() : memref<2xindex>
// CHECK: %[[A:.+]] = memref.extract_aligned_pointer_as_index %[[X]]
// CHECK: memref.store %[[A]], %[[P]][%{{.+}}] : memref<2xindex>
// CHECK: %[[B:.+]] = memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK: memref.store %[[B]], %[[P]][%{{.+}}] : memref<2xindex>
// CHECK: %[[N:.+]] = arith.constant 16 : index
// CHECK: call @dlc_kernel_rows_par0_launch(%[[P]], %[[N]]) : (memref<2xindex>, index) -> ()
// CHECK-NOT: scf.for
// CHECK: return

// The task: iteration i is rows 4i .. 4i+3; the scratch row is its own.
// CHECK: func.func private @dlc_kernel_rows_par0(%[[BEGIN:.+]]: index, %[[END:.+]]: index, %[[TX:.+]]: memref<64x16xf32>, %[[TY:.+]]: memref<64x16xf32>)
// CHECK-SAME: dlc.kernel
// CHECK: %[[S:.+]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK: scf.for %[[I:.+]] = %[[BEGIN]] to %[[END]] step %{{.+}} {
// CHECK:   %[[M:.+]] = arith.muli %[[I]], %{{.+}} : index
// CHECK:   %[[ROW:.+]] = arith.addi %{{.+}}, %[[M]] : index
// CHECK:   memref.subview %[[TX]][%[[ROW]], 0]
// CHECK:   memref.copy %{{.+}}, %[[S]]
// CHECK-NOT: memref.alloc(
// CHECK-NOT: memref.dealloc
// CHECK: return
// CHECK: func.func private @dlc_kernel_rows_par0_launch(memref<2xindex>, index) attributes {dlc.parallel_body = @dlc_kernel_rows_par0}

func.func private @dlc_kernel_rows(%x: memref<64x16xf32>, %y: memref<64x16xf32>) attributes {dlc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c4 {
    %row = memref.subview %x[%i, 0] [1, 16] [1, 1] : memref<64x16xf32> to memref<16xf32, strided<[1], offset: ?>>
    %s = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
    memref.copy %row, %s : memref<16xf32, strided<[1], offset: ?>> to memref<16xf32>
    %out = memref.subview %y[%i, 0] [1, 16] [1, 1] : memref<64x16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.copy %s, %out : memref<16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.dealloc %s : memref<16xf32>
  } {dlc.parallel}
  return
}

// -----

// A band of marked loops perfectly nested (a matmul's N and M cache tiles:
// 2 x 4 tiles) runs as one loop of 8 iterations, the outer level slowest.
// CHECK-LABEL: func.func private @dlc_kernel_band(
// CHECK: %[[N:.+]] = arith.constant 8 : index
// CHECK: call @dlc_kernel_band_par0_launch(%{{.+}}, %[[N]])
// CHECK: func.func private @dlc_kernel_band_par0(
// CHECK: scf.for %[[C:.+]] = %arg0 to %arg1
// CHECK:   %[[C4:.+]] = arith.constant 4 : index
// CHECK:   %[[J:.+]] = arith.divui %[[C]], %[[C4]] : index
// CHECK:   arith.muli %[[J]], %{{.+}} : index
// CHECK:   %[[C4B:.+]] = arith.constant 4 : index
// CHECK:   %[[I:.+]] = arith.remui %[[C]], %[[C4B]] : index
// CHECK:   arith.muli %[[I]], %{{.+}} : index
// CHECK-NOT: scf.for
// CHECK: return

func.func private @dlc_kernel_band(%y: memref<64x64xf32>) attributes {dlc.kernel} {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %f = arith.constant 1.0 : f32
  scf.for %j = %c0 to %c64 step %c32 {
    scf.for %i = %c0 to %c64 step %c16 {
      memref.store %f, %y[%i, %j] : memref<64x64xf32>
    } {dlc.parallel}
  } {dlc.parallel}
  return
}

// -----

// An index parameter (the step of a loop body's kernel) is passed by value.
// CHECK-LABEL: func.func private @dlc_kernel_step(
// CHECK-SAME: %[[T:[a-z0-9]+]]: index)
// CHECK: memref.store %[[T]], %{{.+}}[%{{.+}}] : memref<2xindex>
// CHECK: call @dlc_kernel_step_par0_launch(
// CHECK: func.func private @dlc_kernel_step_par0(%{{.+}}: index, %{{.+}}: index, %{{.+}}: index, %{{.+}}: memref<8x64xf32>)

func.func private @dlc_kernel_step(%y: memref<8x64xf32>, %t: index) attributes {dlc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %f = arith.index_cast %t : index to i32
  %v = arith.sitofp %f : i32 to f32
  scf.for %i = %c0 to %c64 step %c1 {
    memref.store %v, %y[%t, %i] : memref<8x64xf32>
  } {dlc.parallel}
  return
}

// -----

// A value loaded before the loop is not a parameter the task can receive:
// the loop stays as it is, unmarked.
// CHECK-LABEL: func.func private @dlc_kernel_scaled(
// CHECK: memref.load
// CHECK: scf.for
// CHECK-NOT: dlc.parallel
// CHECK-NOT: _launch

func.func private @dlc_kernel_scaled(%a: memref<f32>, %y: memref<64xf32>) attributes {dlc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %s = memref.load %a[] : memref<f32>
  scf.for %i = %c0 to %c64 step %c1 {
    memref.store %s, %y[%i] : memref<64xf32>
  } {dlc.parallel}
  return
}

// -----

// A loop of one iteration is not worth a task.
// CHECK-LABEL: func.func private @dlc_kernel_once(
// CHECK: scf.for
// CHECK-NOT: _launch

func.func private @dlc_kernel_once(%y: memref<64xf32>) attributes {dlc.kernel} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %f = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c64 step %c64 {
    memref.store %f, %y[%i] : memref<64xf32>
  } {dlc.parallel}
  return
}
