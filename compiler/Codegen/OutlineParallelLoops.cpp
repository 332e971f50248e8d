//===- OutlineParallelLoops.cpp - parallel tile loops become tasks --------===//
//
// Part of dlc. See DLCOutlineParallelLoopsPass in Passes.td. The tasks'
// launchers are defined in the LLVM dialect by dlc-lower-parallel-launch
// (LowerParallelLaunch.cpp), which this pass hands on
// kParallelBodyAttr-marked declarations.
//
//===----------------------------------------------------------------------===//

#include "Codegen/CodegenAttrs.h"
#include "Codegen/KernelGroups.h"
#include "Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace dlc {
#define GEN_PASS_DEF_DLCOUTLINEPARALLELLOOPSPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// The most stack a task may give the scratch buffers it allocates for its
/// tiles (each thread runs its tasks on its own stack; the model header
/// states the limit: Target/HeaderEmitter.cpp).
constexpr int64_t kMaxTaskScratchBytes = 256 * 1024;

/// How the values a parallel loop reads from above reach its task.
struct Captures {
  /// The kernel's parameters, passed in the task's context: memrefs by
  /// pointer, indices (a loop body's step) by value.
  SetVector<Value> pointers;
  /// Ops cloned into the task, in order: constants, views and index math
  /// of the parameters, and the loop's private scratch buffers (as stack
  /// allocations).
  SetVector<Operation *> cloned;
};

/// Whether a memref passes to a task as one pointer: static shape, strides
/// and offset (the bare-pointer calling convention's requirement).
bool passesAsPointer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || !memref.hasStaticShape())
    return false;
  int64_t offset;
  SmallVector<int64_t> strides;
  if (failed(getStridesAndOffset(memref, strides, offset)))
    return false;
  return !ShapedType::isDynamic(offset) &&
         llvm::none_of(strides, ShapedType::isDynamic);
}

/// Whether every use of `value`, and of the views of it, is inside `loop`.
bool usedOnlyIn(Value value, scf::ForOp loop) {
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (isa<memref::DeallocOp>(user))
      continue;
    if (!loop->isAncestor(user))
      return false;
  }
  return true;
}

/// Classifies `value` (read by `loop`, defined above it), recursively
/// through the operands of what is cloned. Fails on a value the task cannot
/// receive: one computed by an op with effects, a buffer shared with the
/// code around the loop, a dynamically shaped memref.
LogicalResult capture(Value value, scf::ForOp loop, Captures &captures,
                      int64_t &scratchBytes) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (!isa<func::FuncOp>(arg.getOwner()->getParentOp()) ||
        !(passesAsPointer(arg.getType()) || arg.getType().isIndex()))
      return failure();
    captures.pointers.insert(value);
    return success();
  }
  Operation *def = value.getDefiningOp();
  if (captures.cloned.contains(def))
    return success();
  if (auto alloc = dyn_cast<memref::AllocOp>(def)) {
    // Scratch of the loop's own tiles: each task gets its own.
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape() || !alloc.getDynamicSizes().empty() ||
        !alloc.getSymbolOperands().empty() || !usedOnlyIn(value, loop))
      return failure();
    scratchBytes += type.getNumElements() *
                    std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
    if (scratchBytes > kMaxTaskScratchBytes)
      return failure();
    captures.cloned.insert(def);
    return success();
  }
  if (def->getNumRegions() != 0 || !isMemoryEffectFree(def))
    return failure();
  for (Value operand : def->getOperands())
    if (failed(capture(operand, loop, captures, scratchBytes)))
      return failure();
  captures.cloned.insert(def);
  return success();
}

