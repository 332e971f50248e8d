// RUN: dlc-opt %s --dl-autodiff -split-input-file -verify-diagnostics | FileCheck %s

// dl-autodiff adds @grad beside the model function: the same arguments; the
// loss, the outputs, then one gradient per parameter. The loss's cotangent
// is 1; the backward ops follow the forward ones, in reverse order.

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"}
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}, tensor<4x2xf32> {dl.kind = "output", dl.name = "y"}, tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"})
// CHECK: %[[Y:.*]] = dl.matmul %[[X]], %[[W]]
// CHECK: %[[L:.*]] = dl.sum %[[Y]] axes = [0, 1]
// CHECK: %[[ONE:.*]] = dl.fill 1.000000e+00 : tensor<f32>
// CHECK: %[[R:.*]] = dl.reshape %[[ONE]] : tensor<f32> -> tensor<1x1xf32>
// CHECK: %[[DY:.*]] = dl.broadcast %[[R]] : tensor<1x1xf32> -> tensor<4x2xf32>
// x is an input: only W's side of the matmul is differentiated.
// CHECK-NOT: dl.transpose %[[W]]
// CHECK: %[[XT:.*]] = dl.transpose %[[X]] perm = [1, 0]
// CHECK: %[[DW:.*]] = dl.matmul %[[XT]], %[[DY]] : tensor<3x4xf32>, tensor<4x2xf32>
// CHECK: return %[[L]], %[[Y]], %[[DW]]
// The model function itself is left as it was.
// CHECK-LABEL: func.func @model(
// CHECK-NOT: dl.fill
// CHECK: return
func.func @model(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                 %w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<4x2xf32> {dl.kind = "output", dl.name = "y"}) {
  %y = dl.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
  %l = dl.sum %y axes = [0, 1] : tensor<4x2xf32>
  return %l, %y : tensor<f32>, tensor<4x2xf32>
}

// -----

// A value used twice receives one cotangent per use; they are summed with
// dl.add. Here w is both operands of a mul, and h feeds two ops.

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[W:[^:]*]]: tensor<5xf32>
// CHECK: %[[SQ:.*]] = dl.mul %[[W]], %[[W]]
// CHECK: %[[H:.*]] = dl.tanh %[[SQ]]
// CHECK: %[[E:.*]] = dl.exp %[[H]]
// CHECK: %[[S:.*]] = dl.add %[[H]], %[[E]]
// CHECK: %[[DS:.*]] = dl.broadcast
// The exp use of h: dh1 = ds * e.
// CHECK: %[[DH1:.*]] = dl.mul %[[DS]], %[[E]]
// The direct use of h (ds itself) plus dh1.
// CHECK: %[[DH:.*]] = dl.add %[[DS]], %[[DH1]]
// tanh: dsq = dh (1 - h^2).
// CHECK: %[[HH:.*]] = dl.mul %[[H]], %[[H]]
// CHECK: %[[OMH:.*]] = dl.sub %{{.*}}, %[[HH]]
// CHECK: %[[DSQ:.*]] = dl.mul %[[DH]], %[[OMH]]
// mul: one cotangent per operand, both for w, then their sum.
// CHECK: %[[G0:.*]] = dl.mul %[[DSQ]], %[[W]]
// CHECK: %[[G1:.*]] = dl.mul %[[DSQ]], %[[W]]
// CHECK: %[[DW:.*]] = dl.add %[[G0]], %[[G1]] : tensor<5xf32>, tensor<5xf32>
// CHECK: return %{{.*}}, %[[DW]] : tensor<f32>, tensor<5xf32>
func.func @model(%w: tensor<5xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %sq = dl.mul %w, %w : tensor<5xf32>, tensor<5xf32>
  %h = dl.tanh %sq : tensor<5xf32>
  %e = dl.exp %h : tensor<5xf32>
  %s = dl.add %h, %e : tensor<5xf32>, tensor<5xf32>
  %l = dl.sum %s axes = [0] : tensor<5xf32>
  return %l : tensor<f32>
}

