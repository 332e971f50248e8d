// dlc-lower-parallel-launch: a model gets its hook (two null globals and the
// exported setter M_set_parallel_for), each launcher a trampoline that
// reads its task's pointers (marked as a thread entry, so it sets the
// model's float mode) and a definition that calls the hook, or the
// trampoline over the whole range when no hook is set.
//
// RUN: dlc-opt %s --split-input-file --dlc-lower-parallel-launch | FileCheck %s

// CHECK: llvm.mlir.global internal @dlc_parallel_for_fn() {{.*}} : !llvm.ptr
// CHECK: llvm.mlir.zero : !llvm.ptr
// CHECK: llvm.mlir.global internal @dlc_parallel_for_pool() {{.*}} : !llvm.ptr
// CHECK-LABEL: llvm.func @m_set_parallel_for(%arg0: !llvm.ptr, %arg1: !llvm.ptr)
// CHECK: llvm.store %arg0, %{{.+}} : !llvm.ptr, !llvm.ptr
// CHECK: llvm.store %arg1, %{{.+}} : !llvm.ptr, !llvm.ptr

// CHECK-LABEL: llvm.func internal @k_par0_launch(%arg0: !llvm.ptr, %arg1: i64)
// CHECK-NOT: dlc.parallel_body
// CHECK: %[[FN:.+]] = llvm.load %{{.+}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[NONE:.+]] = llvm.icmp "eq" %[[FN]], %{{.+}} : !llvm.ptr
// CHECK: llvm.cond_br %[[NONE]], ^[[SERIAL:.+]], ^[[POOL:.+]]
// CHECK: ^[[SERIAL]]:
// CHECK: llvm.call @k_par0_task(%arg0, %{{.+}}, %arg1) : (!llvm.ptr, i64, i64) -> ()
// CHECK: ^[[POOL]]:
// CHECK: %[[TASK:.+]] = llvm.mlir.addressof @k_par0_task : !llvm.ptr
// CHECK: llvm.call %[[FN]](%{{.+}}, %[[TASK]], %arg0, %arg1) : !llvm.ptr, (!llvm.ptr, !llvm.ptr, !llvm.ptr, i64) -> ()

// CHECK-LABEL: llvm.func internal @k_par0_task(%arg0: !llvm.ptr, %arg1: i64, %arg2: i64)
// CHECK-SAME: passthrough = ["dlc-thread-entry"]
// CHECK: %[[P0:.+]] = llvm.load %{{.+}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[S1:.+]] = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[P1:.+]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[S2:.+]] = llvm.getelementptr %arg0[2] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK: %[[T:.+]] = llvm.load %[[S2]] : !llvm.ptr -> i64
// CHECK: llvm.call @k_par0(%arg1, %arg2, %[[P0]], %[[P1]], %[[T]])

module attributes {dl.model = "m"} {
  llvm.func internal @k_par0(%b: i64, %e: i64, %x: !llvm.ptr, %y: !llvm.ptr, %t: i64) {
    llvm.return
  }
  llvm.func @k_par0_launch(!llvm.ptr, i64) attributes {dlc.parallel_body = @k_par0}
}

// -----

// A module that is not a model has no setter (objects of several such
// modules link together); its tasks run on the calling thread.
// CHECK-LABEL: llvm.mlir.global internal @dlc_parallel_for_fn()
// CHECK-NOT: set_parallel_for
// CHECK: llvm.func internal @k_par0_launch(
module {
  llvm.func internal @k_par0(%b: i64, %e: i64) {
    llvm.return
  }
  llvm.func @k_par0_launch(!llvm.ptr, i64) attributes {dlc.parallel_body = @k_par0}
}

// -----

// A module that is not a model and has no tasks is left alone.
// CHECK-LABEL: llvm.func @plain
// CHECK-NOT: set_parallel_for
// CHECK-NOT: dlc_parallel_for
module {
  llvm.func @plain() {
    llvm.return
  }
}
