// RUN: dlc-opt %s | FileCheck %s
// Printing and re-parsing must give the same text.
// RUN: dlc-opt %s | dlc-opt | FileCheck %s
// The generic form must parse back to the same ops.
// RUN: dlc-opt %s --mlir-print-op-generic | dlc-opt | FileCheck %s
// RUN: dlc-opt %s --verify-roundtrip > /dev/null

// Round-trip tests of every dl op in its custom assembly form. Result types
// that the ops infer are checked through the types of the returned values.

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constants()
// CHECK-SAME: -> (tensor<2x2xf32>, tensor<3xi32>, tensor<f64>, tensor<2x3xf32>, tensor<4xi32>, tensor<2xbf16>)
func.func @constants() -> (tensor<2x2xf32>, tensor<3xi32>, tensor<f64>,
                           tensor<2x3xf32>, tensor<4xi32>, tensor<2xbf16>) {
  // CHECK: %[[C0:.*]] = dl.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %c0 = dl.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: %[[C1:.*]] = dl.constant dense<[1, -2, 3]> : tensor<3xi32>
  %c1 = dl.constant dense<[1, -2, 3]> : tensor<3xi32>
  // CHECK: %[[C2:.*]] = dl.constant dense<5.000000e-01> : tensor<f64>
  %c2 = dl.constant dense<0.5> : tensor<f64>
  // CHECK: %[[F0:.*]] = dl.fill 0.000000e+00 : tensor<2x3xf32>
  %f0 = dl.fill 0.0 : tensor<2x3xf32>
  // CHECK: %[[F1:.*]] = dl.fill -7.000000e+00 : tensor<4xi32>
  %f1 = dl.fill -7.0 : tensor<4xi32>
  // CHECK: %[[F2:.*]] = dl.fill 1.500000e+00 : tensor<2xbf16>
  %f2 = dl.fill 1.5 : tensor<2xbf16>
  // CHECK: return %[[C0]], %[[C1]], %[[C2]], %[[F0]], %[[F1]], %[[F2]] : tensor<2x2xf32>, tensor<3xi32>, tensor<f64>, tensor<2x3xf32>, tensor<4xi32>, tensor<2xbf16>
  return %c0, %c1, %c2, %f0, %f1, %f2
      : tensor<2x2xf32>, tensor<3xi32>, tensor<f64>, tensor<2x3xf32>,
        tensor<4xi32>, tensor<2xbf16>
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[A:[^:]*]]: tensor<64x784xf32>, %[[B:[^:]*]]: tensor<784x256xf32>,
// CHECK-SAME: %[[BA:[^:]*]]: tensor<8x4x16x32xf16>, %[[BB:[^:]*]]: tensor<8x4x32x5xf16>)
func.func @matmul(%a: tensor<64x784xf32>, %b: tensor<784x256xf32>,
                  %ba: tensor<8x4x16x32xf16>, %bb: tensor<8x4x32x5xf16>)
    -> (tensor<64x256xf32>, tensor<8x4x16x5xf16>) {
  // CHECK: %[[R0:.*]] = dl.matmul %[[A]], %[[B]] : tensor<64x784xf32>, tensor<784x256xf32>
  %0 = dl.matmul %a, %b : tensor<64x784xf32>, tensor<784x256xf32>
  // CHECK: %[[R1:.*]] = dl.matmul %[[BA]], %[[BB]] : tensor<8x4x16x32xf16>, tensor<8x4x32x5xf16>
  %1 = dl.matmul %ba, %bb : tensor<8x4x16x32xf16>, tensor<8x4x32x5xf16>
  // CHECK: return %[[R0]], %[[R1]] : tensor<64x256xf32>, tensor<8x4x16x5xf16>
  return %0, %1 : tensor<64x256xf32>, tensor<8x4x16x5xf16>
}

