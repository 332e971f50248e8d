// RUN: dlc-opt %s -split-input-file -canonicalize | FileCheck %s

// Folds and canonicalization patterns of the dl ops.

//===----------------------------------------------------------------------===//
// fill -> splat constant
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @fill_to_constant
// CHECK-DAG: %[[F:.*]] = dl.constant dense<1.500000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[I:.*]] = dl.constant dense<-3> : tensor<4xi32>
// CHECK-DAG: %[[H:.*]] = dl.constant dense<2.500000e-01> : tensor<2xf16>
// CHECK-DAG: %[[U:.*]] = dl.constant dense<-1> : tensor<2xi8>
// CHECK-DAG: %[[B:.*]] = dl.constant dense<true> : tensor<3xi1>
// CHECK-NOT: dl.fill
// CHECK: return %[[F]], %[[I]], %[[H]], %[[U]], %[[B]]
func.func @fill_to_constant()
    -> (tensor<2x3xf32>, tensor<4xi32>, tensor<2xf16>, tensor<2xi8>,
        tensor<3xi1>) {
  %0 = dl.fill 1.5 : tensor<2x3xf32>
  %1 = dl.fill -3.0 : tensor<4xi32>
  %2 = dl.fill 0.25 : tensor<2xf16>
  // 255 is the bit pattern of -1 in a signless 8-bit integer.
  %3 = dl.fill 255.0 : tensor<2xi8>
  %4 = dl.fill 1.0 : tensor<3xi1>
  return %0, %1, %2, %3, %4
      : tensor<2x3xf32>, tensor<4xi32>, tensor<2xf16>, tensor<2xi8>,
        tensor<3xi1>
}

// -----

