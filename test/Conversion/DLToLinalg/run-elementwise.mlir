// RUN: dlc-opt %s -convert-dl-to-linalg \
// RUN: | mlir-opt -one-shot-bufferize="bufferize-function-boundaries" \
// RUN:     -buffer-deallocation-pipeline -convert-bufferization-to-memref \
// RUN:     -convert-linalg-to-loops -convert-scf-to-cf -expand-strided-metadata \
// RUN:     -lower-affine -finalize-memref-to-llvm -convert-math-to-llvm \
// RUN:     -convert-math-to-libm -convert-arith-to-llvm -convert-cf-to-llvm \
// RUN:     -convert-func-to-llvm -reconcile-unrealized-casts \
// RUN: | mlir-cpu-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils \
// RUN: | FileCheck %s

// Numeric semantics of the elementwise lowering (broadcasting binary ops,
// integer ops, unary ops), run through upstream passes only. The dl ops live
// in functions that take their inputs as arguments: in @main they would have
// constant operands, and the conversion driver would fold them instead of
// lowering them.
//
// Expected values: exact arithmetic done by hand; the transcendental ones from
// python3 with the math module in double precision, printed with '%g' (the six
// significant digits printMemrefF32 prints), e.g.
//   python3 -c 'import math; print(["%g" % math.tanh(x) for x in (-2, -0.5, 0, 0.5, 1, 3)])'
// None of them is near a rounding boundary at the sixth digit.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

