// dlc-outline-kernels: each group codegen tiles together becomes one private
// kernel (a matmul with its zero fill and its bias + ReLU epilogue; any other
// op with the fills of its inits), and structurally equal groups share one
// kernel whatever their .dl locations. A kernel called from several sites is
// `no_inline`, so LLVM compiles it once too.
//
// RUN: dlc-opt %s --dlc-lower-to-linalg --dlc-outline-kernels | FileCheck %s
//
// The whole pipeline still produces correct code around the calls: what
// bufferization allocates in a kernel becomes a parameter its callers' plans
// place (no kernel keeps an allocation or returns a buffer).
// RUN: dlc-opt %s --dlc-dl-to-llvm | FileCheck %s --check-prefix=LLVM

// CHECK-LABEL: func.func @two_layers(
// CHECK: %[[H:.+]] = call @[[LAYER:dlc_kernel_matmul[_0-9]*]](%{{.+}}, %arg0, %arg1, %arg2, %{{.+}})
// CHECK: call @[[LAYER]](%{{.+}}, %[[H]], %arg3, %arg4, %{{.+}})
// CHECK: call @[[OTHER:dlc_kernel_matmul[_0-9]*]](
// CHECK-NOT: linalg.
// CHECK: return

// CHECK: func.func private @[[LAYER]](
// CHECK-SAME: attributes {dlc.kernel, llvm.linkage = #llvm.linkage<internal>, no_inline}
// CHECK: linalg.fill
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: return

// CHECK: func.func private @[[OTHER]](
// CHECK-NOT: no_inline
// CHECK-SAME: {
// CHECK: linalg.matmul

// LLVM-LABEL: llvm.func @two_layers(
// LLVM: llvm.call @[[K:dlc_kernel_[a-z_0-9]+]](
// LLVM: llvm.call @[[K]](
// LLVM: llvm.func internal @[[K]](
// LLVM-NOT: llvm.return {{.*}}!llvm.ptr

func.func @two_layers(%x: tensor<48x64xf32>, %w1: tensor<64x64xf32>,
                      %b1: tensor<64xf32>, %w2: tensor<64x64xf32>,
                      %b2: tensor<64xf32>, %w3: tensor<64x32xf32>)
    -> tensor<48x32xf32> {
  %0 = dl.matmul %x, %w1 : tensor<48x64xf32>, tensor<64x64xf32>
  %1 = dl.add %0, %b1 : tensor<48x64xf32>, tensor<64xf32>
  %2 = dl.relu %1 : tensor<48x64xf32>
  %3 = dl.matmul %2, %w2 : tensor<48x64xf32>, tensor<64x64xf32>
  %4 = dl.add %3, %b2 : tensor<48x64xf32>, tensor<64xf32>
  %5 = dl.relu %4 : tensor<48x64xf32>
  %6 = dl.matmul %5, %w3 : tensor<48x64xf32>, tensor<64x32xf32>
  return %6 : tensor<48x32xf32>
}