// -----

// Broadcast operands: the gradient is summed over the broadcast dimensions
// (dl.sum) and reshaped back to the operand's shape (dl.reshape) where a
// size-1 dimension was broadcast; a missing leading dimension needs the sum
// only.

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x3xf32>
// CHECK-SAME: %[[B:[^:]*]]: tensor<1x3xf32>
// CHECK-SAME: %[[C:[^:]*]]: tensor<3xf32>
// CHECK: %[[AB:.*]] = dl.add %[[A]], %[[B]] : tensor<4x3xf32>, tensor<1x3xf32>
// CHECK: %[[P:.*]] = dl.mul %[[AB]], %[[C]] : tensor<4x3xf32>, tensor<3xf32>
// CHECK: %[[DP:.*]] = dl.broadcast %{{.*}} -> tensor<4x3xf32>
// d(ab) = dp * c, full size; dc = sum over rows of dp * ab.
// CHECK: %[[DAB:.*]] = dl.mul %[[DP]], %[[C]] : tensor<4x3xf32>, tensor<3xf32>
// CHECK: %[[DC4:.*]] = dl.mul %[[DP]], %[[AB]] : tensor<4x3xf32>, tensor<4x3xf32>
// CHECK: %[[DC:.*]] = dl.sum %[[DC4]] axes = [0] : tensor<4x3xf32>
// CHECK-NOT: dl.reshape %[[DC]]
// da = d(ab); db = sum over rows, reshaped to 1x3.
// CHECK: %[[DB3:.*]] = dl.sum %[[DAB]] axes = [0] : tensor<4x3xf32>
// CHECK: %[[DB:.*]] = dl.reshape %[[DB3]] : tensor<3xf32> -> tensor<1x3xf32>
// CHECK: return %{{.*}}, %[[DAB]], %[[DB]], %[[DC]] : tensor<f32>, tensor<4x3xf32>, tensor<1x3xf32>, tensor<3xf32>
func.func @model(%a: tensor<4x3xf32> {dl.kind = "param", dl.name = "a"},
                 %b: tensor<1x3xf32> {dl.kind = "param", dl.name = "b"},
                 %c: tensor<3xf32> {dl.kind = "param", dl.name = "c"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %ab = dl.add %a, %b : tensor<4x3xf32>, tensor<1x3xf32>
  %p = dl.mul %ab, %c : tensor<4x3xf32>, tensor<3xf32>
  %l = dl.sum %p axes = [0, 1] : tensor<4x3xf32>
  return %l : tensor<f32>
}

// -----

// A parameter that does not reach the loss (here it only feeds an output)
// gets a zero gradient, and nothing is differentiated for it.

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[U:[^:]*]]: tensor<3xf32> {dl.kind = "param", dl.name = "unused"}
// CHECK: %[[O:.*]] = dl.neg %[[U]]
// CHECK-NOT: %[[O]]{{[^0-9]}}
// CHECK: %[[Z:.*]] = dl.fill 0.000000e+00 : tensor<3xf32>
// CHECK-NEXT: return %{{.*}}, %[[O]], %[[Z]], %{{.*}} : tensor<f32>, tensor<3xf32>, tensor<3xf32>, tensor<2xf32>
func.func @model(%u: tensor<3xf32> {dl.kind = "param", dl.name = "unused"},
                 %w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3xf32> {dl.kind = "output", dl.name = "out"}) {
  %o = dl.neg %u : tensor<3xf32>
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %l, %o : tensor<f32>, tensor<3xf32>
}

// -----