//===----------------------------------------------------------------------===//
// Right identities: x + 0, x - 0, x * 1, x / 1
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @right_identities(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>, %[[I:[^:]*]]: tensor<4xi32>)
// CHECK-NOT: dl.add
// CHECK-NOT: dl.sub
// CHECK-NOT: dl.mul
// CHECK-NOT: dl.div
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[I]], %[[I]], %[[I]]
func.func @right_identities(%x: tensor<2x3xf32>, %i: tensor<4xi32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  // The identity may broadcast as long as the result keeps x's type. The
  // float additive identity is -0.0 (x + 0.0 is not x for x = -0.0).
  %zero = dl.fill -0.0 : tensor<3xf32>
  %zero0d = dl.constant dense<0.0> : tensor<f32>
  %one = dl.constant dense<1.0> : tensor<2x3xf32>
  %one1 = dl.constant dense<1.0> : tensor<1x3xf32>
  %0 = dl.add %x, %zero : tensor<2x3xf32>, tensor<3xf32>
  %1 = dl.sub %x, %zero0d : tensor<2x3xf32>, tensor<f32>
  %2 = dl.mul %x, %one : tensor<2x3xf32>, tensor<2x3xf32>
  %3 = dl.div %x, %one1 : tensor<2x3xf32>, tensor<1x3xf32>
  %izero = dl.fill 0.0 : tensor<4xi32>
  %ione = dl.constant dense<1> : tensor<4xi32>
  %4 = dl.add %i, %izero : tensor<4xi32>, tensor<4xi32>
  %5 = dl.mul %i, %ione : tensor<4xi32>, tensor<4xi32>
  %6 = dl.div %i, %ione : tensor<4xi32>, tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// Signed zeros: x + 0.0 and x - (-0.0) give +0.0 for x = -0.0, so they stay.
// CHECK-LABEL: func.func @signed_zero_not_identity(
// CHECK: dl.add
// CHECK: dl.sub
func.func @signed_zero_not_identity(%x: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>) {
  %pz = dl.fill 0.0 : tensor<4xf32>
  %nz = dl.fill -0.0 : tensor<4xf32>
  %0 = dl.add %x, %pz : tensor<4xf32>, tensor<4xf32>
  %1 = dl.sub %x, %nz : tensor<4xf32>, tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// add and mul are commutative: a constant lhs moves to the right and folds.
// CHECK-LABEL: func.func @left_identities_commutative(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32>)
// CHECK-NOT: dl.add
// CHECK-NOT: dl.mul
// CHECK: return %[[X]], %[[X]]
func.func @left_identities_commutative(%x: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = dl.fill -0.0 : tensor<4xf32>
  %one = dl.fill 1.0 : tensor<4xf32>
  %0 = dl.add %zero, %x : tensor<4xf32>, tensor<4xf32>
  %1 = dl.mul %one, %x : tensor<4xf32>, tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// The identity broadcasts x to a larger shape: x must not be returned as is.
// CHECK-LABEL: func.func @identity_that_broadcasts(
// CHECK-SAME: %[[X:[^:]*]]: tensor<3xf32>)
// CHECK-DAG: %[[Z:.*]] = dl.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[O:.*]] = dl.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[A:.*]] = dl.add %[[X]], %[[Z]] : tensor<3xf32>, tensor<2x3xf32>
// CHECK-DAG: %[[M:.*]] = dl.mul %[[X]], %[[O]] : tensor<3xf32>, tensor<2x3xf32>
// CHECK-DAG: %[[Z1:.*]] = dl.constant dense<0.000000e+00> : tensor<1x3xf32>
// CHECK-DAG: %[[O1:.*]] = dl.constant dense<1.000000e+00> : tensor<1x1xf32>
// CHECK-DAG: %[[S:.*]] = dl.sub %[[X]], %[[Z1]] : tensor<3xf32>, tensor<1x3xf32>
// CHECK-DAG: %[[D:.*]] = dl.div %[[X]], %[[O1]] : tensor<3xf32>, tensor<1x1xf32>
// CHECK: return %[[A]], %[[M]], %[[S]], %[[D]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>
func.func @identity_that_broadcasts(%x: tensor<3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>) {
  %zero = dl.fill 0.0 : tensor<2x3xf32>
  %one = dl.fill 1.0 : tensor<2x3xf32>
  %zero1 = dl.fill 0.0 : tensor<1x3xf32>
  %one1 = dl.fill 1.0 : tensor<1x1xf32>
  %0 = dl.add %x, %zero : tensor<3xf32>, tensor<2x3xf32>
  %1 = dl.mul %x, %one : tensor<3xf32>, tensor<2x3xf32>
  %2 = dl.sub %x, %zero1 : tensor<3xf32>, tensor<1x3xf32>
  %3 = dl.div %x, %one1 : tensor<3xf32>, tensor<1x1xf32>
  return %0, %1, %2, %3
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x3xf32>, tensor<1x3xf32>
}

// -----

// Not identities: 0 - x, 1 / x, x * 0, x + 1 and a non-splat constant.
// CHECK-LABEL: func.func @not_identities(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2xf32>)
// CHECK-DAG: %[[M:.*]] = dl.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[Z:.*]] = dl.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[O:.*]] = dl.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: %[[R0:.*]] = dl.sub %[[Z]], %[[X]]
// CHECK: %[[R1:.*]] = dl.div %[[O]], %[[X]]
// CHECK: %[[R2:.*]] = dl.mul %[[X]], %[[Z]]
// CHECK: %[[R3:.*]] = dl.add %[[X]], %[[O]]
// CHECK: %[[R4:.*]] = dl.mul %[[X]], %[[M]]
// CHECK: return %[[R0]], %[[R1]], %[[R2]], %[[R3]], %[[R4]]
func.func @not_identities(%x: tensor<2xf32>)
    -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
        tensor<2xf32>) {
  %zero = dl.fill 0.0 : tensor<2xf32>
  %one = dl.fill 1.0 : tensor<2xf32>
  %mixed = dl.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %0 = dl.sub %zero, %x : tensor<2xf32>, tensor<2xf32>
  %1 = dl.div %one, %x : tensor<2xf32>, tensor<2xf32>
  %2 = dl.mul %x, %zero : tensor<2xf32>, tensor<2xf32>
  %3 = dl.add %x, %one : tensor<2xf32>, tensor<2xf32>
  %4 = dl.mul %x, %mixed : tensor<2xf32>, tensor<2xf32>
  return %0, %1, %2, %3, %4
      : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
        tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Constant folding of binary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @fold_float_constants
// CHECK-DAG: %[[ADD:.*]] = dl.constant dense<[5.000000e+00, 6.000000e+00, -1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[SUB:.*]] = dl.constant dense<[-3.000000e+00, -1.000000e+01, -1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[MUL:.*]] = dl.constant dense<[4.000000e+00, -1.600000e+01, -0.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[DIV:.*]] = dl.constant dense<[2.500000e-01, -2.500000e-01, 0xFF800000]> : tensor<3xf32>
// CHECK-DAG: %[[MAX:.*]] = dl.constant dense<[4.000000e+00, 8.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[MIN:.*]] = dl.constant dense<[1.000000e+00, -2.000000e+00, -1.000000e+00]> : tensor<3xf32>
// CHECK-NOT: dl.add
// CHECK-NOT: dl.sub
// CHECK-NOT: dl.mul
// CHECK-NOT: dl.div
// CHECK-NOT: dl.maximum
// CHECK-NOT: dl.minimum
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[MAX]], %[[MIN]]
func.func @fold_float_constants()
    -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<3xf32>) {
  %a = dl.constant dense<[1.0, -2.0, -1.0]> : tensor<3xf32>
  %b = dl.constant dense<[4.0, 8.0, 0.0]> : tensor<3xf32>
  %0 = dl.add %a, %b : tensor<3xf32>, tensor<3xf32>
  %1 = dl.sub %a, %b : tensor<3xf32>, tensor<3xf32>
  %2 = dl.mul %a, %b : tensor<3xf32>, tensor<3xf32>
  // Float division by zero folds to an infinity.
  %3 = dl.div %a, %b : tensor<3xf32>, tensor<3xf32>
  %4 = dl.maximum %a, %b : tensor<3xf32>, tensor<3xf32>
  %5 = dl.minimum %a, %b : tensor<3xf32>, tensor<3xf32>
  return %0, %1, %2, %3, %4, %5
      : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
        tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_int_constants
// CHECK-DAG: %[[ADD:.*]] = dl.constant dense<[9, -5, 3]> : tensor<3xi32>
// CHECK-DAG: %[[SUB:.*]] = dl.constant dense<[5, -9, 7]> : tensor<3xi32>
// CHECK-DAG: %[[MUL:.*]] = dl.constant dense<[14, -14, -10]> : tensor<3xi32>
// CHECK-DAG: %[[DIV:.*]] = dl.constant dense<[3, -3, -2]> : tensor<3xi32>
// CHECK-DAG: %[[MAX:.*]] = dl.constant dense<[7, 2, 5]> : tensor<3xi32>
// CHECK-DAG: %[[MIN:.*]] = dl.constant dense<[2, -7, -2]> : tensor<3xi32>
// CHECK-NOT: dl.add
// CHECK-NOT: dl.sub
// CHECK-NOT: dl.mul
// CHECK-NOT: dl.div
// CHECK-NOT: dl.maximum
// CHECK-NOT: dl.minimum
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[MAX]], %[[MIN]]
func.func @fold_int_constants()
    -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>,
        tensor<3xi32>, tensor<3xi32>) {
  %a = dl.constant dense<[7, -7, 5]> : tensor<3xi32>
  %b = dl.constant dense<[2, 2, -2]> : tensor<3xi32>
  %0 = dl.add %a, %b : tensor<3xi32>, tensor<3xi32>
  %1 = dl.sub %a, %b : tensor<3xi32>, tensor<3xi32>
  %2 = dl.mul %a, %b : tensor<3xi32>, tensor<3xi32>
  // Signed division rounds toward zero.
  %3 = dl.div %a, %b : tensor<3xi32>, tensor<3xi32>
  %4 = dl.maximum %a, %b : tensor<3xi32>, tensor<3xi32>
  %5 = dl.minimum %a, %b : tensor<3xi32>, tensor<3xi32>
  return %0, %1, %2, %3, %4, %5
      : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>,
        tensor<3xi32>, tensor<3xi32>
}

