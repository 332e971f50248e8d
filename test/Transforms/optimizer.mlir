// RUN: dlc-opt %s --dl-optimizer -split-input-file -verify-diagnostics | FileCheck %s

// dl-optimizer expands the module's dl.train into @train_step (grad's body
// followed by the update) and @apply (parameters, gradients and optimizer
// state in, updates out). Updates are results marked dl.kind = "update" with
// the dl.name of the argument they replace; optimizer state is arguments
// marked dl.kind = "opt_state": per parameter p, p.m and p.v for adam, then
// the scalars step and steps_per_epoch.

// @grad is kept as it was.
// CHECK-LABEL: func.func @grad(
// CHECK: %[[GW0:.*]] = dl.fill 1.000000e+00 : tensor<3x2xf32>
// CHECK: return

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"}
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: %[[B:[^:]*]]: tensor<2xf32> {dl.kind = "param", dl.name = "b"}
// CHECK-SAME: %[[WM:[^:]*]]: tensor<3x2xf32> {dl.kind = "opt_state", dl.name = "W.m"}
// CHECK-SAME: %[[WV:[^:]*]]: tensor<3x2xf32> {dl.kind = "opt_state", dl.name = "W.v"}
// CHECK-SAME: %[[BM:[^:]*]]: tensor<2xf32> {dl.kind = "opt_state", dl.name = "b.m"}
// CHECK-SAME: %[[BV:[^:]*]]: tensor<2xf32> {dl.kind = "opt_state", dl.name = "b.v"}
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<f32> {dl.kind = "opt_state", dl.name = "step"}
// CHECK-SAME: %[[SPE:[^:]*]]: tensor<f32> {dl.kind = "opt_state", dl.name = "steps_per_epoch"}
// CHECK-SAME: -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"}, tensor<4x2xf32> {dl.kind = "output", dl.name = "y"},
// CHECK-SAME: tensor<3x2xf32> {dl.kind = "update", dl.name = "W"}, tensor<2xf32> {dl.kind = "update", dl.name = "b"},
// CHECK-SAME: tensor<3x2xf32> {dl.kind = "update", dl.name = "W.m"}, tensor<3x2xf32> {dl.kind = "update", dl.name = "W.v"},
// CHECK-SAME: tensor<2xf32> {dl.kind = "update", dl.name = "b.m"}, tensor<2xf32> {dl.kind = "update", dl.name = "b.v"},
// CHECK-SAME: tensor<f32> {dl.kind = "update", dl.name = "step"})
// The forward and backward of grad, then the update.
// CHECK: %[[Y:.*]] = dl.matmul %[[X]], %[[W]]
// CHECK: %[[L:.*]] = dl.sum %[[Y]]
// CHECK: %[[GW:.*]] = dl.fill 1.000000e+00 : tensor<3x2xf32>
// CHECK: %[[GB:.*]] = dl.fill 2.000000e+00 : tensor<2xf32>
// CHECK: %[[LR:.*]] = dl.fill 1.000000e-02 : tensor<f32>
// t = step + 1
// CHECK: %[[T:.*]] = dl.add %[[STEP]], %{{.*}} : tensor<f32>, tensor<f32>
// Once per step (0-d): bias corrections 1 - beta^t = 1 - exp(t ln beta) with
// ln 0.9 and ln 0.999, step size lr / (1 - beta1^t), 1 / sqrt(1 - beta2^t).
// CHECK: dl.fill -0.10536051565782628 : tensor<f32>
// CHECK: dl.exp
// CHECK: %[[C1:.*]] = dl.sub
// CHECK: dl.fill -0.0010005003335835344 : tensor<f32>
// CHECK: dl.exp
// CHECK: %[[C2:.*]] = dl.sub
// CHECK: %[[SS:.*]] = dl.div %[[LR]], %[[C1]] : tensor<f32>, tensor<f32>
// CHECK: %[[SC2:.*]] = dl.sqrt %[[C2]] : tensor<f32>
// CHECK: %[[ISC2:.*]] = dl.div %{{.*}}, %[[SC2]] : tensor<f32>, tensor<f32>
// Per element: m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2
// CHECK: %[[M1:.*]] = dl.mul %{{.*}}, %[[GW]]
// CHECK: %[[M2:.*]] = dl.mul %{{.*}}, %[[WM]]
// CHECK: %[[M:.*]] = dl.add %[[M2]], %[[M1]]
// CHECK: %[[G2:.*]] = dl.mul %[[GW]], %[[GW]]
// CHECK: %[[V:.*]] = dl.add
// p - step size * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// CHECK: %[[EPS:.*]] = dl.fill 1.000000e-08 : tensor<f32>
// CHECK: %[[SV:.*]] = dl.sqrt %[[V]] : tensor<3x2xf32>
// CHECK: %[[SVH:.*]] = dl.mul %[[SV]], %[[ISC2]]
// CHECK: %[[DEN:.*]] = dl.add %[[SVH]], %[[EPS]]
// CHECK: %[[R:.*]] = dl.div %[[M]], %[[DEN]] : tensor<3x2xf32>, tensor<3x2xf32>
// CHECK: %[[DW:.*]] = dl.mul %[[SS]], %[[R]] : tensor<f32>, tensor<3x2xf32>
// CHECK: %[[NW:.*]] = dl.sub %[[W]], %[[DW]]
// CHECK: %[[NB:.*]] = dl.sub %[[B]], %{{.*}} : tensor<2xf32>, tensor<2xf32>
// CHECK: return %[[L]], %[[Y]], %[[NW]], %[[NB]], %[[M]], %[[V]], %{{.*}}, %{{.*}}, %[[T]] :

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: %[[B:[^:]*]]: tensor<2xf32> {dl.kind = "param", dl.name = "b"}
// CHECK-SAME: %[[GW:[^:]*]]: tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}
// CHECK-SAME: %[[GB:[^:]*]]: tensor<2xf32> {dl.kind = "grad", dl.name = "b"}
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "W.m"}
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "W.v"}
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "b.m"}
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "b.v"}
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<f32> {dl.kind = "opt_state", dl.name = "step"}
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "steps_per_epoch"}
// CHECK-SAME: -> (tensor<3x2xf32> {dl.kind = "update", dl.name = "W"}, tensor<2xf32> {dl.kind = "update", dl.name = "b"},
// CHECK-SAME: {dl.kind = "update", dl.name = "W.m"}, {{.*}} {dl.kind = "update", dl.name = "W.v"}, {{.*}} {dl.kind = "update", dl.name = "b.m"},
// CHECK-SAME: {dl.kind = "update", dl.name = "b.v"}, tensor<f32> {dl.kind = "update", dl.name = "step"})
// CHECK-NOT: dl.matmul
// CHECK: dl.mul %{{.*}}, %[[GW]]
// CHECK: %[[NW:.*]] = dl.sub %[[W]],
// CHECK: dl.mul %{{.*}}, %[[GB]]
// CHECK: %[[NB:.*]] = dl.sub %[[B]],
// CHECK: return %[[NW]], %[[NB]],
module attributes {dl.train = {optimizer = "adam", lr = 1.0e-2 : f64}} {
func.func @grad(%x: tensor<4x3xf32> {dl.kind = "input", dl.name = "x"},
                %w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"},
                %b: tensor<2xf32> {dl.kind = "param", dl.name = "b"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<4x2xf32> {dl.kind = "output", dl.name = "y"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"},
        tensor<2xf32> {dl.kind = "grad", dl.name = "b"}) {
  %y = dl.matmul %x, %w : tensor<4x3xf32>, tensor<3x2xf32>
  %l = dl.sum %y axes = [0, 1] : tensor<4x2xf32>
  %gw = dl.fill 1.0 : tensor<3x2xf32>
  %gb = dl.fill 2.0 : tensor<2xf32>
  return %l, %y, %gw, %gb : tensor<f32>, tensor<4x2xf32>, tensor<3x2xf32>, tensor<2xf32>
}
}

// -----

// Plain SGD: no per-parameter state, only the two scalars; p - lr g.

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: %[[G:[^:]*]]: tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<f32> {dl.kind = "opt_state", dl.name = "step"}
// CHECK-SAME: %{{[^:]*}}: tensor<f32> {dl.kind = "opt_state", dl.name = "steps_per_epoch"})
// CHECK-SAME: -> (tensor<3x2xf32> {dl.kind = "update", dl.name = "W"}, tensor<f32> {dl.kind = "update", dl.name = "step"})
// CHECK: %[[LR:.*]] = dl.fill 1.000000e-01 : tensor<f32>
// CHECK: %[[T:.*]] = dl.add %[[STEP]], %{{.*}}
// CHECK: %[[D:.*]] = dl.mul %[[LR]], %[[G]]
// CHECK: %[[NW:.*]] = dl.sub %[[W]], %[[D]]
// CHECK: return %[[NW]], %[[T]]
module attributes {dl.train = {optimizer = "sgd", lr = 0.1 : f64}} {
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}

// -----

// SGD with Nesterov momentum: b = mu b + g; p -= lr (g + mu b).

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: %[[G:[^:]*]]: tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}
// CHECK-SAME: %[[BUF:[^:]*]]: tensor<3x2xf32> {dl.kind = "opt_state", dl.name = "W.momentum"}
// CHECK-SAME: -> (tensor<3x2xf32> {dl.kind = "update", dl.name = "W"}, tensor<3x2xf32> {dl.kind = "update", dl.name = "W.momentum"}, tensor<f32> {dl.kind = "update", dl.name = "step"})
// CHECK: %[[MU:.*]] = dl.fill 9.000000e-01 : tensor<f32>
// CHECK: %[[MB:.*]] = dl.mul %[[MU]], %[[BUF]]
// CHECK: %[[NB:.*]] = dl.add %[[MB]], %[[G]]
// CHECK: %[[MU2:.*]] = dl.fill 9.000000e-01 : tensor<f32>
// CHECK: %[[MNB:.*]] = dl.mul %[[MU2]], %[[NB]]
// CHECK: %[[D:.*]] = dl.add %[[G]], %[[MNB]]
// CHECK: %[[LD:.*]] = dl.mul %{{.*}}, %[[D]]
// CHECK: %[[NW:.*]] = dl.sub %[[W]], %[[LD]]
// CHECK: return %[[NW]], %[[NB]], %{{.*}} :
module attributes {dl.train = {optimizer = "sgd", lr = 0.1 : f64, momentum = 0.9 : f64, nesterov = 1 : i64}} {
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}

// -----

// RMSprop with momentum: sq and momentum per parameter.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "W.sq"}
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "W.momentum"}
// CHECK-SAME: {dl.kind = "opt_state", dl.name = "step"}
// CHECK-SAME: {dl.kind = "update", dl.name = "W"}, {{.*}} {dl.kind = "update", dl.name = "W.sq"}, {{.*}} {dl.kind = "update", dl.name = "W.momentum"}, {{.*}} {dl.kind = "update", dl.name = "step"})
// CHECK: dl.sqrt
// CHECK-LABEL: func.func @apply(
module attributes {dl.train = {optimizer = "rmsprop", lr = 0.01 : f64, momentum = 0.5 : f64}} {
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}

