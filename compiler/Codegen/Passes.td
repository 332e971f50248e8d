//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//
//
// Part of dlc. Passes of the CPU codegen pipeline that work on linalg,
// vector and memref IR (after dl has been lowered).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_CODEGEN_PASSES_TD
#define DLC_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def DLCFuseElementwisePass : Pass<"dlc-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg ops without recomputing any value";
  let description = [{
    Runs on linalg on tensors, right after dl is lowered. Fuses each
    elementwise `linalg.generic` into the generic that consumes it (upstream
    `linalg::fuseElementwiseOps`) when the fusion recomputes nothing:

    - a producer whose result the consumer broadcasts (a 0-d or lower-rank
      producer, which fused would run once per element of the consumer) is
      fused only when its body is at most four cheap ops (no division, no
      math function) and the consumer is its only user: Adam's bias
      corrections (exp) and step size (a division) stay 0-d ops that run
      once per step;
    - a producer with other users is fused too and its result becomes an
      extra result of the fused op, provided every other user comes after
      the consumer (so the fused op still dominates them): Adam's new moments
      `m` and `v` are computed in the loop that updates the parameter and
      written from it, each tensor read once.

    Also folds fills and splat constants into generics, removes unused
    operands and results, and folds reshapes into generics by expansion,
    under the same rule (as `linalg-fuse-elementwise-ops` does).

    ```mlir
    // Before: %m is used by the update and returned; %c is 0-d.
    %m = linalg.generic ... ins(%m0, %g : tensor<8xf32>, tensor<8xf32>)
    %c = linalg.generic ... ins(%t : tensor<f32>) -> tensor<f32>
    %p = linalg.generic ... ins(%p0, %m, %c : ..., tensor<f32>)
    return %p, %m
    // After: one loop computes and writes both %m and %p; %c stays apart.
    %c = linalg.generic ... ins(%t : tensor<f32>) -> tensor<f32>
    %r:2 = linalg.generic ... ins(%p0, %m0, %g, %c : ...)
    return %r#1, %r#0
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DLCSetTargetPass : Pass<"dlc-set-target", "::mlir::ModuleOp"> {
  let summary = "Record the target's facts in the module (dlc.target)";
  let description = [{
    The first pass of the CPU codegen pipeline. Records on the module the
    facts code generation sizes its tiles by, once, for every pass to read
    (Codegen/Target.h):

    ```mlir
    module attributes {dlc.target = {num_registers = 32 : i64, vector_bits = 512 : i64}}
    ```

    An option left at 0 keeps what the module records already, else the
    default (AVX-512: 512 bits, 32 registers; no parallel loops: serial
    code unless `parallel-grain` is set). `dlc` passes the resolved
    target's facts (`--target`, `--mcpu`); `dlc-opt --dlc-codegen-cpu=
    "vector-bits=256 num-registers=16"` passes them here.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"0",
           "Bits per SIMD register (0: keep the recorded or default value)">,
    Option<"numRegisters", "num-registers", "unsigned", /*default=*/"0",
           "Number of SIMD registers (0: keep the recorded or default value)">,
    Option<"parallelGrain", "parallel-grain", "int64_t", /*default=*/"-1",
           "Least work (operations) a kernel needs to run on threads (0: "
           "serial code; -1: keep the recorded or default value, 0)">,
  ];
}

def DLCDestinationResultsPass
    : Pass<"dlc-destination-results", "::mlir::ModuleOp"> {
  let summary = "Give every function result a caller-provided destination";
  let description = [{
    Runs on linalg on tensors, before tiling. Each result of a public
    function gets a new trailing argument of its type (marked
    `bufferize.result` and `bufferization.writable`, carrying the result's
    attributes). Where the returned value's chain of destination-passing ops
    starts from a tensor.empty, that destination becomes the argument, so the
    computation writes straight into the caller's buffer; otherwise (a result
    that is an argument or a constant) a linalg.copy writes it there. After
    bufferization the result is equivalent to the argument and
    `drop-equivalent-buffer-results` removes it: no allocation, no copy.
    A result marked `dl.kind = "update"` gets no new argument: it is written
    over the argument with the same `dl.name` (a parameter or optimizer
    state, updated in place).
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
  ];
}

def DLCStoreResultsPass : Pass<"dlc-store-results", "::mlir::ModuleOp"> {
  let summary = "Store the remaining buffer results in their destinations";
  let description = [{
    Runs after bufferization and `drop-equivalent-buffer-results`. A result
    that `dlc-destination-results` tied to an argument (`dlc.dest_arg`) but
    that bufferization could not compute in place is copied into that
    argument, and the result is dropped: entry points return nothing.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def DLCLowerCopiesPass : Pass<"dlc-lower-copies", "::mlir::func::FuncOp"> {
  let summary = "Lower memref.copy to vector rows (generated code calls no runtime)";
  let description = [{
    Runs after bufferization, before the vector lowering. A copy of a buffer
    onto itself (an in-place insert_slice of a tile) is erased; every other
    memref.copy becomes a linalg.copy, tiled into rows (the innermost
    dimension whole up to 64 elements, else a divisor of it) that are each
    one vector read and write; a copy of dynamic shape is left to
    `convert-linalg-to-loops` (plain loops). Upstream lowers a copy between
    non-contiguous views to a call of `memrefCopy` from MLIR's runtime
    library, which generated code may not depend on (docs/abi.md); plain
    loops were scalar (the padding copies of a convolution's input took 10 ms
    of resnet_mini's train step).

    ```mlir
    memref.copy %a, %a : memref<5x32xf32, strided<[37, 1]>> to ...  // erased
    memref.copy %t, %v : memref<8x32xf32> to memref<8x32xf32, strided<[37, 1]>>
    // becomes, per row %i of 8
    %r = vector.transfer_read %t[%i, %c0] ... : memref<1x32xf32, ...>, vector<1x32xf32>
    vector.transfer_write %r, %v[%i, %c0] ...
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect"];
}

def DLCWriteIntoSlicesPass
    : Pass<"dlc-write-into-slices", "::mlir::ModuleOp"> {
  let summary = "Let a producer write straight into the padded tensor it is copied into";
  let description = [{
    Runs on linalg on tensors, before kernels are outlined. A zero-padded
    input (a convolution's) is a fill of a fresh tensor with the values
    inserted into a box of it; when those values come from a
    `linalg.generic` (through reshapes) that overwrites its fresh init, the
    generic computes them into the box instead: its init becomes the slice
    of the filled tensor, the insert then writes a slice onto itself
    (bufferization elides it), and its other users read the slice of the
    padded tensor (a view, which their kernels take whole). Only the border
    is filled, one fill per slab around the box, each writing its slice in
    place. One copy fewer per padding, and a fill of the border only.

    ```mlir
    %y = linalg.generic ... outs(%empty : tensor<64x16x28x28xf32>)
    %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<64x16x30x34xf32>)
    %p = tensor.insert_slice %y into %z[0, 0, 1, 1] [64, 16, 28, 28] [1, 1, 1, 1]
    // becomes
    %s = tensor.extract_slice %z[0, 0, 1, 1] [64, 16, 28, 28] [1, 1, 1, 1]
    %y = linalg.generic ... outs(%s : tensor<64x16x28x28xf32>)
    %p = tensor.insert_slice %y into %z[0, 0, 1, 1] [64, 16, 28, 28] [1, 1, 1, 1]
    ```
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def DLCOutlineKernelsPass
    : Pass<"dlc-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Move each kernel into a function shared by its equivalent sites";
  let description = [{
    Runs on linalg on tensors, before tiling. Each group of ops that
    codegen tiles as one loop nest (KernelGroups.h: a matmul with the fill
    of its accumulator and its elementwise epilogue; any other linalg op
    with the fills of its inits) moves into a private function marked
    `dlc.kernel` (internal linkage) and is replaced by a call. Scalar and
    splat constants are cloned into the kernel; every other value it reads,
    and the destinations it writes (a fresh `bufferization.alloc_tensor` for each
    init that was an empty tensor), are its arguments. Kernels that are
    structurally equal (same ops, types and attributes, whatever their .dl
    locations) are one function: the ten identical layers of a `repeat`,
    and the forward pass that `forward`, `eval`, `grad` and `train_step`
    share, are tiled, vectorized and compiled once. So compile time follows
    the number of distinct kernels, not the number of ops. The ops of a
    loop's body (a dl.scan's step) are outlined in the body, each init from
    an empty tensor or a fill above the loop given one of its own there, so
    a step writes into buffers of its own.

    ```mlir
    %0 = linalg.matmul ins(%a, %b : ...) outs(%fill : tensor<64x256xf32>)
    // becomes
    %0 = call @dlc_kernel_fill(%a, %b, %empty) : (...) -> tensor<64x256xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
  ];
}

def DLCOutlineParallelLoopsPass
    : Pass<"dlc-outline-parallel-loops", "::mlir::ModuleOp"> {
  let summary = "Run each kernel's parallel tile loop as a task on threads";
  let description = [{
    Runs on bufferized kernels, before the memory plan. Each outermost tile
    loop that `dlc-tile-and-vectorize` marked `dlc.parallel` (a loop over a
    parallel dimension of a kernel whose work reaches the target's
    `parallel_grain`) moves into a task function `<kernel>_parN(begin, end,
    pointers...)` that runs its iterations `[begin, end)`. The loop becomes
    a call of a launcher `<kernel>_parN_launch(pointers, trips)` with the
    pointers of the kernel parameters the loop reads in a stack array;
    `dlc-lower-parallel-launch` defines the launcher; an `index` parameter
    (a loop body's step) is passed by value in the same array. Constants and views
    are cloned into the task; a scratch buffer that only the loop uses
    becomes a stack buffer of the task (each thread has its own; at most
    256 KiB). A loop whose task could not receive what it reads (a value
    computed by an op with effects, a buffer the code around it shares)
    stays serial. Every iteration writes its own tiles and none sums into
    another's, so a task's result does not depend on how its iterations are
    split over threads: results are bitwise the same for any thread count.

    ```mlir
    scf.for %i = %c0 to %c256 step %c64 { ... %out ... } {dlc.parallel}
    // becomes
    %p = memref.alloca() : memref<1xindex>
    %a = memref.extract_aligned_pointer_as_index %out : memref<64x256xf32> -> index
    memref.store %a, %p[%c0] : memref<1xindex>
    call @dlc_kernel_matmul_par0_launch(%p, %c4) : (memref<1xindex>, index) -> ()
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def DLCLowerParallelLaunchPass
    : Pass<"dlc-lower-parallel-launch", "::mlir::ModuleOp"> {
  let summary = "Define the launchers of parallel tasks and the thread hook";
  let description = [{
    Runs on the LLVM dialect, last. A model (a module with `dl.model`) gets
    the exported function `<model>_set_parallel_for(fn, pool)` that records
    the caller's parallel-for (docs/abi.md): `fn(pool, task, context, n)`
    runs `task(context, begin, end)` over a split of `[0, n)` and returns
    when all of it has run. dlrt passes its thread pool; an embedder may
    pass its own; none set, every task runs on the calling thread (always,
    in a module that is not a model: it has no setter). Each
    launcher declared by `dlc-outline-parallel-loops` gets its definition:
    a trampoline `<task>_task(context, begin, end)` that reads the task's
    pointers from the context, and the call through the hook (or of the
    trampoline over the whole range when no hook is set).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def DLCTileAndVectorizePass
    : Pass<"dlc-tile-and-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Tile linalg ops for cache and registers, then vectorize";
  let description = [{
    Tiles every linalg op on tensors so that each innermost tile is a
    register-sized static block, then vectorizes the tiles. Matmuls get a
    cache tile (N outermost), a register tile of `rows x 2 vectors`, and a
    K tile of 1, so that vector.contract becomes a chain of outer products
    into accumulators that stay in registers. Other ops get tiles of a few
    vectors along their innermost dimension. Tile sizes (chosen per op kind
    in TilingPolicy.cpp) derive from the target's register file, read from
    the module's `dlc.target` (`dlc-set-target`; AVX-512's when none is
    recorded); `vector-bits` and `num-registers` override it. A
    matmul's N or an innermost parallel dimension that is not a multiple
    of the vector width is still vectorized at full width: tiles of two
    vectors, the loop peeled, the last tile rounded up to whole vectors and
    masked (masked loads and stores; a contraction or multi-reduction
    masked only along parallel dimensions is unmasked, its extra lanes never
    stored). A matmul's M without a good divisor is tiled by full register
    tiles and peeled too. Every tile is static. Other tile sizes divide
    their dimension. Reduction tiles drop their unit dimensions
    before vectorization. An op that cannot be vectorized is left for the
    scalar loop lowering.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"0",
           "Bits per SIMD register (512 AVX-512, 256 AVX2, 128 NEON); "
           "0: the module's dlc.target">,
    Option<"numRegisters", "num-registers", "unsigned", /*default=*/"0",
           "Number of SIMD registers; 0: the module's dlc.target">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::affine::AffineDialect",
  ];
}

def DLCLowerVectorsPass : Pass<"dlc-lower-vectors", "::mlir::func::FuncOp"> {
  let summary = "Hoist accumulators and lower vector ops toward LLVM";
  let description = [{
    Runs after bufferization: hoists loop-invariant vector transfers (keeping
    matmul accumulators in registers across the K loop), forwards stores to
    loads, and lowers vector.contract to outer products and FMAs, multi-
    reductions, transposes (shuffles), broadcasts, shape casts and transfers
    to 1-D loads and stores. Finally marks float arithmetic `contract` so
    that LLVM fuses multiply-adds into FMA instructions.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def DLCApproximateMathPass : Pass<"dlc-approximate-math"> {
  let summary = "Replace math ops by vectorizable polynomial approximations";
  let description = [{
    Rewrites math.exp, log, tanh, erf and friends into arithmetic
    polynomial approximations (MLIR's math approximations), so that vector
    code stays vector code instead of calling libm per lane.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::math::MathDialect",
  ];
}

def DLCPackStatePass : Pass<"dlc-pack-state", "::mlir::ModuleOp"> {
  let summary = "Pack model state and gradients into buffers; record the ABI";
  let description = [{
    Runs after bufferization (results already out-parameters or in-place
    updates). The module gets one layout for its state buffer: every tensor
    that some public function takes as an argument marked `dl.kind =
    "param"`, `"state"` or `"opt_state"`, by kind in that order, then in order
    of appearance, each at a 64-byte aligned offset; and one for its
    gradient buffer (`dl.kind = "grad"`, in parameter order). In each
    function those arguments are replaced by a leading `memref<Nxi8>` state
    buffer (`dlc.state`) and/or gradient buffer (`dlc.grads`) viewed at the
    layout's offsets, so every entry point shares the same state memory.
    The module records the layouts in `dlc.state_layout` and
    `dlc.grads_layout` (arrays of {name, kind, dtype, shape, offset, bytes})
    with `dlc.state_bytes` and `dlc.grads_bytes`; each function records
    `dlc.abi = {state, grads, args}`: whether it takes the buffers, and its
    remaining arguments in C parameter order (kind `input`, `label`,
    `output`, `loss`). Arguments without `dl.kind` are inputs, or outputs if
    marked `bufferize.result`. With a module `dl.model = "m"` attribute,
    public functions are renamed `m_<name>`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def DLCPlanMemoryPass : Pass<"dlc-plan-memory", "::mlir::ModuleOp"> {
  let summary = "Place every buffer in one workspace at compile-time offsets";
  let description = [{
    Runs after bufferization. For each function, replaces every memref.alloc
    by a memref.view into a new trailing argument, the workspace (a
    `memref<Nxi8>` marked `dlc.workspace`). Offsets come from liveness over
    the function's top-level ops: buffers whose live ranges do not overlap
    share bytes (greedy by size, best offset first). Generated code then
    never calls malloc or free. The function gets `dlc.workspace_bytes` (the
    plan's peak) and `dlc.buffer_bytes` (the sum of all buffers), and
    `dlc.memory_plan`, an array of {at, bytes, offset, first, last} per
    buffer (`at`: the file:line:col of the allocation's source location, a
    scan's line for its stacks and tape), for `dlc compile
    --emit=memory-plan`. A buffer that escapes through a
    loop's yield or a return cannot be planned and is an error.
  }];
  let options = [
    Option<"alignment", "alignment", "unsigned", /*default=*/"64",
           "Byte alignment of every buffer in the workspace">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

#endif // DLC_CODEGEN_PASSES_TD