// -----

// Splat operands fold to a splat of the broadcast result type.
// CHECK-LABEL: func.func @fold_broadcast_splats
// CHECK-DAG: %[[MUL:.*]] = dl.constant dense<6.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[SUB:.*]] = dl.constant dense<-1.000000e+00> : tensor<4x1x3xf32>
// CHECK-DAG: %[[MAX:.*]] = dl.constant dense<3> : tensor<5x1xi64>
// CHECK-DAG: %[[MIN:.*]] = dl.constant dense<-4> : tensor<5x2xi64>
// CHECK-DAG: %[[DIV:.*]] = dl.constant dense<-2> : tensor<2x2xi64>
// CHECK-NOT: dl.mul
// CHECK-NOT: dl.sub
// CHECK-NOT: dl.maximum
// CHECK-NOT: dl.minimum
// CHECK-NOT: dl.div
// CHECK: return %[[MUL]], %[[SUB]], %[[MAX]], %[[MIN]], %[[DIV]]
func.func @fold_broadcast_splats()
    -> (tensor<2x3xf32>, tensor<4x1x3xf32>, tensor<5x1xi64>, tensor<5x2xi64>,
        tensor<2x2xi64>) {
  %two = dl.fill 2.0 : tensor<3xf32>
  %three = dl.fill 3.0 : tensor<2x1xf32>
  %three3 = dl.fill 3.0 : tensor<4x1x1xf32>
  %0 = dl.mul %two, %three : tensor<3xf32>, tensor<2x1xf32>
  %1 = dl.sub %two, %three3 : tensor<3xf32>, tensor<4x1x1xf32>
  %i3 = dl.constant dense<3> : tensor<5x1xi64>
  %im4 = dl.constant dense<-4> : tensor<i64>
  %im4v = dl.constant dense<-4> : tensor<2xi64>
  %i2 = dl.constant dense<2> : tensor<2x1xi64>
  %2 = dl.maximum %i3, %im4 : tensor<5x1xi64>, tensor<i64>
  %3 = dl.minimum %im4v, %i3 : tensor<2xi64>, tensor<5x1xi64>
  %4 = dl.div %im4v, %i2 : tensor<2xi64>, tensor<2x1xi64>
  return %0, %1, %2, %3, %4
      : tensor<2x3xf32>, tensor<4x1x3xf32>, tensor<5x1xi64>, tensor<5x2xi64>,
        tensor<2x2xi64>
}