// -----

// Global-norm clipping (scale = min(1, clip / (norm + 1e-6))), L2 weight
// decay added to the clipped gradient, and a cosine schedule with warmup.

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: %[[G:[^:]*]]: tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}
// The epochs the cosine spans: the train block's until the runtime sets the run's.
// CHECK-SAME: %[[SPE:[^:]*]]: tensor<f32> {dl.kind = "opt_state", dl.name = "steps_per_epoch"}
// CHECK-SAME: %[[E:[^:]*]]: tensor<f32> {dl.init = {kind = "constant", value = 3.000000e+00 : f64}, dl.kind = "opt_state", dl.name = "epochs"}
// The cosine of the progress over max(epochs, 1) x spe steps, then the
// warmup ramp min(1, (step + 1) / spe).
// CHECK: %[[EMAX:.*]] = dl.maximum %[[E]]
// CHECK: dl.mul %{{.*}}, %[[EMAX]]
// CHECK: dl.cos
// CHECK: %[[RAMP:.*]] = dl.minimum
// CHECK: %[[LR:.*]] = dl.mul %{{.*}}, %[[RAMP]] : tensor<f32>, tensor<f32>
// CHECK: %[[SQ:.*]] = dl.mul %[[G]], %[[G]]
// CHECK: %[[SS:.*]] = dl.sum %[[SQ]] axes = [0, 1]
// CHECK: %[[NORM:.*]] = dl.sqrt %[[SS]]
// CHECK: dl.fill 9.9999999999999995E-7
// CHECK: %[[SCALE:.*]] = dl.minimum
// CHECK: %[[CG:.*]] = dl.mul %[[G]], %[[SCALE]]
// CHECK: %[[WD:.*]] = dl.fill 1.000000e-02 : tensor<f32>
// CHECK: %[[DP:.*]] = dl.mul %[[WD]], %[[W]]
// CHECK: %[[D:.*]] = dl.add %[[CG]], %[[DP]]
// CHECK: %[[LD:.*]] = dl.mul %[[LR]], %[[D]]
// CHECK: dl.sub %[[W]], %[[LD]]
module attributes {dl.train = {optimizer = "sgd", lr = 0.1 : f64, weight_decay = 0.01 : f64, clip_norm = 1.0 : f64, epochs = 3 : i64, schedule = {kind = "cosine", min_lr = 0.0 : f64, warmup = 1 : i64}}} {
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}