//===----------------------------------------------------------------------===//
// Broadcasting binary arithmetic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary(
// CHECK-SAME: %[[X:[^:]*]]: tensor<64x256xf32>, %[[B:[^:]*]]: tensor<256xf32>,
// CHECK-SAME: %[[COL:[^:]*]]: tensor<64x1xf32>, %[[S:[^:]*]]: tensor<f32>,
// CHECK-SAME: %[[I:[^:]*]]: tensor<3x1xi32>, %[[J:[^:]*]]: tensor<2x1x4xi32>)
func.func @binary(%x: tensor<64x256xf32>, %b: tensor<256xf32>,
                  %col: tensor<64x1xf32>, %s: tensor<f32>,
                  %i: tensor<3x1xi32>, %j: tensor<2x1x4xi32>)
    -> (tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>,
        tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>,
        tensor<2x3x4xi32>, tensor<f32>) {
  // CHECK: %[[ADD:.*]] = dl.add %[[X]], %[[B]] : tensor<64x256xf32>, tensor<256xf32>
  %add = dl.add %x, %b : tensor<64x256xf32>, tensor<256xf32>
  // CHECK: %[[SUB:.*]] = dl.sub %[[B]], %[[X]] : tensor<256xf32>, tensor<64x256xf32>
  %sub = dl.sub %b, %x : tensor<256xf32>, tensor<64x256xf32>
  // CHECK: %[[MUL:.*]] = dl.mul %[[X]], %[[COL]] : tensor<64x256xf32>, tensor<64x1xf32>
  %mul = dl.mul %x, %col : tensor<64x256xf32>, tensor<64x1xf32>
  // CHECK: %[[DIV:.*]] = dl.div %[[COL]], %[[B]] : tensor<64x1xf32>, tensor<256xf32>
  %div = dl.div %col, %b : tensor<64x1xf32>, tensor<256xf32>
  // CHECK: %[[MAX:.*]] = dl.maximum %[[X]], %[[S]] : tensor<64x256xf32>, tensor<f32>
  %max = dl.maximum %x, %s : tensor<64x256xf32>, tensor<f32>
  // CHECK: %[[MIN:.*]] = dl.minimum %[[X]], %[[X]] : tensor<64x256xf32>, tensor<64x256xf32>
  %min = dl.minimum %x, %x : tensor<64x256xf32>, tensor<64x256xf32>
  // Integer operands; both sides broadcast: [3, 1] and [2, 1, 4] -> [2, 3, 4].
  // CHECK: %[[IADD:.*]] = dl.add %[[I]], %[[J]] : tensor<3x1xi32>, tensor<2x1x4xi32>
  %iadd = dl.add %i, %j : tensor<3x1xi32>, tensor<2x1x4xi32>
  // CHECK: %[[SS:.*]] = dl.mul %[[S]], %[[S]] : tensor<f32>, tensor<f32>
  %ss = dl.mul %s, %s : tensor<f32>, tensor<f32>
  // CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[MAX]], %[[MIN]], %[[IADD]], %[[SS]] :
  // CHECK-SAME: tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>, tensor<2x3x4xi32>, tensor<f32>
  return %add, %sub, %mul, %div, %max, %min, %iadd, %ss
      : tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>,
        tensor<64x256xf32>, tensor<64x256xf32>, tensor<64x256xf32>,
        tensor<2x3x4xi32>, tensor<f32>
}

//===----------------------------------------------------------------------===//
// Unary elementwise
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8xf32>, %[[I:[^:]*]]: tensor<5xi64>)
func.func @unary(%x: tensor<4x8xf32>, %i: tensor<5xi64>) -> tensor<5xi64> {
  // CHECK: %[[NEG:.*]] = dl.neg %[[X]] : tensor<4x8xf32>
  %neg = dl.neg %x : tensor<4x8xf32>
  // CHECK: %[[RELU:.*]] = dl.relu %[[NEG]] : tensor<4x8xf32>
  %relu = dl.relu %neg : tensor<4x8xf32>
  // CHECK: %[[SIG:.*]] = dl.sigmoid %[[RELU]] : tensor<4x8xf32>
  %sig = dl.sigmoid %relu : tensor<4x8xf32>
  // CHECK: %[[TANH:.*]] = dl.tanh %[[SIG]] : tensor<4x8xf32>
  %tanh = dl.tanh %sig : tensor<4x8xf32>
  // CHECK: %[[EXP:.*]] = dl.exp %[[TANH]] : tensor<4x8xf32>
  %exp = dl.exp %tanh : tensor<4x8xf32>
  // CHECK: %[[LOG:.*]] = dl.log %[[EXP]] : tensor<4x8xf32>
  %log = dl.log %exp : tensor<4x8xf32>
  // CHECK: %[[SQRT:.*]] = dl.sqrt %[[LOG]] : tensor<4x8xf32>
  %sqrt = dl.sqrt %log : tensor<4x8xf32>
  // CHECK: %[[STEP:.*]] = dl.step %[[SQRT]] : tensor<4x8xf32>
  %step = dl.step %sqrt : tensor<4x8xf32>
  // CHECK: %[[SIGN:.*]] = dl.sign %[[STEP]] : tensor<4x8xf32>
  %sign = dl.sign %step : tensor<4x8xf32>
  // CHECK: %[[ERF:.*]] = dl.erf %[[SIGN]] : tensor<4x8xf32>
  %erf = dl.erf %sign : tensor<4x8xf32>
  // CHECK: %[[GELU:.*]] = dl.gelu %[[ERF]] : tensor<4x8xf32>
  %gelu = dl.gelu %erf : tensor<4x8xf32>
  // CHECK: dl.gelu_tanh %[[GELU]] : tensor<4x8xf32>
  %gelu_tanh = dl.gelu_tanh %gelu : tensor<4x8xf32>
  // neg is the one unary op that also takes integers.
  // CHECK: %[[INEG:.*]] = dl.neg %[[I]] : tensor<5xi64>
  %ineg = dl.neg %i : tensor<5xi64>
  // CHECK: return %[[INEG]] : tensor<5xi64>
  return %ineg : tensor<5xi64>
}

// CHECK-LABEL: func.func @unary_more(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x8xf32>, %[[D:[^:]*]]: tensor<f64>)
func.func @unary_more(%x: tensor<4x8xf32>, %d: tensor<f64>)
    -> (tensor<4x8xf32>, tensor<f64>) {
  // CHECK: %[[FLOOR:.*]] = dl.floor %[[X]] : tensor<4x8xf32>
  %floor = dl.floor %x : tensor<4x8xf32>
  // CHECK: %[[COS:.*]] = dl.cos %[[FLOOR]] : tensor<4x8xf32>
  %cos = dl.cos %floor : tensor<4x8xf32>
  // CHECK: %[[SIN:.*]] = dl.sin %[[COS]] : tensor<4x8xf32>
  %sin = dl.sin %cos : tensor<4x8xf32>
  // CHECK: %[[DS:.*]] = dl.sin %[[D]] : tensor<f64>
  %ds = dl.sin %d : tensor<f64>
  // CHECK: %[[DC:.*]] = dl.cos %[[DS]] : tensor<f64>
  %dc = dl.cos %ds : tensor<f64>
  // CHECK: %[[DF:.*]] = dl.floor %[[DC]] : tensor<f64>
  %df = dl.floor %dc : tensor<f64>
  // CHECK: return %[[SIN]], %[[DF]] : tensor<4x8xf32>, tensor<f64>
  return %sin, %df : tensor<4x8xf32>, tensor<f64>
}

