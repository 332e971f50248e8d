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
  let summary = "Derive the inference entry point from a model function";
  let description = [{
    For every function with a result marked `dl.kind = "loss"` (the front
    end's `@forward`), keeps it under the name `eval` (loss and outputs,
    given inputs and labels) and adds `forward`: the same computation with
    only the `dl.kind = "output"` results, the ops that only fed the loss or
    state updates removed, and the label arguments dropped. It is an error
    if an output depends on a label.
  }];
}

#endif // DL_TRANSFORMS_PASSES_TD