// -----

// AdamW: decoupled weight decay, lr * wd * p added to the Adam step.

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"}
// CHECK: %[[LR:.*]] = dl.fill 1.000000e-03 : tensor<f32>
// CHECK: dl.sqrt %{{.*}} : tensor<3x2xf32>
// CHECK: %[[R:.*]] = dl.div %{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<3x2xf32>
// CHECK: %[[ADAM:.*]] = dl.mul %{{.*}}, %[[R]] : tensor<f32>, tensor<3x2xf32>
// CHECK: %[[WD:.*]] = dl.fill 1.000000e-02 : tensor<f32>
// CHECK: %[[LWD:.*]] = dl.mul %[[LR]], %[[WD]] : tensor<f32>, tensor<f32>
// CHECK: %[[DP:.*]] = dl.mul %[[LWD]], %[[W]]
// CHECK: %[[D:.*]] = dl.add %[[ADAM]], %[[DP]]
// CHECK: dl.sub %[[W]], %[[D]]
module attributes {dl.train = {optimizer = "adamw", lr = 1.0e-3 : f64, weight_decay = 0.01 : f64}} {
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}

// -----

// f16 parameters: the optimizer computes in f32. Its state (m, v) and the
// counters are f32 (an f16 step would stop at 2048, and Adam's eps = 1e-8
// and (1 - beta2) g^2 would round to 0); p and g are cast to f32 and the new
// p is cast back.

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %[[W:[^:]*]]: tensor<3x2xf16> {dl.kind = "param", dl.name = "W"}
// CHECK-SAME: %[[G:[^:]*]]: tensor<3x2xf16> {dl.kind = "grad", dl.name = "W"}
// CHECK-SAME: %[[M:[^:]*]]: tensor<3x2xf32> {dl.kind = "opt_state", dl.name = "W.m"}
// CHECK-SAME: %[[V:[^:]*]]: tensor<3x2xf32> {dl.kind = "opt_state", dl.name = "W.v"}
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<f32> {dl.kind = "opt_state", dl.name = "step"}
// CHECK-SAME: %{{[^:]*}}: tensor<f32> {dl.kind = "opt_state", dl.name = "steps_per_epoch"})
// CHECK-SAME: -> (tensor<3x2xf16> {dl.kind = "update", dl.name = "W"}, tensor<3x2xf32> {dl.kind = "update", dl.name = "W.m"}, tensor<3x2xf32> {dl.kind = "update", dl.name = "W.v"}, tensor<f32> {dl.kind = "update", dl.name = "step"})
// CHECK: %[[G32:.*]] = dl.cast %[[G]] : tensor<3x2xf16> -> tensor<3x2xf32>
// CHECK: %[[T:.*]] = dl.add %[[STEP]], %{{.*}} : tensor<f32>, tensor<f32>
// CHECK: %[[W32:.*]] = dl.cast %[[W]] : tensor<3x2xf16> -> tensor<3x2xf32>
// CHECK: dl.mul %{{.*}}, %[[G32]] : tensor<f32>, tensor<3x2xf32>
// CHECK: %[[NM:.*]] = dl.add %{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<3x2xf32>
// CHECK: dl.fill 1.000000e-08 : tensor<f32>
// CHECK: %[[NW32:.*]] = dl.sub %[[W32]], %{{.*}} : tensor<3x2xf32>, tensor<3x2xf32>
// CHECK: %[[NW:.*]] = dl.cast %[[NW32]] : tensor<3x2xf32> -> tensor<3x2xf16>
// CHECK: return %[[NW]], %[[NM]], %{{.*}}, %[[T]] : tensor<3x2xf16>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<f32>
module attributes {dl.train = {optimizer = "adam", lr = 1.0e-2 : f64}} {
func.func @grad(%w: tensor<3x2xf16> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f16> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf16> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf16>
  %g = dl.fill 1.0 : tensor<3x2xf16>
  return %l, %g : tensor<f16>, tensor<3x2xf16>
}
}

