// RUN: dlc-opt %s -convert-dl-to-linalg -split-input-file | FileCheck %s

// softmax, log_softmax and cross_entropy share m = max_axis(x) (from -inf)
// and s = sum_axis(exp(x - m)) (from 0); then
//   softmax       = exp(x - m) / s
//   log_softmax   = (x - m) - log(s)
//   cross_entropy = sum_n (m + log(s) - x[n, label[n]]) * (1 / N)
// where x[n, label[n]] is a masked sum over the classes (linalg.index ==
// label).

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[X:.*]]: tensor<64x10xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<64xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[X]] : tensor<64x10xf32>) outs(%[[MINIT]] : tensor<64xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[M:.*]]: f32):
// CHECK: arith.maximumf %[[A]], %[[M]] : f32
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[SINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<64xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[X]], %[[MAX]] : tensor<64x10xf32>, tensor<64xf32>) outs(%[[SINIT]] : tensor<64xf32>)
// CHECK: ^bb0(%[[B:.*]]: f32, %[[BM:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[D:.*]] = arith.subf %[[B]], %[[BM]] : f32
// CHECK: %[[E:.*]] = math.exp %[[D]] : f32
// CHECK: %[[N:.*]] = arith.addf %[[ACC]], %[[E]] : f32
// CHECK: linalg.yield %[[N]] : f32
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<64x10xf32>, tensor<64xf32>, tensor<64xf32>)
// CHECK: ^bb0(%[[C:.*]]: f32, %[[CM:.*]]: f32, %[[CS:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D2:.*]] = arith.subf %[[C]], %[[CM]] : f32
// CHECK: %[[E2:.*]] = math.exp %[[D2]] : f32
// CHECK: %[[Q:.*]] = arith.divf %[[E2]], %[[CS]] : f32
// CHECK: linalg.yield %[[Q]] : f32
// CHECK: return %[[R]] : tensor<64x10xf32>
func.func @softmax(%x: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = dl.softmax %x axis = 1 : tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}

// -----

// Along axis 0 the reduced maps keep d1.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @softmax_axis0(
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[COL]]]
// CHECK-SAME: iterator_types = ["reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: } -> tensor<3xf32>
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[COL]], #[[COL]]]
// CHECK-SAME: iterator_types = ["reduction", "parallel"]
// CHECK: math.exp
// CHECK: } -> tensor<3xf32>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[COL]], #[[COL]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK: arith.divf
// CHECK: } -> tensor<2x3xf32>
func.func @softmax_axis0(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.softmax %x axis = 0 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @log_softmax(
// CHECK-SAME: %[[X:.*]]: tensor<64x10xf32>)
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[X]], %[[MAX]] :
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[X]], %[[MAX]], %[[SUM]] :
// CHECK: ^bb0(%[[C:.*]]: f32, %[[CM:.*]]: f32, %[[CS:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D:.*]] = arith.subf %[[C]], %[[CM]] : f32
// CHECK: %[[L:.*]] = math.log %[[CS]] : f32
// CHECK: %[[Y:.*]] = arith.subf %[[D]], %[[L]] : f32
// CHECK: linalg.yield %[[Y]] : f32
// CHECK-NOT: math.exp
// CHECK: return %[[R]] : tensor<64x10xf32>
func.func @log_softmax(%x: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = dl.log_softmax %x axis = 1 : tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}

