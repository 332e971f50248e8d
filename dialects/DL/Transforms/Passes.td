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
    read it). Supported: sgd (momentum, nesterov), adam, adamw (decoupled
    weight decay), rmsprop; L2 weight decay; global-norm gradient clipping;
    schedules constant, step, exponential and cosine, with linear warmup.
    Without `dl.train` the pass does nothing.
  }];
}

#endif // DL_TRANSFORMS_PASSES_TD