// -----

// Integer division by zero and INT_MIN / -1 are left to run time.
// CHECK-LABEL: func.func @int_div_not_folded
// CHECK-DAG: %[[A:.*]] = dl.constant dense<[7, -7]> : tensor<2xi32>
// CHECK-DAG: %[[Z:.*]] = dl.constant dense<0> : tensor<2xi32>
// CHECK-DAG: %[[B:.*]] = dl.constant dense<[2, 0]> : tensor<2xi32>
// CHECK-DAG: %[[MIN:.*]] = dl.constant dense<-2147483648> : tensor<i32>
// CHECK-DAG: %[[M1:.*]] = dl.constant dense<-1> : tensor<i32>
// CHECK-DAG: %[[D0:.*]] = dl.div %[[A]], %[[Z]] : tensor<2xi32>, tensor<2xi32>
// CHECK-DAG: %[[D1:.*]] = dl.div %[[A]], %[[B]] : tensor<2xi32>, tensor<2xi32>
// CHECK-DAG: %[[D2:.*]] = dl.div %[[MIN]], %[[M1]] : tensor<i32>, tensor<i32>
// CHECK: return %[[D0]], %[[D1]], %[[D2]]
func.func @int_div_not_folded() -> (tensor<2xi32>, tensor<2xi32>, tensor<i32>) {
  %a = dl.constant dense<[7, -7]> : tensor<2xi32>
  %z = dl.fill 0.0 : tensor<2xi32>
  %b = dl.constant dense<[2, 0]> : tensor<2xi32>
  %min = dl.constant dense<-2147483648> : tensor<i32>
  %m1 = dl.constant dense<-1> : tensor<i32>
  %0 = dl.div %a, %z : tensor<2xi32>, tensor<2xi32>
  %1 = dl.div %a, %b : tensor<2xi32>, tensor<2xi32>
  %2 = dl.div %min, %m1 : tensor<i32>, tensor<i32>
  return %0, %1, %2 : tensor<2xi32>, tensor<2xi32>, tensor<i32>
}

// -----