// No gradient is built for a branch that reaches the loss but not from a
// parameter (exp of the input x), nor for labels: after the forward use of
// exp(x) nothing reads it, and cross_entropy's labels get no one_hot of
// their own gradient (the one_hot is the logits' VJP).

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"}
// CHECK-SAME: %[[Y:[^:]*]]: tensor<4xi32> {dl.kind = "label", dl.name = "y"}
// CHECK: %[[E:.*]] = dl.exp %[[X]]
// CHECK: %[[Z:.*]] = dl.add %{{.*}}, %[[E]]
// CHECK-NOT: %[[E]]{{[^0-9]}}
// CHECK-NOT: dl.exp
// CHECK: %[[SM:.*]] = dl.softmax %[[Z]] axis = 1
// CHECK: %[[OH:.*]] = dl.one_hot %[[Y]] : tensor<4xi32> -> tensor<4x3xf32>
// CHECK: dl.sub %[[SM]], %[[OH]]
// CHECK-NOT: %[[E]]{{[^0-9]}}
// CHECK-NOT: dl.exp
// CHECK: return
func.func @model(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                 %y: tensor<4xi32> {dl.kind = "label", dl.name = "y"},
                 %w: tensor<4x3xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %e = dl.exp %x : tensor<4x3xf32>
  %z = dl.add %w, %e : tensor<4x3xf32>, tensor<4x3xf32>
  %l = dl.cross_entropy %z, %y : tensor<4x3xf32>, tensor<4xi32>
  return %l : tensor<f32>
}

// -----

// Piecewise constant ops (step, sign, floor) contribute no gradient: a
// parameter reached only through them gets the zero fill.

// CHECK-LABEL: func.func @grad(
// CHECK: dl.step
// CHECK: dl.floor
// CHECK: %[[Z:.*]] = dl.fill 0.000000e+00 : tensor<6xf32>
// CHECK-NEXT: return %{{.*}}, %[[Z]] : tensor<f32>, tensor<6xf32>
func.func @model(%w: tensor<6xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %s = dl.step %w : tensor<6xf32>
  %f = dl.floor %w : tensor<6xf32>
  %a = dl.add %s, %f : tensor<6xf32>, tensor<6xf32>
  %l = dl.sum %a axes = [0] : tensor<6xf32>
  return %l : tensor<f32>
}

// -----

// Without a function that returns a loss, the pass does nothing.

