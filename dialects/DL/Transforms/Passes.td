//===- Passes.td - dl dialect transforms -------------------*- tablegen -*-===//
//
// Part of dlc. Passes on the dl dialect itself (entry points, and later
// autodiff, optimizer expansion and fusion).
//
//===----------------------------------------------------------------------===//

#ifndef DL_TRANSFORMS_PASSES_TD
#define DL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DLInferenceEntryPass : Pass<"dl-inference-entry", "::mlir::ModuleOp"> {
  let summary = "Derive the inference entry points from a model function";
  let description = [{
    For the function with a result marked `dl.kind = "loss"` that is not a
    derived entry point (the front end's `@forward`), keeps it under the name
    `eval` (loss and outputs, given inputs and labels) and adds `forward`:
    the same computation with only the `dl.kind = "output"` results, the ops
    that only fed the loss removed, and the label arguments dropped. Both
    compute the inference side of every `dl.mode_select` and update no
    state: the `dl.kind = "state"` results are dropped. It is an error if an
    output depends on a label. Both are marked `dl.entry`. Runs after
    `dl-autodiff`, which derives `grad` from the same model function.
  }];
}

def DLAutodiffPass : Pass<"dl-autodiff", "::mlir::ModuleOp"> {
  let summary = "Reverse-mode differentiation of the model's loss";
  let description = [{
    For the model function (the one with a result marked `dl.kind =
    "loss"` that is not a derived entry point), adds `grad` (marked
    `dl.entry = "grad"`): the same arguments and the training side of every
    `dl.mode_select`, returning the loss, the outputs, the updated states
    (each state result the function changes, marked `dl.kind = "update"`
    with the state's `dl.name`, so code generation writes it in place), and,
    for every argument marked `dl.kind = "param"` (in order), the gradient of
    the loss with respect to it (`dl.kind = "grad"`, `dl.name` the
    parameter's). The backward pass is
    built from each op's DifferentiableOpInterface in reverse order (given
    one cotangent per result; an op with regions differentiates its own body
    through DifferentiableRegionOpInterface);
    cotangents of values used several times are summed; only ops on a path
    from a parameter to the loss are differentiated; a parameter that does
    not reach the loss gets a zero gradient. The forward values the backward
    pass reads are the forward's own (nothing is recomputed).
  }];
}

def DLOptimizerPass : Pass<"dl-optimizer", "::mlir::ModuleOp"> {
  let summary = "Expand the optimizer into train_step and apply";
  let description = [{
    From `grad` and the module's `dl.train` settings, adds:
    - `apply`: parameters, optimizer state and gradients (`dl.kind = "grad"`)
      in; the updated parameters and optimizer state out;
    - `train_step`: `grad` followed by the same update, in one function (so
      fusion and codegen see one graph), returning the loss, the outputs,
      the state updates of `grad` and the parameter and optimizer updates.
    Updates are results marked `dl.kind = "update"` with the `dl.name` of the
    argument they replace; code generation writes them in place. Optimizer
    state is arguments marked `dl.kind = "opt_state"`: per parameter `p`,
    `p.m`/`p.v` (adam, adamw), `p.momentum` (sgd with momentum, rmsprop with
    momentum), `p.sq` (rmsprop); and the scalars `step` (updates done so
    far) and `steps_per_epoch` (set by the runtime; epoch-based schedules
    read it), and for a cosine schedule `epochs` (the epochs it spans:
    the train block's, until the runtime sets the run's). Supported: sgd (momentum, nesterov), adam, adamw (decoupled
    weight decay), rmsprop; L2 weight decay; global-norm gradient clipping;
    schedules constant, step, exponential and cosine, with linear warmup.
    Without `dl.train` the pass does nothing.
  }];
}

def DLDecomposeAttentionPass
    : Pass<"dl-decompose-attention", "::mlir::ModuleOp"> {
  let summary = "Expand dl.attention into dl ops";
  let description = [{
    Each `dl.attention %q, %k, %v scale = s [causal]` becomes `softmax(q
    transpose(k) * s [+ mask]) @ v`: a batched `dl.matmul`, a `dl.mul` by the
    scale, with `causal` a `dl.add` of a constant [Tq, Tk] mask (0, and -inf
    where key j > i + Tk - Tq), a `dl.softmax` over the keys and a batched
    `dl.matmul`. Run before `dl-autodiff`: the ops' VJPs are attention's
    gradient (the probabilities are kept for it). dlc does not run it (it
    lowers dl.attention fused, with an online softmax); it is the unfused
    form to measure that against (benchmarks/attention).
  }];
}

def DLHoistScanInvariantsPass
    : Pass<"dl-hoist-scan-invariants", "::mlir::ModuleOp"> {
  let summary = "Move the work of a dl.scan that does not need the loop out of it";
  let description = [{
    For each `dl.scan` (innermost first):
    - a pure op of the step whose operands are all defined outside the scan
      (a weight's transpose, a constant) moves before the scan;
    - a matmul of a step's slice by a matrix from outside, `x_t @ W` (the
      input projection of a recurrent cell), becomes one matmul of the whole
      sequence before the loop, `reshape(x, [rows, K]) @ W`, stacked as the
      sequence `Y` whose slices the step reads instead; the loop keeps only
      the work that depends on the carries (`h @ Wh`);
    - a carry that sums `transpose(a_t) @ b_t` over the steps, `a_t` a slice
      (the weight gradient `sum_t h_t^T dz_t` of a reverse step), becomes
      one matmul after the loop of the whole sequence and the stacked `b_t`,
      added to the carry's init;
    - a sequence whose slices the step no longer reads is dropped.
    Run before `dl-autodiff`, the gradient of `W` is then one matmul after
    the reverse loop, not one per step (as oneDNN's RNN primitives do); run
    after it, the reverse step's own invariants (the weights' transposes)
    leave the reverse loop and the recurrent weight's gradient becomes one
    matmul after it.

    ```mlir
    %hT, %hs = dl.scan (%x) carry (%h0) along 1 length 8 ... {
    ^bb0(%xt: tensor<4x3xf32>, %h: tensor<4x5xf32>):
      %a = dl.matmul %xt, %wx : tensor<4x3xf32>, tensor<3x5xf32>
      ...
    // becomes
    %flat = dl.reshape %x : tensor<4x8x3xf32> -> tensor<32x3xf32>
    %p = dl.matmul %flat, %wx : tensor<32x3xf32>, tensor<3x5xf32>
    %y = dl.reshape %p : tensor<32x5xf32> -> tensor<4x8x5xf32>
    %hT, %hs = dl.scan (%x, %y) carry (%h0) along 1 length 8 ... {
    ^bb0(%xt: tensor<4x3xf32>, %a: tensor<4x5xf32>, %h: tensor<4x5xf32>):
      ...
    ```
  }];
}

#endif // DL_TRANSFORMS_PASSES_TD