// CHECK-LABEL: func.func @cast(
// CHECK-SAME: %[[H:[^:]*]]: tensor<2x3xf16>, %[[F:[^:]*]]: tensor<4xf32>, %[[I:[^:]*]]: tensor<5xi32>, %[[B:[^:]*]]: tensor<bf16>)
func.func @cast(%h: tensor<2x3xf16>, %f: tensor<4xf32>, %i: tensor<5xi32>,
                %b: tensor<bf16>)
    -> (tensor<2x3xf32>, tensor<4xbf16>, tensor<5xf64>, tensor<f16>) {
  // CHECK: %[[WIDE:.*]] = dl.cast %[[H]] : tensor<2x3xf16> -> tensor<2x3xf32>
  %wide = dl.cast %h : tensor<2x3xf16> -> tensor<2x3xf32>
  // CHECK: %[[NARROW:.*]] = dl.cast %[[F]] : tensor<4xf32> -> tensor<4xbf16>
  %narrow = dl.cast %f : tensor<4xf32> -> tensor<4xbf16>
  // CHECK: %[[FROMI:.*]] = dl.cast %[[I]] : tensor<5xi32> -> tensor<5xf64>
  %fromi = dl.cast %i : tensor<5xi32> -> tensor<5xf64>
  // CHECK: %[[SAME:.*]] = dl.cast %[[B]] : tensor<bf16> -> tensor<f16>
  %same = dl.cast %b : tensor<bf16> -> tensor<f16>
  // CHECK: return %[[WIDE]], %[[NARROW]], %[[FROMI]], %[[SAME]]
  return %wide, %narrow, %fromi, %same
      : tensor<2x3xf32>, tensor<4xbf16>, tensor<5xf64>, tensor<f16>
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reductions(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4xf32>, %[[I:[^:]*]]: tensor<6x7xi32>)
func.func @reductions(%x: tensor<2x3x4xf32>, %i: tensor<6x7xi32>)
    -> (tensor<2x4xf32>, tensor<2x1x1xf32>, tensor<3xf32>, tensor<2x3x1xf32>,
        tensor<f32>, tensor<1x1x1xf32>, tensor<7xi32>, tensor<i32>,
        tensor<2x3x4xf32>) {
  // CHECK: %[[S0:.*]] = dl.sum %[[X]] axes = [1] : tensor<2x3x4xf32>
  %s0 = dl.sum %x axes = [1] : tensor<2x3x4xf32>
  // CHECK: %[[S1:.*]] = dl.sum %[[X]] axes = [1, 2] keepdims : tensor<2x3x4xf32>
  %s1 = dl.sum %x axes = [1, 2] keepdims : tensor<2x3x4xf32>
  // CHECK: %[[M0:.*]] = dl.mean %[[X]] axes = [0, 2] : tensor<2x3x4xf32>
  %m0 = dl.mean %x axes = [0, 2] : tensor<2x3x4xf32>
  // CHECK: %[[M1:.*]] = dl.mean %[[X]] axes = [2] keepdims : tensor<2x3x4xf32>
  %m1 = dl.mean %x axes = [2] keepdims : tensor<2x3x4xf32>
  // All axes without keepdims give a 0-d tensor; with keepdims all 1s.
  // CHECK: %[[X0:.*]] = dl.max %[[X]] axes = [0, 1, 2] : tensor<2x3x4xf32>
  %x0 = dl.max %x axes = [0, 1, 2] : tensor<2x3x4xf32>
  // CHECK: %[[X1:.*]] = dl.max %[[X]] axes = [0, 1, 2] keepdims : tensor<2x3x4xf32>
  %x1 = dl.max %x axes = [0, 1, 2] keepdims : tensor<2x3x4xf32>
  // sum and max also take integers.
  // CHECK: %[[IS:.*]] = dl.sum %[[I]] axes = [0] : tensor<6x7xi32>
  %is = dl.sum %i axes = [0] : tensor<6x7xi32>
  // CHECK: %[[IM:.*]] = dl.max %[[I]] axes = [0, 1] : tensor<6x7xi32>
  %im = dl.max %i axes = [0, 1] : tensor<6x7xi32>
  // No axes: the result has the input's type.
  // CHECK: %[[E:.*]] = dl.sum %[[X]] axes = [] : tensor<2x3x4xf32>
  %e = dl.sum %x axes = [] : tensor<2x3x4xf32>
  // CHECK: return %[[S0]], %[[S1]], %[[M0]], %[[M1]], %[[X0]], %[[X1]], %[[IS]], %[[IM]], %[[E]] :
  // CHECK-SAME: tensor<2x4xf32>, tensor<2x1x1xf32>, tensor<3xf32>, tensor<2x3x1xf32>, tensor<f32>, tensor<1x1x1xf32>, tensor<7xi32>, tensor<i32>, tensor<2x3x4xf32>
  return %s0, %s1, %m0, %m1, %x0, %x1, %is, %im, %e
      : tensor<2x4xf32>, tensor<2x1x1xf32>, tensor<3xf32>, tensor<2x3x1xf32>,
        tensor<f32>, tensor<1x1x1xf32>, tensor<7xi32>, tensor<i32>,
        tensor<2x3x4xf32>
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @shapes(
// CHECK-SAME: %[[IMG:[^:]*]]: tensor<64x28x28xf32>, %[[W:[^:]*]]: tensor<784x256xf32>,
// CHECK-SAME: %[[T:[^:]*]]: tensor<2x3x4xi32>, %[[B:[^:]*]]: tensor<256xf32>,
// CHECK-SAME: %[[C:[^:]*]]: tensor<3x1xf32>, %[[S:[^:]*]]: tensor<f32>)
func.func @shapes(%img: tensor<64x28x28xf32>, %w: tensor<784x256xf32>,
                  %t: tensor<2x3x4xi32>, %b: tensor<256xf32>,
                  %c: tensor<3x1xf32>, %s: tensor<f32>)
    -> (tensor<64x784xf32>, tensor<1xf32>, tensor<256x784xf32>,
        tensor<4x2x3xi32>, tensor<64x256xf32>, tensor<2x3x5xf32>,
        tensor<4x4xf32>) {
  // CHECK: %[[FLAT:.*]] = dl.reshape %[[IMG]] : tensor<64x28x28xf32> -> tensor<64x784xf32>
  %flat = dl.reshape %img : tensor<64x28x28xf32> -> tensor<64x784xf32>
  // CHECK: %[[ONE:.*]] = dl.reshape %[[S]] : tensor<f32> -> tensor<1xf32>
  %one = dl.reshape %s : tensor<f32> -> tensor<1xf32>
  // CHECK: %[[WT:.*]] = dl.transpose %[[W]] perm = [1, 0] : tensor<784x256xf32>
  %wt = dl.transpose %w perm = [1, 0] : tensor<784x256xf32>
  // CHECK: %[[TT:.*]] = dl.transpose %[[T]] perm = [2, 0, 1] : tensor<2x3x4xi32>
  %tt = dl.transpose %t perm = [2, 0, 1] : tensor<2x3x4xi32>
  // CHECK: %[[B2:.*]] = dl.broadcast %[[B]] : tensor<256xf32> -> tensor<64x256xf32>
  %b2 = dl.broadcast %b : tensor<256xf32> -> tensor<64x256xf32>
  // CHECK: %[[C2:.*]] = dl.broadcast %[[C]] : tensor<3x1xf32> -> tensor<2x3x5xf32>
  %c2 = dl.broadcast %c : tensor<3x1xf32> -> tensor<2x3x5xf32>
  // CHECK: %[[S2:.*]] = dl.broadcast %[[S]] : tensor<f32> -> tensor<4x4xf32>
  %s2 = dl.broadcast %s : tensor<f32> -> tensor<4x4xf32>
  // CHECK: return %[[FLAT]], %[[ONE]], %[[WT]], %[[TT]], %[[B2]], %[[C2]], %[[S2]] :
  // CHECK-SAME: tensor<64x784xf32>, tensor<1xf32>, tensor<256x784xf32>, tensor<4x2x3xi32>, tensor<64x256xf32>, tensor<2x3x5xf32>, tensor<4x4xf32>
  return %flat, %one, %wt, %tt, %b2, %c2, %s2
      : tensor<64x784xf32>, tensor<1xf32>, tensor<256x784xf32>,
        tensor<4x2x3xi32>, tensor<64x256xf32>, tensor<2x3x5xf32>,
        tensor<4x4xf32>
}

//===----------------------------------------------------------------------===//
// Softmax and losses
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[L:[^:]*]]: tensor<64x10xf32>, %[[L3:[^:]*]]: tensor<2x3x4xf64>)
func.func @softmax(%logits: tensor<64x10xf32>, %l3: tensor<2x3x4xf64>)
    -> (tensor<64x10xf32>, tensor<64x10xf32>, tensor<2x3x4xf64>) {
  // CHECK: %[[P:.*]] = dl.softmax %[[L]] axis = 1 : tensor<64x10xf32>
  %p = dl.softmax %logits axis = 1 : tensor<64x10xf32>
  // CHECK: %[[LP:.*]] = dl.log_softmax %[[L]] axis = 0 : tensor<64x10xf32>
  %lp = dl.log_softmax %logits axis = 0 : tensor<64x10xf32>
  // CHECK: %[[P3:.*]] = dl.softmax %[[L3]] axis = 2 : tensor<2x3x4xf64>
  %p3 = dl.softmax %l3 axis = 2 : tensor<2x3x4xf64>
  // CHECK: return %[[P]], %[[LP]], %[[P3]] : tensor<64x10xf32>, tensor<64x10xf32>, tensor<2x3x4xf64>
  return %p, %lp, %p3 : tensor<64x10xf32>, tensor<64x10xf32>, tensor<2x3x4xf64>
}

// CHECK-LABEL: func.func @cross_entropy(
// CHECK-SAME: %[[L:[^:]*]]: tensor<64x10xf32>, %[[Y:[^:]*]]: tensor<64xi32>,
// CHECK-SAME: %[[L3:[^:]*]]: tensor<8x16x100xf16>, %[[Y3:[^:]*]]: tensor<8x16xi64>,
// CHECK-SAME: %[[L1:[^:]*]]: tensor<10xf32>, %[[Y1:[^:]*]]: tensor<i32>)
func.func @cross_entropy(%logits: tensor<64x10xf32>, %y: tensor<64xi32>,
                         %l3: tensor<8x16x100xf16>, %y3: tensor<8x16xi64>,
                         %l1: tensor<10xf32>, %y1: tensor<i32>)
    -> (tensor<f32>, tensor<f16>, tensor<f32>) {
  // CHECK: %[[LOSS:.*]] = dl.cross_entropy %[[L]], %[[Y]] : tensor<64x10xf32>, tensor<64xi32>
  %loss = dl.cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi32>
  // CHECK: %[[LOSS3:.*]] = dl.cross_entropy %[[L3]], %[[Y3]] : tensor<8x16x100xf16>, tensor<8x16xi64>
  %loss3 = dl.cross_entropy %l3, %y3 : tensor<8x16x100xf16>, tensor<8x16xi64>
  // CHECK: dl.cross_entropy %[[L3]], %[[Y3]] ignore_index = -100 : tensor<8x16x100xf16>, tensor<8x16xi64>
  %masked = dl.cross_entropy %l3, %y3 ignore_index = -100 : tensor<8x16x100xf16>, tensor<8x16xi64>
  // A single example: 1-D logits and a 0-d label.
  // CHECK: %[[LOSS1:.*]] = dl.cross_entropy %[[L1]], %[[Y1]] : tensor<10xf32>, tensor<i32>
  %loss1 = dl.cross_entropy %l1, %y1 : tensor<10xf32>, tensor<i32>
  // CHECK: return %[[LOSS]], %[[LOSS3]], %[[LOSS1]] : tensor<f32>, tensor<f16>, tensor<f32>
  return %loss, %loss3, %loss1 : tensor<f32>, tensor<f16>, tensor<f32>
}

// CHECK-LABEL: func.func @one_hot(
// CHECK-SAME: %[[Y:[^:]*]]: tensor<64xi32>, %[[Y3:[^:]*]]: tensor<2x3xi64>, %[[Y0:[^:]*]]: tensor<i32>)
func.func @one_hot(%y: tensor<64xi32>, %y3: tensor<2x3xi64>, %y0: tensor<i32>)
    -> (tensor<64x10xf32>, tensor<2x3x5xf64>, tensor<1xf16>) {
  // CHECK: %[[T:.*]] = dl.one_hot %[[Y]] : tensor<64xi32> -> tensor<64x10xf32>
  %t = dl.one_hot %y : tensor<64xi32> -> tensor<64x10xf32>
  // CHECK: %[[T3:.*]] = dl.one_hot %[[Y3]] : tensor<2x3xi64> -> tensor<2x3x5xf64>
  %t3 = dl.one_hot %y3 : tensor<2x3xi64> -> tensor<2x3x5xf64>
  // A 0-d label and a single class.
  // CHECK: %[[T0:.*]] = dl.one_hot %[[Y0]] : tensor<i32> -> tensor<1xf16>
  %t0 = dl.one_hot %y0 : tensor<i32> -> tensor<1xf16>
  // CHECK: return %[[T]], %[[T3]], %[[T0]] : tensor<64x10xf32>, tensor<2x3x5xf64>, tensor<1xf16>
  return %t, %t3, %t0 : tensor<64x10xf32>, tensor<2x3x5xf64>, tensor<1xf16>
}

// CHECK-LABEL: func.func @mode_select(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x3xf32>, %[[B:[^:]*]]: tensor<4x3xf32>, %[[I:[^:]*]]: tensor<i64>)
func.func @mode_select(%a: tensor<4x3xf32>, %b: tensor<4x3xf32>, %i: tensor<i64>)
    -> (tensor<4x3xf32>, tensor<i64>) {
  // CHECK: %[[S:.*]] = dl.mode_select training %[[A]], inference %[[B]] : tensor<4x3xf32>
  %s = dl.mode_select training %a, inference %b : tensor<4x3xf32>
  // Any element type, e.g. an integer counter.
  // CHECK: %[[C:.*]] = dl.mode_select training %[[I]], inference %[[I]] : tensor<i64>
  %c = dl.mode_select training %i, inference %i : tensor<i64>
  // CHECK: return %[[S]], %[[C]] : tensor<4x3xf32>, tensor<i64>
  return %s, %c : tensor<4x3xf32>, tensor<i64>
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv2d(
// CHECK: dl.conv2d %{{.*}}, %{{.*}} stride = [2, 1] padding = [1, 0] dilation = [1, 2] groups = 2 : tensor<4x6x9x8xf32>, tensor<8x3x3x3xf32>
// CHECK: dl.conv2d_backward_input %{{.*}}, %{{.*}} stride = [2, 1] padding = [1, 0] dilation = [1, 2] groups = 2 : tensor<4x8x5x4xf32>, tensor<8x3x3x3xf32> -> tensor<4x6x9x8xf32>
// CHECK: dl.conv2d_backward_filter %{{.*}}, %{{.*}} stride = [2, 1] padding = [1, 0] dilation = [1, 2] groups = 2 : tensor<4x6x9x8xf32>, tensor<4x8x5x4xf32> -> tensor<8x3x3x3xf32>
func.func @conv2d(%x: tensor<4x6x9x8xf32>, %w: tensor<8x3x3x3xf32>)
    -> (tensor<4x8x5x4xf32>, tensor<4x6x9x8xf32>, tensor<8x3x3x3xf32>) {
  %y = dl.conv2d %x, %w stride = [2, 1] padding = [1, 0] dilation = [1, 2]
      groups = 2 : tensor<4x6x9x8xf32>, tensor<8x3x3x3xf32>
  %dx = dl.conv2d_backward_input %y, %w stride = [2, 1] padding = [1, 0]
      dilation = [1, 2] groups = 2
      : tensor<4x8x5x4xf32>, tensor<8x3x3x3xf32> -> tensor<4x6x9x8xf32>
  %dw = dl.conv2d_backward_filter %x, %y stride = [2, 1] padding = [1, 0]
      dilation = [1, 2] groups = 2
      : tensor<4x6x9x8xf32>, tensor<4x8x5x4xf32> -> tensor<8x3x3x3xf32>
  return %y, %dx, %dw : tensor<4x8x5x4xf32>, tensor<4x6x9x8xf32>, tensor<8x3x3x3xf32>
}

// CHECK-LABEL: func.func @pool2d(
// CHECK: dl.max_pool2d %{{.*}} kernel = [3, 2] stride = [2, 1] padding = [1, 0] : tensor<2x3x9x8xf32>
// CHECK: dl.max_pool2d_backward %{{.*}}, %{{.*}} kernel = [3, 2] stride = [2, 1] padding = [1, 0] : tensor<2x3x9x8xf32>, tensor<2x3x5x7xf32>
// CHECK: dl.avg_pool2d %{{.*}} kernel = [3, 2] stride = [2, 1] padding = [1, 0] : tensor<2x3x9x8xf32>
// CHECK: dl.avg_pool2d_backward %{{.*}} kernel = [3, 2] stride = [2, 1] padding = [1, 0] : tensor<2x3x5x7xf32> -> tensor<2x3x9x8xf32>
func.func @pool2d(%x: tensor<2x3x9x8xf32>)
    -> (tensor<2x3x9x8xf32>, tensor<2x3x9x8xf32>) {
  %m = dl.max_pool2d %x kernel = [3, 2] stride = [2, 1] padding = [1, 0]
      : tensor<2x3x9x8xf32>
  %dm = dl.max_pool2d_backward %x, %m kernel = [3, 2] stride = [2, 1]
      padding = [1, 0] : tensor<2x3x9x8xf32>, tensor<2x3x5x7xf32>
  %a = dl.avg_pool2d %x kernel = [3, 2] stride = [2, 1] padding = [1, 0]
      : tensor<2x3x9x8xf32>
  %da = dl.avg_pool2d_backward %a kernel = [3, 2] stride = [2, 1]
      padding = [1, 0] : tensor<2x3x5x7xf32> -> tensor<2x3x9x8xf32>
  return %dm, %da : tensor<2x3x9x8xf32>, tensor<2x3x9x8xf32>
}

// CHECK-LABEL: func.func @batch_norm(
// CHECK: %[[Y:.*]], %[[M:.*]], %[[V:.*]] = dl.batch_norm %{{.*}}, %{{.*}}, %{{.*}} eps = 1.000000e-05 : tensor<8x3x5x5xf32>, tensor<3xf32>
// CHECK: %[[DX:.*]], %[[DG:.*]], %[[DB:.*]] = dl.batch_norm_backward %{{.*}}, %{{.*}}, %{{.*}}, %[[M]], %[[V]] eps = 1.000000e-05 : tensor<8x3x5x5xf32>, tensor<3xf32>
// CHECK: return %[[Y]], %[[M]], %[[DX]], %[[DG]] : tensor<8x3x5x5xf32>, tensor<3xf32>, tensor<8x3x5x5xf32>, tensor<3xf32>
func.func @batch_norm(%x: tensor<8x3x5x5xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %dy: tensor<8x3x5x5xf32>) -> (tensor<8x3x5x5xf32>, tensor<3xf32>, tensor<8x3x5x5xf32>, tensor<3xf32>) {
  %y, %m, %v = dl.batch_norm %x, %g, %b eps = 1.000000e-05
      : tensor<8x3x5x5xf32>, tensor<3xf32>
  %dx, %dg, %db = dl.batch_norm_backward %x, %dy, %g, %m, %v eps = 1.000000e-05
      : tensor<8x3x5x5xf32>, tensor<3xf32>
  return %y, %m, %dx, %dg : tensor<8x3x5x5xf32>, tensor<3xf32>, tensor<8x3x5x5xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @layer_norm(
// CHECK: %[[Y:.*]], %[[M:.*]], %[[R:.*]] = dl.layer_norm %{{.*}}, %{{.*}}, %{{.*}} eps = 1.000000e-05 : tensor<4x6x8xf32>, tensor<8xf32>
// CHECK: %[[DX:.*]], %[[DG:.*]], %[[DB:.*]] = dl.layer_norm_backward %{{.*}}, %{{.*}}, %{{.*}}, %[[M]], %[[R]] : tensor<4x6x8xf32>, tensor<8xf32>, tensor<4x6xf32>
// CHECK: return %[[Y]], %[[M]], %[[DX]], %[[DG]] : tensor<4x6x8xf32>, tensor<4x6xf32>, tensor<4x6x8xf32>, tensor<8xf32>
func.func @layer_norm(%x: tensor<4x6x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>, %dy: tensor<4x6x8xf32>) -> (tensor<4x6x8xf32>, tensor<4x6xf32>, tensor<4x6x8xf32>, tensor<8xf32>) {
  %y, %m, %r = dl.layer_norm %x, %g, %b eps = 1.000000e-05
      : tensor<4x6x8xf32>, tensor<8xf32>
  %dx, %dg, %db = dl.layer_norm_backward %x, %dy, %g, %m, %r
      : tensor<4x6x8xf32>, tensor<8xf32>, tensor<4x6xf32>
  return %y, %m, %dx, %dg : tensor<4x6x8xf32>, tensor<4x6xf32>, tensor<4x6x8xf32>, tensor<8xf32>
}

// A vector: 0-d statistics.
// CHECK-LABEL: func.func @layer_norm_vector(
// CHECK: dl.layer_norm %{{.*}}, %{{.*}}, %{{.*}} eps = 1.000000e-03 : tensor<8xf32>, tensor<8xf32>
func.func @layer_norm_vector(%x: tensor<8xf32>) -> tensor<f32> {
  %y, %m, %r = dl.layer_norm %x, %x, %x eps = 1.000000e-03 : tensor<8xf32>, tensor<8xf32>
  return %r : tensor<f32>
}

// CHECK-LABEL: func.func @attention(
// CHECK: dl.attention %{{.*}}, %{{.*}}, %{{.*}} scale = 1.250000e-01 causal : tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>
// CHECK: dl.attention %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} : tensor<2x1x1x6xf32> scale = 5.000000e-01 : tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x3xf32>
func.func @attention(%q: tensor<2x4x6x8xf32>, %v: tensor<2x4x6x3xf32>, %m: tensor<2x1x1x6xf32>) -> (tensor<2x4x6x8xf32>, tensor<2x4x6x3xf32>) {
  %a, %la = dl.attention %q, %q, %q scale = 1.250000e-01 causal : tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>
  %b, %lb = dl.attention %q, %q, %v mask %m : tensor<2x1x1x6xf32> scale = 5.000000e-01 : tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x3xf32>
  return %a, %b : tensor<2x4x6x8xf32>, tensor<2x4x6x3xf32>
}

// CHECK-LABEL: func.func @attention_backward(
// CHECK: %{{.*}}, %{{.*}}, %{{.*}} = dl.attention_backward %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} mask %{{.*}} : tensor<2x1x1x6xf32> scale = 5.000000e-01 causal : tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x3xf32>, tensor<2x4x6x3xf32>, tensor<2x4x6xf32>
func.func @attention_backward(%q: tensor<2x4x6x8xf32>, %v: tensor<2x4x6x3xf32>, %m: tensor<2x1x1x6xf32>, %do: tensor<2x4x6x3xf32>) -> tensor<2x4x6x8xf32> {
  %o, %l = dl.attention %q, %q, %v mask %m : tensor<2x1x1x6xf32> scale = 5.000000e-01 causal : tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x3xf32>
  %dq, %dk, %dv = dl.attention_backward %q, %q, %v, %o, %l, %do mask %m : tensor<2x1x1x6xf32> scale = 5.000000e-01 causal : tensor<2x4x6x8xf32>, tensor<2x4x6x8xf32>, tensor<2x4x6x3xf32>, tensor<2x4x6x3xf32>, tensor<2x4x6xf32>
  return %dq : tensor<2x4x6x8xf32>
}

// CHECK-LABEL: func.func @dropout(
// CHECK: dl.dropout %{{.*}}, %{{.*}}, %{{.*}} p = 2.500000e-01 stream = 3 : tensor<4x8xf32>, tensor<f32>, tensor<f32>
func.func @dropout(%x: tensor<4x8xf32>, %seed: tensor<f32>, %step: tensor<f32>) -> tensor<4x8xf32> {
  %y = dl.dropout %x, %seed, %step p = 2.500000e-01 stream = 3
      : tensor<4x8xf32>, tensor<f32>, tensor<f32>
  return %y : tensor<4x8xf32>
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @argmax(
// CHECK: dl.argmax %{{.*}} axis = 1 : tensor<32x96xf32>
// CHECK: return %{{.*}} : tensor<32xi32>
func.func @argmax(%x: tensor<32x96xf32>) -> tensor<32xi32> {
  %i = dl.argmax %x axis = 1 : tensor<32x96xf32>
  return %i : tensor<32xi32>
}

// CHECK-LABEL: func.func @slices(
// CHECK: %[[S:.*]] = dl.slice %{{.*}} offsets = [0, 8] sizes = [3, 4] strides = [1, 2] : tensor<3x16xf32> -> tensor<3x4xf32>
// CHECK: %[[B:.*]] = dl.slice_backward %[[S]] offsets = [0, 8] strides = [1, 2] : tensor<3x4xf32> -> tensor<3x16xf32>
// CHECK: %[[C:.*]] = dl.concat %[[S]], %{{.*}} axis = 1 : tensor<3x4xf32>, tensor<3x16xf32>
// CHECK: return %[[B]], %[[C]] : tensor<3x16xf32>, tensor<3x20xf32>
func.func @slices(%x: tensor<3x16xf32>) -> (tensor<3x16xf32>, tensor<3x20xf32>) {
  %s = dl.slice %x offsets = [0, 8] sizes = [3, 4] strides = [1, 2] : tensor<3x16xf32> -> tensor<3x4xf32>
  %b = dl.slice_backward %s offsets = [0, 8] strides = [1, 2] : tensor<3x4xf32> -> tensor<3x16xf32>
  %c = dl.concat %s, %x axis = 1 : tensor<3x4xf32>, tensor<3x16xf32>
  return %b, %c : tensor<3x16xf32>, tensor<3x20xf32>
}

// CHECK-LABEL: func.func @embedding(
// CHECK: %[[E:.*]] = dl.embedding %{{.*}}, %{{.*}} : tensor<10x4xf32>, tensor<2x3xi32>
// CHECK: %[[S:.*]] = dl.embedding %{{.*}}, %{{.*}} : tensor<10x4xf32>, tensor<i64>
// CHECK: %[[G:.*]] = dl.embedding_backward %[[E]], %{{.*}} : tensor<2x3x4xf32>, tensor<2x3xi32> -> tensor<10x4xf32>
// CHECK: return %[[E]], %[[S]], %[[G]] : tensor<2x3x4xf32>, tensor<4xf32>, tensor<10x4xf32>
func.func @embedding(%t: tensor<10x4xf32>, %ids: tensor<2x3xi32>, %id: tensor<i64>) -> (tensor<2x3x4xf32>, tensor<4xf32>, tensor<10x4xf32>) {
  %e = dl.embedding %t, %ids : tensor<10x4xf32>, tensor<2x3xi32>
  %s = dl.embedding %t, %id : tensor<10x4xf32>, tensor<i64>
  %g = dl.embedding_backward %e, %ids : tensor<2x3x4xf32>, tensor<2x3xi32> -> tensor<10x4xf32>
  return %e, %s, %g : tensor<2x3x4xf32>, tensor<4xf32>, tensor<10x4xf32>
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @scan(
// CHECK: %{{.*}}:2 = dl.scan(%{{.*}}) carry(%{{.*}}) along 1 length 8 : (tensor<4x8x3xf32>), (tensor<4x5xf32>) -> (tensor<4x5xf32>, tensor<4x8x5xf32>) {
// CHECK: ^bb0(%[[XT:.*]]: tensor<4x3xf32>, %[[H:.*]]: tensor<4x5xf32>):
// CHECK: dl.matmul %[[XT]], %{{.*}} : tensor<4x3xf32>, tensor<3x5xf32>
// CHECK: dl.yield %[[H1:.*]], %[[H1]] : tensor<4x5xf32>, tensor<4x5xf32>
// CHECK: dl.scan(%{{.*}}) carry() along 0 length 8 reverse : (tensor<8x4x3xf32>), () -> (tensor<8x4xf32>)
// CHECK: dl.scan() carry(%{{.*}}) along 0 length 3 : (), (tensor<4x5xf32>) -> (tensor<4x5xf32>)
func.func @scan(%x: tensor<4x8x3xf32>, %h0: tensor<4x5xf32>, %wx: tensor<3x5xf32>, %wh: tensor<5x5xf32>, %xs: tensor<8x4x3xf32>) -> (tensor<4x5xf32>, tensor<4x8x5xf32>, tensor<8x4xf32>, tensor<4x5xf32>) {
  %hT, %hs = dl.scan (%x) carry (%h0) along 1 length 8
      : (tensor<4x8x3xf32>), (tensor<4x5xf32>)
      -> (tensor<4x5xf32>, tensor<4x8x5xf32>) {
  ^bb0(%xt: tensor<4x3xf32>, %h: tensor<4x5xf32>):
    %a = dl.matmul %xt, %wx : tensor<4x3xf32>, tensor<3x5xf32>
    %b = dl.matmul %h, %wh : tensor<4x5xf32>, tensor<5x5xf32>
    %s = dl.add %a, %b : tensor<4x5xf32>, tensor<4x5xf32>
    %h1 = dl.tanh %s : tensor<4x5xf32>
    dl.yield %h1, %h1 : tensor<4x5xf32>, tensor<4x5xf32>
  }
  // No carries, reverse: a map over time.
  %sums = dl.scan (%xs) carry () along 0 length 8 reverse
      : (tensor<8x4x3xf32>), () -> (tensor<8x4xf32>) {
  ^bb0(%xt: tensor<4x3xf32>):
    %r = dl.sum %xt axes = [1] : tensor<4x3xf32>
    dl.yield %r : tensor<4xf32>
  }
  // No sequences: a carry iterated three times.
  %h3 = dl.scan () carry (%h0) along 0 length 3
      : (), (tensor<4x5xf32>) -> (tensor<4x5xf32>) {
  ^bb0(%h: tensor<4x5xf32>):
    %t = dl.tanh %h : tensor<4x5xf32>
    dl.yield %t : tensor<4x5xf32>
  }
  return %hT, %hs, %sums, %h3 : tensor<4x5xf32>, tensor<4x8x5xf32>, tensor<8x4xf32>, tensor<4x5xf32>
}