// -----

// bf16 the same; f64 parameters keep everything in f64.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %{{[^:]*}}: tensor<2xbf16> {dl.kind = "param", dl.name = "w"}
// CHECK-SAME: %{{[^:]*}}: tensor<2xf32> {dl.kind = "opt_state", dl.name = "w.momentum"}
// CHECK-SAME: %{{[^:]*}}: tensor<f32> {dl.kind = "opt_state", dl.name = "step"}
// CHECK-SAME: %{{[^:]*}}: tensor<f32> {dl.kind = "opt_state", dl.name = "steps_per_epoch"})
// CHECK: dl.cast %{{.*}} : tensor<2xf32> -> tensor<2xbf16>
// CHECK-LABEL: func.func @apply(
module attributes {dl.train = {optimizer = "sgd", lr = 0.1 : f64, momentum = 0.9 : f64}} {
func.func @grad(%w: tensor<2xbf16> {dl.kind = "param", dl.name = "w"})
    -> (tensor<bf16> {dl.kind = "loss", dl.name = "loss"},
        tensor<2xbf16> {dl.kind = "grad", dl.name = "w"}) {
  %l = dl.sum %w axes = [0] : tensor<2xbf16>
  %g = dl.fill 1.0 : tensor<2xbf16>
  return %l, %g : tensor<bf16>, tensor<2xbf16>
}
}