// [2,1] op [1,3] -> [2,3]
func.func @outer(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %add = dl.add %a, %b : tensor<2x1xf32>, tensor<1x3xf32>
  %sub = dl.sub %a, %b : tensor<2x1xf32>, tensor<1x3xf32>
  %mul = dl.mul %a, %b : tensor<2x1xf32>, tensor<1x3xf32>
  %div = dl.div %a, %b : tensor<2x1xf32>, tensor<1x3xf32>
  return %add, %sub, %mul, %div
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// One operand [2,3], the other [2,1], [1,3], [3] or 0-d, on either side.
func.func @one_sided(%x: tensor<2x3xf32>, %c: tensor<2x1xf32>,
                     %r: tensor<1x3xf32>, %v: tensor<3xf32>, %s: tensor<f32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = dl.add %c, %x : tensor<2x1xf32>, tensor<2x3xf32>
  %1 = dl.mul %r, %x : tensor<1x3xf32>, tensor<2x3xf32>
  %2 = dl.add %v, %x : tensor<3xf32>, tensor<2x3xf32>
  %3 = dl.add %s, %x : tensor<f32>, tensor<2x3xf32>
  %4 = dl.sub %x, %c : tensor<2x3xf32>, tensor<2x1xf32>
  %5 = dl.div %s, %x : tensor<f32>, tensor<2x3xf32>
  %6 = dl.maximum %x, %r : tensor<2x3xf32>, tensor<1x3xf32>
  %7 = dl.minimum %v, %x : tensor<3xf32>, tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// Integer ops: [2,3] op [3].
func.func @integer(%a: tensor<2x3xi32>, %b: tensor<3xi32>)
    -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>,
        tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>) {
  %add = dl.add %a, %b : tensor<2x3xi32>, tensor<3xi32>
  %sub = dl.sub %a, %b : tensor<2x3xi32>, tensor<3xi32>
  %mul = dl.mul %a, %b : tensor<2x3xi32>, tensor<3xi32>
  %div = dl.div %a, %b : tensor<2x3xi32>, tensor<3xi32>
  %max = dl.maximum %a, %b : tensor<2x3xi32>, tensor<3xi32>
  %min = dl.minimum %a, %b : tensor<2x3xi32>, tensor<3xi32>
  %neg = dl.neg %a : tensor<2x3xi32>
  return %add, %sub, %mul, %div, %max, %min, %neg
      : tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>,
        tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>
}

func.func @unary(%x: tensor<6xf32>)
    -> (tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>,
        tensor<6xf32>, tensor<6xf32>, tensor<6xf32>) {
  %neg = dl.neg %x : tensor<6xf32>
  %relu = dl.relu %x : tensor<6xf32>
  %sigmoid = dl.sigmoid %x : tensor<6xf32>
  %tanh = dl.tanh %x : tensor<6xf32>
  %exp = dl.exp %x : tensor<6xf32>
  %step = dl.step %x : tensor<6xf32>
  %sign = dl.sign %x : tensor<6xf32>
  return %neg, %relu, %sigmoid, %tanh, %exp, %step, %sign
      : tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>,
        tensor<6xf32>, tensor<6xf32>, tensor<6xf32>
}

func.func @log_sqrt(%x: tensor<6xf32>) -> (tensor<6xf32>, tensor<6xf32>) {
  %log = dl.log %x : tensor<6xf32>
  %sqrt = dl.sqrt %x : tensor<6xf32>
  return %log, %sqrt : tensor<6xf32>, tensor<6xf32>
}

func.func @print2x3(%t: tensor<2x3xf32>) {
  %u = tensor.cast %t : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @print2x3i(%t: tensor<2x3xi32>) {
  %u = tensor.cast %t : tensor<2x3xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func @print6(%t: tensor<6xf32>) {
  %u = tensor.cast %t : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  //===--------------------------------------------------------------------===//
  // a = [[1.5], [-2]], b = [[0.5, -4, 3]]
  //===--------------------------------------------------------------------===//
  %a = dl.constant dense<[[1.5], [-2.0]]> : tensor<2x1xf32>
  %b = dl.constant dense<[[0.5, -4.0, 3.0]]> : tensor<1x3xf32>
  %o:4 = call @outer(%a, %b)
      : (tensor<2x1xf32>, tensor<1x3xf32>)
      -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
  // a + b
  // CHECK: rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}2, -2.5, 4.5],
  // CHECK-NEXT:  [-1.5, -6, 1]]
  call @print2x3(%o#0) : (tensor<2x3xf32>) -> ()
  // a - b
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}1, 5.5, -1.5],
  // CHECK-NEXT:  [-2.5, 2, -5]]
  call @print2x3(%o#1) : (tensor<2x3xf32>) -> ()
  // a * b
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}0.75, -6, 4.5],
  // CHECK-NEXT:  [-1, 8, -6]]
  call @print2x3(%o#2) : (tensor<2x3xf32>) -> ()
  // a / b; -2 / 3 = -0.666667
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}3, -0.375, 0.5],
  // CHECK-NEXT:  [-4, 0.5, -0.666667]]
  call @print2x3(%o#3) : (tensor<2x3xf32>) -> ()

  //===--------------------------------------------------------------------===//
  // x = [[1, -2, 3], [0.5, 4, -6]], c = [[10], [-1]], r = [[2, 0.5, -1]],
  // v = [100, 200, 300], s = 0.25
  //===--------------------------------------------------------------------===//
  %x = dl.constant dense<[[1.0, -2.0, 3.0], [0.5, 4.0, -6.0]]> : tensor<2x3xf32>
  %c = dl.constant dense<[[10.0], [-1.0]]> : tensor<2x1xf32>
  %r = dl.constant dense<[[2.0, 0.5, -1.0]]> : tensor<1x3xf32>
  %v = dl.constant dense<[100.0, 200.0, 300.0]> : tensor<3xf32>
  %s = dl.constant dense<0.25> : tensor<f32>
  %w:8 = call @one_sided(%x, %c, %r, %v, %s)
      : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<1x3xf32>, tensor<3xf32>,
         tensor<f32>)
      -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
          tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
  // c + x
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}11, 8, 13],
  // CHECK-NEXT:  [-0.5, 3, -7]]
  call @print2x3(%w#0) : (tensor<2x3xf32>) -> ()
  // r * x
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}2, -1, -3],
  // CHECK-NEXT:  [1, 2, 6]]
  call @print2x3(%w#1) : (tensor<2x3xf32>) -> ()
  // v + x
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}101, 198, 303],
  // CHECK-NEXT:  [100.5, 204, 294]]
  call @print2x3(%w#2) : (tensor<2x3xf32>) -> ()
  // s + x
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}1.25, -1.75, 3.25],
  // CHECK-NEXT:  [0.75, 4.25, -5.75]]
  call @print2x3(%w#3) : (tensor<2x3xf32>) -> ()
  // x - c
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}-9, -12, -7],
  // CHECK-NEXT:  [1.5, 5, -5]]
  call @print2x3(%w#4) : (tensor<2x3xf32>) -> ()
  // s / x; 0.25 / 3 = 0.0833333, 0.25 / -6 = -0.0416667
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}0.25, -0.125, 0.0833333],
  // CHECK-NEXT:  [0.5, 0.0625, -0.0416667]]
  call @print2x3(%w#5) : (tensor<2x3xf32>) -> ()
  // maximum(x, r)
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}2, 0.5, 3],
  // CHECK-NEXT:  [2, 4, -1]]
  call @print2x3(%w#6) : (tensor<2x3xf32>) -> ()
  // minimum(v, x)
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}1, -2, 3],
  // CHECK-NEXT:  [0.5, 4, -6]]
  call @print2x3(%w#7) : (tensor<2x3xf32>) -> ()

  //===--------------------------------------------------------------------===//
  // Integers: ia = [[7, -7, 9], [-8, 5, 0]], ib = [2, 3, -4]
  //===--------------------------------------------------------------------===//
  %ia = dl.constant dense<[[7, -7, 9], [-8, 5, 0]]> : tensor<2x3xi32>
  %ib = dl.constant dense<[2, 3, -4]> : tensor<3xi32>
  %i:7 = call @integer(%ia, %ib)
      : (tensor<2x3xi32>, tensor<3xi32>)
      -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>,
          tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>)
  // ia + ib
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}9, -4, 5],
  // CHECK-NEXT:  [-6, 8, -4]]
  call @print2x3i(%i#0) : (tensor<2x3xi32>) -> ()
  // ia - ib
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}5, -10, 13],
  // CHECK-NEXT:  [-10, 2, 4]]
  call @print2x3i(%i#1) : (tensor<2x3xi32>) -> ()
  // ia * ib
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}14, -21, -36],
  // CHECK-NEXT:  [-16, 15, 0]]
  call @print2x3i(%i#2) : (tensor<2x3xi32>) -> ()
  // ia / ib, signed and truncating toward zero: -7/3 = -2, 9/-4 = -2
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}3, -2, -2],
  // CHECK-NEXT:  [-4, 1, 0]]
  call @print2x3i(%i#3) : (tensor<2x3xi32>) -> ()
  // maximum(ia, ib), signed
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}7, 3, 9],
  // CHECK-NEXT:  [2, 5, 0]]
  call @print2x3i(%i#4) : (tensor<2x3xi32>) -> ()
  // minimum(ia, ib), signed
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}2, -7, -4],
  // CHECK-NEXT:  [-8, 3, -4]]
  call @print2x3i(%i#5) : (tensor<2x3xi32>) -> ()
  // -ia
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: {{\[\[}}-7, 7, -9],
  // CHECK-NEXT:  [8, -5, 0]]
  call @print2x3i(%i#6) : (tensor<2x3xi32>) -> ()

  //===--------------------------------------------------------------------===//
  // Unary: u = [-2, -0.5, 0, 0.5, 1, 3]
  //===--------------------------------------------------------------------===//
  %u = dl.constant dense<[-2.0, -0.5, 0.0, 0.5, 1.0, 3.0]> : tensor<6xf32>
  %n:7 = call @unary(%u)
      : (tensor<6xf32>)
      -> (tensor<6xf32>, tensor<6xf32>, tensor<6xf32>, tensor<6xf32>,
          tensor<6xf32>, tensor<6xf32>, tensor<6xf32>)
  // neg (-0.0 for 0)
  // CHECK: rank = 1 offset = 0 sizes = [6] strides = [1] data =
  // CHECK-NEXT: [2, 0.5, -0, -0.5, -1, -3]
  call @print6(%n#0) : (tensor<6xf32>) -> ()
  // relu
  // CHECK: sizes = [6]
  // CHECK-NEXT: [0, 0, 0, 0.5, 1, 3]
  call @print6(%n#1) : (tensor<6xf32>) -> ()
  // sigmoid: "%g" % (1 / (1 + math.exp(-x)))
  // CHECK: sizes = [6]
  // CHECK-NEXT: [0.119203, 0.377541, 0.5, 0.622459, 0.731059, 0.952574]
  call @print6(%n#2) : (tensor<6xf32>) -> ()
  // tanh: "%g" % math.tanh(x)
  // CHECK: sizes = [6]
  // CHECK-NEXT: [-0.964028, -0.462117, 0, 0.462117, 0.761594, 0.995055]
  call @print6(%n#3) : (tensor<6xf32>) -> ()
  // exp: "%g" % math.exp(x)
  // CHECK: sizes = [6]
  // CHECK-NEXT: [0.135335, 0.606531, 1, 1.64872, 2.71828, 20.0855]
  call @print6(%n#4) : (tensor<6xf32>) -> ()
  // step: x > 0 ? 1 : 0
  // CHECK: sizes = [6]
  // CHECK-NEXT: [0, 0, 0, 1, 1, 1]
  call @print6(%n#5) : (tensor<6xf32>) -> ()
  // sign
  // CHECK: sizes = [6]
  // CHECK-NEXT: [-1, -1, 0, 1, 1, 1]
  call @print6(%n#6) : (tensor<6xf32>) -> ()

  //===--------------------------------------------------------------------===//
  // log and sqrt: p = [0.25, 1, 2, 20, 0, 100]
  //===--------------------------------------------------------------------===//
  %p = dl.constant dense<[0.25, 1.0, 2.0, 20.0, 0.0, 100.0]> : tensor<6xf32>
  %l:2 = call @log_sqrt(%p) : (tensor<6xf32>) -> (tensor<6xf32>, tensor<6xf32>)
  // log: "%g" % math.log(x), log(0) = -inf
  // CHECK: sizes = [6]
  // CHECK-NEXT: [-1.38629, 0, 0.693147, 2.99573, -inf, 4.60517]
  call @print6(%l#0) : (tensor<6xf32>) -> ()
  // sqrt: "%g" % math.sqrt(x)
  // CHECK: sizes = [6]
  // CHECK-NEXT: [0.5, 1, 1.41421, 4.47214, 0, 10]
  call @print6(%l#1) : (tensor<6xf32>) -> ()
  return
}