// CHECK-LABEL: func.func @plain(
// CHECK-NOT: func.func @grad
func.func @plain(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = dl.neg %x : tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// The name @grad must be free.

// expected-error @+1 {{cannot derive 'grad': the symbol already exists}}
func.func @model(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}
func.func @grad(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// An op without the interface on the path from a parameter to the loss stops
// the pass (here arith on tensors) rather than dropping the gradient.

func.func @model(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  // expected-error @+1 {{'arith.addf' op has no gradient, but the loss depends on a parameter through it}}
  %a = arith.addf %w, %w : tensor<2xf32>
  %l = dl.sum %a axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}

// -----

// So does an op with regions that does not differentiate its own body
// (DifferentiableRegionOpInterface), here one that reads the parameter from
// inside its region, with no operand at all.

func.func @model(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  // expected-error @+1 {{'scf.execute_region' op has no gradient, but the loss depends on a parameter through it}}
  %r:2 = scf.execute_region -> (tensor<2xf32>, tensor<2xf32>) {
    scf.yield %w, %w : tensor<2xf32>, tensor<2xf32>
  }
  %l = dl.sum %r#1 axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}

// -----

// An op without the interface that the loss reaches but no parameter
// does is fine: it is not differentiated.

// CHECK-LABEL: func.func @grad(
// CHECK: arith.mulf
// CHECK-NOT: arith.mulf
// CHECK: return
func.func @model(%x: tensor<2xf32> {dl.kind = "input", dl.name = "x"},
                 %w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %sq = arith.mulf %x, %x : tensor<2xf32>
  %a = dl.mul %sq, %w : tensor<2xf32>, tensor<2xf32>
  %l = dl.sum %a axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}

// -----

// @grad computes the training side of every dl.mode_select, and returns each
// state the model function changes as an update of that state (written in
// place); an unchanged state is no result.

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"}
// CHECK-SAME: %[[W:[^:]*]]: tensor<3xf32> {dl.kind = "param", dl.name = "w"}
// CHECK-SAME: %[[S:[^:]*]]: tensor<3xf32> {dl.kind = "state", dl.name = "s"}
// CHECK-SAME: %[[K:[^:]*]]: tensor<3xf32> {dl.kind = "state", dl.name = "k"}
// CHECK-SAME: -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}, tensor<3xf32> {dl.kind = "update", dl.name = "s"}, tensor<3xf32> {dl.kind = "grad", dl.name = "w"})
// CHECK-SAME: attributes {dl.entry = "grad"}
// CHECK-NOT: dl.mode_select
// CHECK: %[[M:.*]] = dl.mean %[[X]]
// CHECK: %[[C:.*]] = dl.sub %[[X]], %[[M]]
// CHECK: return %{{.*}}, %[[M]], %{{.*}} :
// CHECK-LABEL: func.func @model(
// CHECK: dl.mode_select
func.func @model(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                 %w: tensor<3xf32> {dl.kind = "param", dl.name = "w"},
                 %s: tensor<3xf32> {dl.kind = "state", dl.name = "s"},
                 %k: tensor<3xf32> {dl.kind = "state", dl.name = "k"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3xf32> {dl.kind = "state", dl.name = "s"},
        tensor<3xf32> {dl.kind = "state", dl.name = "k"}) {
  %m = dl.mean %x axes = [0] : tensor<4x3xf32>
  %c = dl.mode_select training %m, inference %s : tensor<3xf32>
  %z = dl.sub %x, %c : tensor<4x3xf32>, tensor<3xf32>
  %zw = dl.mul %z, %w : tensor<4x3xf32>, tensor<3xf32>
  %l = dl.sum %zw axes = [0, 1] : tensor<4x3xf32>
  %k2 = dl.mode_select training %k, inference %m : tensor<3xf32>
  return %l, %c, %k2 : tensor<f32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// dl.cast: the cotangent is cast back to the operand's type; an integer
// operand (the input i) gets none.

// CHECK-LABEL: func.func @grad(
// CHECK-SAME: %[[I:[^:]*]]: tensor<3xi32> {dl.kind = "input", dl.name = "i"}
// CHECK-SAME: %[[W:[^:]*]]: tensor<3xf16> {dl.kind = "param", dl.name = "w"}
// CHECK-SAME: -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}, tensor<3xf16> {dl.kind = "grad", dl.name = "w"})
// CHECK: %[[H:.*]] = dl.cast %[[W]] : tensor<3xf16> -> tensor<3xf32>
// CHECK: %[[F:.*]] = dl.cast %[[I]] : tensor<3xi32> -> tensor<3xf32>
// CHECK: %[[DY:.*]] = dl.broadcast
// CHECK: %[[DH:.*]] = dl.mul %[[DY]], %[[F]] : tensor<3xf32>, tensor<3xf32>
// CHECK-NOT: dl.cast %{{.*}} -> tensor<3xi32>
// CHECK: %[[DW:.*]] = dl.cast %[[DH]] : tensor<3xf32> -> tensor<3xf16>
// CHECK: return %{{.*}}, %[[DW]] : tensor<f32>, tensor<3xf16>
func.func @model(%i: tensor<3xi32> {dl.kind = "input", dl.name = "i"},
                 %w: tensor<3xf16> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %h = dl.cast %w : tensor<3xf16> -> tensor<3xf32>
  %f = dl.cast %i : tensor<3xi32> -> tensor<3xf32>
  %p = dl.mul %h, %f : tensor<3xf32>, tensor<3xf32>
  %l = dl.sum %p axes = [0] : tensor<3xf32>
  return %l : tensor<f32>
}