// -----

// CHECK-LABEL: func.func @apply(
// CHECK-SAME: %{{[^:]*}}: tensor<2xf64> {dl.kind = "opt_state", dl.name = "w.sq"}
// CHECK-SAME: %{{[^:]*}}: tensor<f64> {dl.kind = "opt_state", dl.name = "step"}
// CHECK-SAME: %{{[^:]*}}: tensor<f64> {dl.kind = "opt_state", dl.name = "steps_per_epoch"})
// CHECK-NOT: dl.cast
// CHECK: return
module attributes {dl.train = {optimizer = "rmsprop", lr = 0.01 : f64}} {
func.func @grad(%w: tensor<2xf64> {dl.kind = "param", dl.name = "w"})
    -> (tensor<f64> {dl.kind = "loss", dl.name = "loss"},
        tensor<2xf64> {dl.kind = "grad", dl.name = "w"}) {
  %l = dl.sum %w axes = [0] : tensor<2xf64>
  %g = dl.fill 1.0 : tensor<2xf64>
  return %l, %g : tensor<f64>, tensor<2xf64>
}
}

// -----

// Without dl.train the pass does nothing.

// CHECK-LABEL: func.func @grad(
// CHECK-NOT: func.func @train_step
// CHECK-NOT: func.func @apply
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}

// -----

// expected-error @+1 {{unknown optimizer 'lbfgs'}}
module attributes {dl.train = {optimizer = "lbfgs", lr = 0.1 : f64}} {
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}

// -----

// expected-error @+1 {{unknown learning-rate schedule 'linear'}}
module attributes {dl.train = {optimizer = "sgd", lr = 0.1 : f64, schedule = {kind = "linear"}}} {
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
}

// -----

module attributes {dl.train = {optimizer = "sgd", lr = 0.1 : f64}} {
// expected-error @+1 {{cannot derive 'train_step': it already exists}}
func.func @grad(%w: tensor<3x2xf32> {dl.kind = "param", dl.name = "W"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<3x2xf32> {dl.kind = "grad", dl.name = "W"}) {
  %l = dl.sum %w axes = [0, 1] : tensor<3x2xf32>
  %g = dl.fill 1.0 : tensor<3x2xf32>
  return %l, %g : tensor<f32>, tensor<3x2xf32>
}
func.func @train_step() {
  return
}
}

// -----

module attributes {dl.train = {optimizer = "sgd", lr = 0.1 : f64}} {
// expected-error @+1 {{parameters of different element types cannot share one optimizer yet}}
func.func @grad(%w: tensor<2xf32> {dl.kind = "param", dl.name = "w"},
                %v: tensor<2xf64> {dl.kind = "param", dl.name = "v"})
    -> (tensor<f32> {dl.kind = "loss", dl.name = "loss"},
        tensor<2xf32> {dl.kind = "grad", dl.name = "w"},
        tensor<2xf64> {dl.kind = "grad", dl.name = "v"}) {
  %l = dl.sum %w axes = [0] : tensor<2xf32>
  %g = dl.fill 1.0 : tensor<2xf32>
  %h = dl.fill 0.0 : tensor<2xf64>
  return %l, %g, %h : tensor<f32>, tensor<2xf32>, tensor<2xf64>
}
}