struct DLCOutlineParallelLoopsPass
    : public dlc::impl::DLCOutlineParallelLoopsPassBase<
          DLCOutlineParallelLoopsPass> {
  using DLCOutlineParallelLoopsPassBase::DLCOutlineParallelLoopsPassBase;

  /// Replaces `loop` (the `index`-th parallel loop of `kernel`) by a call of
  /// a launcher that runs its iterations as a task. Leaves the loop as it is
  /// when its task could not receive what it reads.
  void outline(func::FuncOp kernel, scf::ForOp loop, unsigned index,
               SymbolTable &symbols) {
    // The band: `loop` and the marked loops perfectly nested in it (a
    // matmul's N and M cache tiles), run as one loop of trips[0] x ...
    // iterations, so that a loop of few tiles still splits evenly.
    struct Level {
      scf::ForOp loop;
      int64_t lb, step, trips;
    };
    SmallVector<Level> band;
    for (scf::ForOp level = loop; level;) {
      std::optional<int64_t> lb = getConstantIntValue(level.getLowerBound());
      std::optional<int64_t> ub = getConstantIntValue(level.getUpperBound());
      std::optional<int64_t> step = getConstantIntValue(level.getStep());
      if (!lb || !ub || !step || *step <= 0 || level.getNumResults() != 0)
        break;
      band.push_back({level, *lb, *step, (*ub - *lb + *step - 1) / *step});
      Block *body = level.getBody();
      auto inner = dyn_cast<scf::ForOp>(body->front());
      level = inner && body->getOperations().size() == 2 &&
                      inner->hasAttr(dlc::kParallelLoopAttr)
                  ? inner
                  : scf::ForOp();
    }
    if (band.empty())
      return;
    int64_t trips = 1;
    for (const Level &level : band)
      trips *= level.trips;
    if (trips < 2)
      return;
    scf::ForOp innermost = band.back().loop;
    SetVector<Value> above;
    getUsedValuesDefinedAbove(loop.getRegion(), above);
    Captures captures;
    int64_t scratchBytes = 0;
    for (Value value : above)
      if (failed(capture(value, loop, captures, scratchBytes)))
        return;
    // Buffers the iterations allocate: one of each per task, on its stack.
    WalkResult inner = loop.getBody()->walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !alloc.getDynamicSizes().empty())
        return WalkResult::interrupt();
      scratchBytes += type.getNumElements() *
                      std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
      return WalkResult::advance();
    });
    if (inner.wasInterrupted() || scratchBytes > kMaxTaskScratchBytes)
      return;

    MLIRContext *ctx = kernel.getContext();
    Location loc = loop.getLoc();
    OpBuilder builder(ctx);
    Type indexType = builder.getIndexType();

    // The task: iterations [begin, end) of the loop, over the kernel's
    // parameters it reads.
    SmallVector<Type> taskArgs = {indexType, indexType};
    for (Value pointer : captures.pointers)
      taskArgs.push_back(pointer.getType());
    std::string base = (kernel.getSymName() + "_par" + Twine(index)).str();
    builder.setInsertionPointAfter(kernel);
    auto task = builder.create<func::FuncOp>(
        loc, base, builder.getFunctionType(taskArgs, {}));
    dlc::markKernel(task);
    symbols.insert(task);
    Block *entry = task.addEntryBlock();
    builder.setInsertionPointToStart(entry);
    IRMapping mapping;
    for (auto [i, pointer] : llvm::enumerate(captures.pointers))
      mapping.map(pointer, entry->getArgument(i + 2));
    // Operands first: capture() inserts an op after everything it reads.
    for (Operation *op : captures.cloned) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        auto scratch = builder.create<memref::AllocaOp>(
            alloc.getLoc(), alloc.getType(), alloc.getAlignmentAttr());
        mapping.map(alloc.getResult(), scratch.getResult());
        continue;
      }
      builder.clone(*op, mapping);
    }
    auto constant = [&](int64_t v) -> Value {
      return builder.create<arith::ConstantIndexOp>(loc, v);
    };
    Value one = constant(1);
    auto tiles = builder.create<scf::ForOp>(loc, entry->getArgument(0),
                                            entry->getArgument(1), one);
    builder.setInsertionPointToStart(tiles.getBody());
    // Iteration c of the band: level k's index is (c / inner trips) mod its
    // trips, the outermost level varying slowest.
    int64_t below = trips;
    for (Level &level : band) {
      below /= level.trips;
      Value i = tiles.getInductionVar();
      if (below != 1)
        i = builder.create<arith::DivUIOp>(loc, i, constant(below));
      if (&level != &band.front())
        i = builder.create<arith::RemUIOp>(loc, i, constant(level.trips));
      Value iv = builder.create<arith::AddIOp>(
          loc, constant(level.lb),
          builder.create<arith::MulIOp>(loc, i, constant(level.step)));
      mapping.map(level.loop.getInductionVar(), iv);
    }
    for (Operation &op : innermost.getBody()->without_terminator())
      builder.clone(op, mapping);
    // The iterations' buffers: allocated once, before the tiles (an alloca
    // in the loop would grow the stack per iteration).
    SmallVector<memref::AllocOp> allocs;
    tiles.getBody()->walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    builder.setInsertionPoint(tiles);
    for (memref::AllocOp alloc : allocs) {
      auto scratch = builder.create<memref::AllocaOp>(
          alloc.getLoc(), alloc.getType(), alloc.getAlignmentAttr());
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(scratch.getResult());
      alloc.erase();
    }
    builder.setInsertionPointToEnd(entry);
    builder.create<func::ReturnOp>(loc);

    // The launcher, defined by dlc-lower-parallel-launch: (pointers, trips).
    int64_t count = std::max<int64_t>(1, captures.pointers.size());
    auto pointersType = MemRefType::get({count}, indexType);
    builder.setInsertionPointAfter(task);
    auto launcher = builder.create<func::FuncOp>(
        loc, base + "_launch",
        builder.getFunctionType({pointersType, indexType}, {}));
    launcher.setPrivate();
    launcher->setAttr(dlc::kParallelBodyAttr,
                      FlatSymbolRefAttr::get(task.getSymNameAttr()));
    symbols.insert(launcher);

    // The loop becomes: the pointers into a stack array, the launch.
    builder.setInsertionPoint(loop);
    Value pointers = builder.create<memref::AllocaOp>(loc, pointersType);
    for (auto [i, pointer] : llvm::enumerate(captures.pointers)) {
      Value address =
          pointer.getType().isIndex()
              ? pointer
              : builder.create<memref::ExtractAlignedPointerAsIndexOp>(loc,
                                                                       pointer);
      builder.create<memref::StoreOp>(
          loc, address, pointers,
          ValueRange{builder.create<arith::ConstantIndexOp>(loc, i)});
    }
    builder.create<func::CallOp>(
        loc, launcher,
        ValueRange{pointers, builder.create<arith::ConstantIndexOp>(loc, trips)});
    loop.erase();
    // What only the loop read (its scratch, with its deallocation) goes
    // with it; users before what they use.
    SmallVector<Operation *> cloned = captures.cloned.takeVector();
    for (Operation *op : llvm::reverse(cloned)) {
      for (Operation *user : llvm::make_early_inc_range(op->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      if (op->use_empty())
        op->erase();
    }
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> kernels;
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(dlc::kKernelAttr) && !func.isExternal())
        kernels.push_back(func);
    SymbolTable symbols(module);
    for (func::FuncOp kernel : kernels) {
      // The outermost marked loops; a marked loop inside one runs serially
      // in its task.
      SmallVector<scf::ForOp> loops;
      kernel.walk([&](scf::ForOp loop) {
        if (loop->hasAttr(dlc::kParallelLoopAttr) &&
            !loop->getParentOfType<scf::ForOp>())
          loops.push_back(loop);
      });
      for (auto [i, loop] : llvm::enumerate(loops))
        outline(kernel, loop, i, symbols);
    }
    // What stays serial (a loop its task could not receive, a marked loop
    // inside a task) loses the mark.
    for (auto func : module.getOps<func::FuncOp>()) {
      func.walk([](scf::ForOp loop) {
        loop->removeAttr(dlc::kParallelLoopAttr);
      });
    }
  }
};

} // namespace
