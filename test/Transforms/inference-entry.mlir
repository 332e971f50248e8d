// RUN: dlc-opt %s --dl-inference-entry -split-input-file -verify-diagnostics | FileCheck %s

// dl-inference-entry renames the model function (the one with a loss
// result) to @eval and adds @forward: the outputs only, the ops that only fed
// the loss removed, the labels dropped. Both are marked dl.entry.

// CHECK-LABEL: func.func @eval(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"}
// CHECK-SAME: %[[Y:[^:]*]]: tensor<4xi32> {dl.kind = "label", dl.name = "y"}
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}, tensor<4x2xf32> {dl.kind = "output", dl.name = "logits"})
// CHECK-SAME: attributes {dl.entry = "eval"}
// CHECK: %[[Z:.*]] = dl.matmul %[[X]], %[[W]]
// CHECK: %[[CE:.*]] = dl.cross_entropy %[[Z]], %[[Y]]
// CHECK: %[[L:.*]] = dl.add %[[CE]], %{{.*}}
// CHECK: return %[[L]], %[[Z]]

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
// CHECK-SAME: -> (tensor<4x2xf32> {dl.kind = "output", dl.name = "logits"})
// CHECK-SAME: attributes {dl.entry = "forward"}
// CHECK-NEXT: %[[Z:.*]] = dl.matmul %[[X]], %[[W]]
// CHECK-NOT: dl.cross_entropy
// CHECK-NOT: dl.exp
// CHECK-NEXT: return %[[Z]] : tensor<4x2xf32>
// CHECK-NOT: func.func @model
func.func @model(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                 %y: tensor<4xi32> {dl.kind = "label", dl.name = "y"},
                 %w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<4x2xf32> {dl.kind = "output", dl.name = "logits"}) {
  %z = dl.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
  %e = dl.exp %z : tensor<4x2xf32>
  %s = dl.sum %e axes = [0, 1] : tensor<4x2xf32>
  %ce = dl.cross_entropy %z, %y : tensor<4x2xf32>, tensor<4xi32>
  %l = dl.add %ce, %s : tensor<f32>, tensor<f32>
  return %l, %z : tensor<f32>, tensor<4x2xf32>
}

// -----

// Several outputs stay in order; a model without outputs gets a @forward
// with no results.

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: -> (tensor<2xf32> {dl.kind = "output", dl.name = "a"}, tensor<2xf32> {dl.kind = "output", dl.name = "b"})
// CHECK: %[[A:.*]] = dl.neg
// CHECK: %[[B:.*]] = dl.exp
// CHECK: return %[[A]], %[[B]]
func.func @model(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<2xf32> {dl.kind = "output", dl.name = "a"},
        tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<2xf32> {dl.kind = "output", dl.name = "b"}) {
  %a = dl.neg %w : tensor<2xf32>
  %b = dl.exp %w : tensor<2xf32>
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %a, %l, %b : tensor<2xf32>, tensor<f32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %{{[^:]*}}: tensor<2xf32> {dl.kind = "param", dl.name = "w"}) attributes {dl.entry = "forward"} {
// CHECK-NEXT: return
// CHECK-NEXT: }
func.func @model(%y: tensor<2xf32> {dl.kind = "label", dl.name = "t"},
                 %w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %d = dl.sub %w, %y : tensor<2xf32>, tensor<2xf32>
  %l = dl.sum %d axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}

// -----

// An output computed from a label has no inference function.

func.func @model(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                 %y: tensor<4x3xf32> {dl.kind = "label", dl.name = "y"},
                 %w: tensor<4x3xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<4x3xf32> {dl.kind = "output", dl.name = "err"}) {
  %z = dl.mul %x, %w : tensor<4x3xf32>, tensor<4x3xf32>
  // expected-error @+1 {{an output depends on label 'y' through this op: no inference function can be derived}}
  %d = dl.sub %z, %y : tensor<4x3xf32>, tensor<4x3xf32>
  %l = dl.sum %d axes = [0, 1] : tensor<4x3xf32>
  return %l, %d : tensor<f32>, tensor<4x3xf32>
}

// -----

// Inference computes the inference side of every dl.mode_select and writes
// no state: the state results are dropped from @eval and @forward, and so is
// what only fed them.

// CHECK-LABEL: func.func @eval(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"}
// CHECK-SAME: %[[S:[^:]*]]: tensor<3xf32> {dl.kind = "state", dl.name = "s"}
// CHECK-SAME: -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}, tensor<4x3xf32> {dl.kind = "output", dl.name = "z"})
// CHECK-NOT: dl.mean
// CHECK-NOT: dl.mode_select
// CHECK: %[[Z:.*]] = dl.sub %[[X]], %[[S]]
// CHECK: %[[L:.*]] = dl.sum %[[Z]]
// CHECK: return %[[L]], %[[Z]] : tensor<f32>, tensor<4x3xf32>
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: -> (tensor<4x3xf32> {dl.kind = "output", dl.name = "z"})
// CHECK-NEXT: %[[Z:.*]] = dl.sub
// CHECK-NEXT: return %[[Z]]
func.func @model(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                 %s: tensor<3xf32> {dl.kind = "state", dl.name = "s"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<4x3xf32> {dl.kind = "output", dl.name = "z"},
        tensor<3xf32> {dl.kind = "state", dl.name = "s"}) {
  %m = dl.mean %x axes = [0] : tensor<4x3xf32>
  %c = dl.mode_select training %m, inference %s : tensor<3xf32>
  %z = dl.sub %x, %c : tensor<4x3xf32>, tensor<3xf32>
  %l = dl.sum %z axes = [0, 1] : tensor<4x3xf32>
  %new = dl.mode_select training %m, inference %s : tensor<3xf32>
  return %l, %z, %new : tensor<f32>, tensor<4x3xf32>, tensor<3xf32>
}

// -----

// A label used only on the training side does not stop inference.

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %{{[^:]*}}: tensor<3xf32> {dl.kind = "param", dl.name = "w"})
// CHECK-NEXT: return
func.func @model(%y: tensor<3xf32> {dl.kind = "label", dl.name = "y"},
                 %w: tensor<3xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3xf32> {dl.kind = "output", dl.name = "o"}) {
  %t = dl.add %w, %y : tensor<3xf32>, tensor<3xf32>
  %o = dl.mode_select training %t, inference %w : tensor<3xf32>
  %l = dl.sum %o axes = [0] : tensor<3xf32>
  return %l, %o : tensor<f32>, tensor<3xf32>
}

// -----

// Derived functions are no model functions: only @model is derived from.

// CHECK-LABEL: func.func @grad(
// CHECK-LABEL: func.func @eval(
// CHECK-LABEL: func.func @forward(
func.func @grad(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"})
    attributes {dl.entry = "grad"} {
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}
func.func @model(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}

// -----

// The entry point names must be free.

// expected-error @+1 {{cannot derive entry points: 'forward' already exists}}
func.func @model(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// One model function per module.

func.func @m1(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}
// expected-error @+1 {{several functions have a loss; expected one model function}}
func.func @m2(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}) {
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  return %l : tensor<f32>
}