// -----

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[TO0D:.*]] = affine_map<(d0) -> ()>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @cross_entropy(
// CHECK-SAME: %[[X:.*]]: tensor<64x10xf32>, %[[Y:.*]]: tensor<64xi32>)
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: math.exp
// The logit of the label: a masked sum over the classes.
// CHECK: %[[PZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PINIT:.*]] = linalg.fill ins(%[[PZERO]] : f32) outs(%{{.*}} : tensor<64xf32>)
// CHECK: %[[PICK:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]]
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: ins(%[[X]], %[[Y]] : tensor<64x10xf32>, tensor<64xi32>) outs(%[[PINIT]] : tensor<64xf32>)
// CHECK: ^bb0(%[[LOGIT:.*]]: f32, %[[LABEL:.*]]: i32, %[[PACC:.*]]: f32):
// CHECK: %[[CLS:.*]] = linalg.index 1 : index
// CHECK: %[[LIDX:.*]] = arith.index_cast %[[LABEL]] : i32 to index
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[CLS]], %[[LIDX]] : index
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[TERM:.*]] = arith.select %[[HIT]], %[[LOGIT]], %[[Z]] : f32
// CHECK: %[[PN:.*]] = arith.addf %[[PACC]], %[[TERM]] : f32
// CHECK: linalg.yield %[[PN]] : f32
// Sum over the batch of m + log(s) - picked, into a 0-d tensor.
// CHECK: %[[TINIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<f32>)
// CHECK: %[[TOTAL:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]], #[[TO0D]]]
// CHECK-SAME: iterator_types = ["reduction"]
// CHECK-SAME: ins(%[[MAX]], %[[SUM]], %[[PICK]] : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) outs(%[[TINIT]] : tensor<f32>)
// CHECK: ^bb0(%[[TM:.*]]: f32, %[[TS:.*]]: f32, %[[TP:.*]]: f32, %[[TACC:.*]]: f32):
// CHECK: %[[LOG:.*]] = math.log %[[TS]] : f32
// CHECK: %[[LSE:.*]] = arith.addf %[[TM]], %[[LOG]] : f32
// CHECK: %[[NLL:.*]] = arith.subf %[[LSE]], %[[TP]] : f32
// CHECK: %[[TN:.*]] = arith.addf %[[TACC]], %[[NLL]] : f32
// CHECK: linalg.yield %[[TN]] : f32
// Scale by 1/64.
// CHECK: %[[LOSS:.*]] = linalg.generic
// CHECK-SAME: indexing_maps = [#[[SCALAR]], #[[SCALAR]]]
// CHECK-SAME: iterator_types = []
// CHECK-SAME: ins(%[[TOTAL]] : tensor<f32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SCALE:.*]] = arith.constant 1.562500e-02 : f32
// CHECK: %[[MEAN:.*]] = arith.mulf %[[V]], %[[SCALE]] : f32
// CHECK: linalg.yield %[[MEAN]] : f32
// CHECK: return %[[LOSS]] : tensor<f32>
func.func @cross_entropy(%x: tensor<64x10xf32>, %y: tensor<64xi32>) -> tensor<f32> {
  %0 = dl.cross_entropy %x, %y : tensor<64x10xf32>, tensor<64xi32>
  return %0 : tensor<f32>
}

// -----

// Rank 3 logits, i64 labels: the class is the last dim (linalg.index 2) and
// N = 2 * 3.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUTER:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[TO0D:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @cross_entropy_rank3(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x5xf32>, %[[Y:.*]]: tensor<2x3xi64>)
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID]], #[[OUTER]], #[[OUTER]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[X]], %[[Y]] : tensor<2x3x5xf32>, tensor<2x3xi64>)
// CHECK: ^bb0(%{{.*}}: f32, %[[LABEL:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[CLS:.*]] = linalg.index 2 : index
// CHECK: %[[LIDX:.*]] = arith.index_cast %[[LABEL]] : i64 to index
// CHECK: arith.cmpi eq, %[[CLS]], %[[LIDX]] : index
// CHECK: arith.select
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[ID2]], #[[ID2]], #[[ID2]], #[[TO0D]]]
// CHECK-SAME: iterator_types = ["reduction", "reduction"]
// CHECK: math.log
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = []
// CHECK: arith.constant 0.166666672 : f32
// CHECK: arith.mulf
func.func @cross_entropy_rank3(%x: tensor<2x3x5xf32>, %y: tensor<2x3xi64>) -> tensor<f32> {
  %0 = dl.cross_entropy %x, %y : tensor<2x3x5xf32>, tensor<2x3xi64>
  return %0 : tensor<f32>
}

// -----

// one_hot: a parallel generic over [N..., C] reading the label at [N...];
// each element is 1 where the class index (linalg.index of the last dim)
// equals the label, else 0.
// CHECK-DAG: #[[LBL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @one_hot(
// CHECK-SAME: %[[Y:.*]]: tensor<2x3xi64>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3x5xf64>
// CHECK: linalg.generic
// CHECK-SAME: indexing_maps = [#[[LBL]], #[[ID]]]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME: ins(%[[Y]] : tensor<2x3xi64>) outs(%[[E]] : tensor<2x3x5xf64>)
// CHECK: ^bb0(%[[L:.*]]: i64, %{{.*}}: f64):
// CHECK: %[[CLS:.*]] = linalg.index 2 : index
// CHECK: %[[LIDX:.*]] = arith.index_cast %[[L]] : i64 to index
// CHECK: %[[EQ:.*]] = arith.cmpi eq, %[[CLS]], %[[LIDX]] : index
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK: %[[R:.*]] = arith.select %[[EQ]], %[[ONE]], %[[ZERO]] : f64
// CHECK: linalg.yield %[[R]] : f64
func.func @one_hot(%y: tensor<2x3xi64>) -> tensor<2x3x5xf64> {
  %0 = dl.one_hot %y : tensor<2x3xi64> -> tensor<2x3x5xf64>
  return %0 : tensor<2x3x5xf64>
}