// A non-splat operand that would need broadcasting is not folded.
// CHECK-LABEL: func.func @no_fold_non_splat_broadcast
// CHECK: %[[R:.*]] = dl.add %{{.*}}, %{{.*}} : tensor<2xf32>, tensor<3x2xf32>
// CHECK: return %[[R]]
func.func @no_fold_non_splat_broadcast() -> tensor<3x2xf32> {
  %a = dl.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = dl.fill 1.0 : tensor<3x2xf32>
  %0 = dl.add %a, %b : tensor<2xf32>, tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// maximum / minimum of a value with itself
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @max_min_self(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32>, %[[Y:[^:]*]]: tensor<4xf32>)
// CHECK: %[[M:.*]] = dl.maximum %[[X]], %[[Y]]
// CHECK-NOT: dl.maximum
// CHECK-NOT: dl.minimum
// CHECK: return %[[X]], %[[X]], %[[M]]
func.func @max_min_self(%x: tensor<4xf32>, %y: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = dl.maximum %x, %x : tensor<4xf32>, tensor<4xf32>
  %1 = dl.minimum %x, %x : tensor<4xf32>, tensor<4xf32>
  %2 = dl.maximum %x, %y : tensor<4xf32>, tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @neg_neg(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32>, %[[I:[^:]*]]: tensor<3xi32>)
// CHECK: %[[N:.*]] = dl.neg %[[X]] : tensor<4xf32>
// CHECK-NOT: dl.neg
// CHECK: return %[[X]], %[[I]], %[[N]]
func.func @neg_neg(%x: tensor<4xf32>, %i: tensor<3xi32>)
    -> (tensor<4xf32>, tensor<3xi32>, tensor<4xf32>) {
  %n = dl.neg %x : tensor<4xf32>
  %0 = dl.neg %n : tensor<4xf32>
  %ni = dl.neg %i : tensor<3xi32>
  %1 = dl.neg %ni : tensor<3xi32>
  // A single neg stays.
  %2 = dl.neg %x : tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<3xi32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @neg_constant
// CHECK-DAG: %[[F:.*]] = dl.constant dense<[-1.000000e+00, 0.000000e+00, 2.500000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[S:.*]] = dl.constant dense<-3.000000e+00> : tensor<2x2xf64>
// CHECK-DAG: %[[I:.*]] = dl.constant dense<[-5, 7, -2147483648]> : tensor<3xi32>
// CHECK-NOT: dl.neg
// CHECK: return %[[F]], %[[S]], %[[I]]
func.func @neg_constant() -> (tensor<3xf32>, tensor<2x2xf64>, tensor<3xi32>) {
  %f = dl.constant dense<[1.0, -0.0, -2.5]> : tensor<3xf32>
  %s = dl.fill 3.0 : tensor<2x2xf64>
  // -INT_MIN wraps to INT_MIN.
  %i = dl.constant dense<[5, -7, -2147483648]> : tensor<3xi32>
  %0 = dl.neg %f : tensor<3xf32>
  %1 = dl.neg %s : tensor<2x2xf64>
  %2 = dl.neg %i : tensor<3xi32>
  return %0, %1, %2 : tensor<3xf32>, tensor<2x2xf64>, tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @relu_relu(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4xf32>)
// CHECK: %[[R:.*]] = dl.relu %[[X]] : tensor<4xf32>
// CHECK-NOT: dl.relu
// CHECK: return %[[R]], %[[R]]
func.func @relu_relu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r = dl.relu %x : tensor<4xf32>
  %0 = dl.relu %r : tensor<4xf32>
  %1 = dl.relu %0 : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A cast to the operand's type is the identity; a cast back from an exact
// widening (f16 -> f32 -> f16, bf16 -> f64 -> bf16) too. A narrowing and a
// widening (f32 -> f16 -> f32), and a round trip through a type that does
// not hold every value (f16 -> bf16 -> f16: bf16 has 8 bits of precision),
// stay.
// CHECK-LABEL: func.func @cast_identities(
// CHECK-SAME: %[[H:[^:]*]]: tensor<4xf16>, %[[F:[^:]*]]: tensor<4xf32>, %[[B:[^:]*]]: tensor<2xbf16>)
// CHECK-DAG: %[[N:.*]] = dl.cast %[[F]] : tensor<4xf32> -> tensor<4xf16>
// CHECK-DAG: %[[W:.*]] = dl.cast %[[N]] : tensor<4xf16> -> tensor<4xf32>
// CHECK-DAG: %[[HB:.*]] = dl.cast %[[H]] : tensor<4xf16> -> tensor<4xbf16>
// CHECK-DAG: %[[BH:.*]] = dl.cast %[[HB]] : tensor<4xbf16> -> tensor<4xf16>
// CHECK-NOT: dl.cast
// CHECK: return %[[F]], %[[H]], %[[B]], %[[W]], %[[BH]]
func.func @cast_identities(%h: tensor<4xf16>, %f: tensor<4xf32>,
                           %b: tensor<2xbf16>)
    -> (tensor<4xf32>, tensor<4xf16>, tensor<2xbf16>, tensor<4xf32>,
        tensor<4xf16>) {
  %0 = dl.cast %f : tensor<4xf32> -> tensor<4xf32>
  %hw = dl.cast %h : tensor<4xf16> -> tensor<4xf32>
  %1 = dl.cast %hw : tensor<4xf32> -> tensor<4xf16>
  %bw = dl.cast %b : tensor<2xbf16> -> tensor<2xf64>
  %2 = dl.cast %bw : tensor<2xf64> -> tensor<2xbf16>
  %fn = dl.cast %f : tensor<4xf32> -> tensor<4xf16>
  %3 = dl.cast %fn : tensor<4xf16> -> tensor<4xf32>
  %hb = dl.cast %h : tensor<4xf16> -> tensor<4xbf16>
  %4 = dl.cast %hb : tensor<4xbf16> -> tensor<4xf16>
  return %0, %1, %2, %3, %4
      : tensor<4xf32>, tensor<4xf16>, tensor<2xbf16>, tensor<4xf32>,
        tensor<4xf16>
}

// -----

// Constants are converted, rounded to nearest even: 1 + 2^-11 is halfway
// between f16's 1 and 1 + 2^-10 and rounds to 1; 1e-8 is below half of
// f16's smallest subnormal (2^-24) and becomes 0; 70000 overflows to inf.
// Integers are signed; i1's true is 1.
// CHECK-LABEL: func.func @cast_constant
// CHECK-DAG: %[[H:.*]] = dl.constant dense<[1.000000e+00, 0.000000e+00, 0x7C00, -2.500000e-01]> : tensor<4xf16>
// CHECK-DAG: %[[I:.*]] = dl.constant dense<[-3.000000e+00, 1.600000e+01]> : tensor<2xf32>
// CHECK-DAG: %[[B:.*]] = dl.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf64>
// CHECK-DAG: %[[S:.*]] = dl.constant dense<5.000000e-01> : tensor<3xbf16>
// CHECK-NOT: dl.cast
// CHECK: return %[[H]], %[[I]], %[[B]], %[[S]]
func.func @cast_constant()
    -> (tensor<4xf16>, tensor<2xf32>, tensor<2xf64>, tensor<3xbf16>) {
  %f = dl.constant dense<[1.00048828125, 1.0e-8, 70000.0, -0.25]> : tensor<4xf32>
  %0 = dl.cast %f : tensor<4xf32> -> tensor<4xf16>
  %i = dl.constant dense<[-3, 16]> : tensor<2xi8>
  %1 = dl.cast %i : tensor<2xi8> -> tensor<2xf32>
  %b = dl.constant dense<[true, false]> : tensor<2xi1>
  %2 = dl.cast %b : tensor<2xi1> -> tensor<2xf64>
  %s = dl.fill 0.5 : tensor<3xf64>
  %3 = dl.cast %s : tensor<3xf64> -> tensor<3xbf16>
  return %0, %1, %2, %3
      : tensor<4xf16>, tensor<2xf32>, tensor<2xf64>, tensor<3xbf16>
}

// -----

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_identity(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>)
// CHECK-NOT: dl.reshape
// CHECK: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_reshape(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4xf32>)
// CHECK: %[[R:.*]] = dl.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NOT: dl.reshape
// CHECK: return %[[R]], %[[X]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>)
    -> (tensor<24xf32>, tensor<2x3x4xf32>) {
  %r = dl.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %0 = dl.reshape %r : tensor<6x4xf32> -> tensor<24xf32>
  // Reshaping back to the original shape folds away entirely.
  %1 = dl.reshape %r : tensor<6x4xf32> -> tensor<2x3x4xf32>
  return %0, %1 : tensor<24xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
// CHECK-DAG: %[[C:.*]] = dl.constant dense<{{\[}}[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi32>
// CHECK-DAG: %[[S:.*]] = dl.constant dense<5.000000e-01> : tensor<1x6xf32>
// CHECK-NOT: dl.reshape
// CHECK: return %[[C]], %[[S]]
func.func @reshape_constant() -> (tensor<3x2xi32>, tensor<1x6xf32>) {
  %c = dl.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = dl.reshape %c : tensor<2x3xi32> -> tensor<3x2xi32>
  %s = dl.fill 0.5 : tensor<6xf32>
  %1 = dl.reshape %s : tensor<6xf32> -> tensor<1x6xf32>
  return %0, %1 : tensor<3x2xi32>, tensor<1x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @transpose_identity(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4xf32>, %[[S:[^:]*]]: tensor<f32>)
// CHECK-NOT: dl.transpose
// CHECK: return %[[X]], %[[S]]
func.func @transpose_identity(%x: tensor<2x3x4xf32>, %s: tensor<f32>)
    -> (tensor<2x3x4xf32>, tensor<f32>) {
  %0 = dl.transpose %x perm = [0, 1, 2] : tensor<2x3x4xf32>
  %1 = dl.transpose %s perm = [] : tensor<f32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @transpose_splat
// CHECK: %[[C:.*]] = dl.constant dense<2.000000e+00> : tensor<3x2xf32>
// CHECK-NOT: dl.transpose
// CHECK: return %[[C]]
func.func @transpose_splat() -> tensor<3x2xf32> {
  %s = dl.fill 2.0 : tensor<2x3xf32>
  %0 = dl.transpose %s perm = [1, 0] : tensor<2x3xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A non-splat constant is not transposed at compile time.
// CHECK-LABEL: func.func @transpose_non_splat_constant
// CHECK: %[[C:.*]] = dl.constant dense<{{\[}}[1.000000e+00, 2.000000e+00]]> : tensor<1x2xf32>
// CHECK: %[[T:.*]] = dl.transpose %[[C]] perm = [1, 0] : tensor<1x2xf32>
// CHECK: return %[[T]]
func.func @transpose_non_splat_constant() -> tensor<2x1xf32> {
  %c = dl.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %0 = dl.transpose %c perm = [1, 0] : tensor<1x2xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// transpose(transpose(x, p), q) -> transpose(x, [p[q[0]], p[q[1]], ...]).
// CHECK-LABEL: func.func @transpose_transpose(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4xf32>)
// p = [1, 2, 0] (2x3x4 -> 3x4x2), q = [1, 2, 0] (3x4x2 -> 4x2x3): [2, 0, 1].
// CHECK: %[[T0:.*]] = dl.transpose %[[X]] perm = [2, 0, 1] : tensor<2x3x4xf32>
// p = [1, 0, 2] (2x3x4 -> 3x2x4), q = [2, 0, 1] (3x2x4 -> 4x3x2): [2, 1, 0].
// CHECK: %[[T1:.*]] = dl.transpose %[[X]] perm = [2, 1, 0] : tensor<2x3x4xf32>
// CHECK-NOT: dl.transpose
// CHECK: return %[[T0]], %[[T1]], %[[X]] : tensor<4x2x3xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>
func.func @transpose_transpose(%x: tensor<2x3x4xf32>)
    -> (tensor<4x2x3xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>) {
  %a = dl.transpose %x perm = [1, 2, 0] : tensor<2x3x4xf32>
  %0 = dl.transpose %a perm = [1, 2, 0] : tensor<3x4x2xf32>
  %b = dl.transpose %x perm = [1, 0, 2] : tensor<2x3x4xf32>
  %1 = dl.transpose %b perm = [2, 0, 1] : tensor<3x2x4xf32>
  // A permutation followed by its inverse is the identity.
  %2 = dl.transpose %a perm = [2, 0, 1] : tensor<3x4x2xf32>
  return %0, %1, %2 : tensor<4x2x3xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// broadcast
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @broadcast_identity(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3xf32>)
// CHECK-NOT: dl.broadcast
// CHECK: return %[[X]]
func.func @broadcast_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dl.broadcast %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_splat
// CHECK-DAG: %[[C:.*]] = dl.constant dense<7.000000e+00> : tensor<5x3xf32>
// CHECK-DAG: %[[I:.*]] = dl.constant dense<-1> : tensor<2x4x3xi32>
// CHECK-NOT: dl.broadcast
// CHECK: return %[[C]], %[[I]]
func.func @broadcast_splat() -> (tensor<5x3xf32>, tensor<2x4x3xi32>) {
  %c = dl.constant dense<7.0> : tensor<3xf32>
  %0 = dl.broadcast %c : tensor<3xf32> -> tensor<5x3xf32>
  %i = dl.fill -1.0 : tensor<4x1xi32>
  %1 = dl.broadcast %i : tensor<4x1xi32> -> tensor<2x4x3xi32>
  return %0, %1 : tensor<5x3xf32>, tensor<2x4x3xi32>
}

// -----

// CHECK-LABEL: func.func @broadcast_not_folded(
// CHECK-SAME: %[[X:[^:]*]]: tensor<3xf32>)
// CHECK: %[[B:.*]] = dl.broadcast %[[X]] : tensor<3xf32> -> tensor<2x3xf32>
// CHECK: return %[[B]]
func.func @broadcast_not_folded(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = dl.broadcast %x : tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Reductions that do not reduce
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @identity_reductions(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x1x3xf32>, %[[I:[^:]*]]: tensor<1x4xi32>)
// CHECK-NOT: dl.sum
// CHECK-NOT: dl.mean
// CHECK-NOT: dl.max
// CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[I]], %[[I]]
func.func @identity_reductions(%x: tensor<2x1x3xf32>, %i: tensor<1x4xi32>)
    -> (tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>,
        tensor<2x1x3xf32>, tensor<1x4xi32>, tensor<1x4xi32>) {
  %0 = dl.sum %x axes = [] : tensor<2x1x3xf32>
  %1 = dl.mean %x axes = [] keepdims : tensor<2x1x3xf32>
  %2 = dl.max %x axes = [1] keepdims : tensor<2x1x3xf32>
  %3 = dl.mean %x axes = [1] keepdims : tensor<2x1x3xf32>
  %4 = dl.sum %i axes = [0] keepdims : tensor<1x4xi32>
  %5 = dl.max %i axes = [] : tensor<1x4xi32>
  return %0, %1, %2, %3, %4, %5
      : tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>,
        tensor<2x1x3xf32>, tensor<1x4xi32>, tensor<1x4xi32>
}

// -----

// Reductions that change the type stay: a size-1 axis that is dropped, or a
// kept axis of size > 1.
// CHECK-LABEL: func.func @real_reductions(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x1x3xf32>)
// CHECK: %[[S:.*]] = dl.sum %[[X]] axes = [1] : tensor<2x1x3xf32>
// CHECK: %[[M:.*]] = dl.mean %[[X]] axes = [1, 2] keepdims : tensor<2x1x3xf32>
// CHECK: %[[X0:.*]] = dl.max %[[X]] axes = [0] keepdims : tensor<2x1x3xf32>
// CHECK: return %[[S]], %[[M]], %[[X0]] : tensor<2x3xf32>, tensor<2x1x1xf32>, tensor<1x1x3xf32>
func.func @real_reductions(%x: tensor<2x1x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x1x1xf32>, tensor<1x1x3xf32>) {
  %0 = dl.sum %x axes = [1] : tensor<2x1x3xf32>
  %1 = dl.mean %x axes = [1, 2] keepdims : tensor<2x1x3xf32>
  %2 = dl.max %x axes = [0] keepdims : tensor<2x1x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x1x1xf32>, tensor<1x1x3xf32>
}

// -----

// A mode select of one value is that value; of two it stays (only the
// entry-point passes know the mode).
// CHECK-LABEL: func.func @mode_select(
// CHECK-SAME: %[[A:[^:]*]]: tensor<3xf32>, %[[B:[^:]*]]: tensor<3xf32>)
// CHECK: %[[S:.*]] = dl.mode_select training %[[A]], inference %[[B]]
// CHECK: return %[[A]], %[[S]]
func.func @mode_select(%a: tensor<3xf32>, %b: tensor<3xf32>)
    -> (tensor<3xf32>, tensor<3xf32>) {
  %same = dl.mode_select training %a, inference %a : tensor<3xf32>
  %s = dl.mode_select training %a, inference %b : tensor<3xf32>
  return %same, %s : tensor<3xf32>, tensor<3xf32>
}
