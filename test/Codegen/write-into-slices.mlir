// dlc-write-into-slices: a generic whose result is copied into a box of a
// zero-filled tensor (a convolution's padded input) writes into the box
// instead, only the border is filled (one slab per side, each in place), and
// its other users read the box through a view. dlc-outline-kernels then takes
// the slice and the insert into each kernel, which takes and returns the
// padded tensor (bufferization writes it in place: no copy).
// RUN: dlc-opt %s --dlc-write-into-slices | FileCheck %s
// RUN: dlc-opt %s --dlc-write-into-slices --dlc-outline-kernels | FileCheck %s --check-prefix=OUTLINE

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @pad(%x: tensor<2x3x4x4xf32>) -> (tensor<2x3x6x6xf32>, tensor<2x3x4x4xf32>) {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x4x4xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<2x3x4x4xf32>) outs(%e : tensor<2x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %c0 : f32
    linalg.yield %r : f32
  } -> tensor<2x3x4x4xf32>
  %pe = tensor.empty() : tensor<2x3x6x6xf32>
  %z = linalg.fill ins(%c0 : f32) outs(%pe : tensor<2x3x6x6xf32>) -> tensor<2x3x6x6xf32>
  %p = tensor.insert_slice %y into %z[0, 0, 1, 1] [2, 3, 4, 4] [1, 1, 1, 1] : tensor<2x3x4x4xf32> into tensor<2x3x6x6xf32>
  %e2 = tensor.empty() : tensor<2x3x4x4xf32>
  %w = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y : tensor<2x3x4x4xf32>) outs(%e2 : tensor<2x3x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %in : f32
    linalg.yield %r : f32
  } -> tensor<2x3x4x4xf32>
  return %p, %w : tensor<2x3x6x6xf32>, tensor<2x3x4x4xf32>
}

// CHECK-LABEL: func.func @pad(
// CHECK: %[[BUF:.*]] = bufferization.alloc_tensor() : tensor<2x3x6x6xf32>
// CHECK: %[[TOP:.*]] = tensor.extract_slice %[[BUF]][0, 0, 0, 0] [2, 3, 1, 6]
// CHECK: linalg.fill {{.*}} outs(%[[TOP]] : tensor<2x3x1x6xf32>)
// CHECK: tensor.insert_slice {{.*}}[0, 0, 0, 0] [2, 3, 1, 6]
// CHECK: tensor.extract_slice {{.*}}[0, 0, 5, 0] [2, 3, 1, 6]
// CHECK: tensor.extract_slice {{.*}}[0, 0, 1, 0] [2, 3, 4, 1]
// CHECK: %[[BORDERED:.*]] = tensor.insert_slice {{.*}}[0, 0, 1, 5] [2, 3, 4, 1]
// CHECK: %[[BOX:.*]] = tensor.extract_slice %[[BORDERED]][0, 0, 1, 1] [2, 3, 4, 4]
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} outs(%[[BOX]] : tensor<2x3x4x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[P:.*]] = tensor.insert_slice %[[Y]] into %[[BORDERED]][0, 0, 1, 1] [2, 3, 4, 4]
// CHECK: %[[VIEW:.*]] = tensor.extract_slice %[[P]][0, 0, 1, 1] [2, 3, 4, 4]
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic {{.*}} ins(%[[VIEW]] : tensor<2x3x4x4xf32>)
// CHECK: return %[[P]], %{{.*}}

// OUTLINE-LABEL: func.func @pad(
// OUTLINE: %[[BUF:.*]] = bufferization.alloc_tensor() : tensor<2x3x6x6xf32>
// OUTLINE: %[[F:.*]] = call @dlc_kernel_fill(%[[BUF]]) : (tensor<2x3x6x6xf32>) -> tensor<2x3x6x6xf32>
// OUTLINE-COUNT-3: call @dlc_kernel_fill_
// OUTLINE: %[[P:.*]] = call @dlc_kernel_generic(%{{.*}}, %arg0) : (tensor<2x3x6x6xf32>, tensor<2x3x4x4xf32>) -> tensor<2x3x6x6xf32>
// OUTLINE: call @dlc_kernel_generic_0(%[[P]], %{{.*}}) : (tensor<2x3x6x6xf32>, tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
// OUTLINE: return %[[P]]
// OUTLINE: func.func private @dlc_kernel_generic(%[[PAD:.*]]: tensor<2x3x6x6xf32>, %{{.*}}: tensor<2x3x4x4xf32>) -> tensor<2x3x6x6xf32>
// OUTLINE: %[[S:.*]] = tensor.extract_slice %[[PAD]][0, 0, 1, 1] [2, 3, 4, 4]
// OUTLINE: %[[G:.*]] = linalg.generic {{.*}} outs(%[[S]] : tensor<2x3x4x4xf32>)
// OUTLINE: %[[R:.*]] = tensor.insert_slice %[[G]] into %[[PAD]][0, 0, 1, 1] [2, 3, 4, 4]
// OUTLINE: return %[[R]]
// OUTLINE: func.func private @dlc_kernel_generic_0(%[[PAD2:.*]]: tensor<2x3x6x6xf32>,
// OUTLINE: tensor.extract_slice %[[PAD2]][0, 0, 1, 1] [2, 3, 4, 4]
