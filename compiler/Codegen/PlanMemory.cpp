//===- PlanMemory.cpp - a static workspace plan for every buffer ----------===//
//
// Part of dlc. Liveness is measured in positions of the function's top-level
// ops: a buffer lives from the op that (transitively) contains its alloc to
// the last op that contains a use of it or of a view of it.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace dlc {
#define GEN_PASS_DEF_DLCPLANMEMORYPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// One buffer to place.
struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  int64_t first = 0, last = 0; ///< live range in top-level op positions
  int64_t offset = -1;
};

/// "file:line:col" of the source place `loc` names first (the .dl line of
/// the op a buffer holds the result of: a layer, a scan's stacks and tape),
/// the file without its directories; empty when it names none.
std::string sourcePlace(Location loc) {
  std::string place;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      StringRef name = file.getFilename().getValue();
      place = (name.substr(name.find_last_of('/') + 1) + ":" +
               Twine(file.getLine()) + ":" + Twine(file.getColumn()))
                  .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return place;
}

/// The ancestor of `op` in `block` (op itself if it is there).
Operation *topLevelAncestor(Block &block, Operation *op) {
  return block.findAncestorOpInBlock(*op);
}

/// Extends `buffer`'s live range over every use of `value` and of the values
/// that alias it through view-like ops; fails if it escapes a region.
LogicalResult extendOverUses(Block &block, Value value,
                             const DenseMap<Operation *, int64_t> &position,
                             Buffer &buffer) {
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (user->hasTrait<OpTrait::IsTerminator>() &&
        !isa<memref::DeallocOp>(user))
      return user->emitError("a buffer escapes through this terminator and "
                             "cannot be placed in the static workspace");
    Operation *top = topLevelAncestor(block, user);
    if (!top)
      return user->emitError("buffer used outside its function body");
    buffer.last = std::max(buffer.last, position.lookup(top));
    // Views alias the buffer: their uses keep it alive.
    if (auto view = dyn_cast<ViewLikeOpInterface>(user))
      if (view.getViewSource() == value)
        for (Value result : user->getResults())
          if (failed(extendOverUses(block, result, position, buffer)))
            return failure();
  }
  return success();
}

/// Places buffers greedily, largest first, each at the lowest aligned offset
/// that overlaps no already placed buffer with an overlapping live range.
/// Returns the peak.
int64_t assignOffsets(MutableArrayRef<Buffer> buffers, int64_t alignment) {
  SmallVector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  llvm::stable_sort(order, [](Buffer *a, Buffer *b) {
    return a->bytes > b->bytes;
  });
  int64_t peak = 0;
  SmallVector<Buffer *> placed;
  for (Buffer *b : order) {
    // Byte ranges taken by live-overlapping buffers, sorted by offset.
    SmallVector<std::pair<int64_t, int64_t>> taken;
    for (Buffer *p : placed)
      if (p->first <= b->last && b->first <= p->last)
        taken.push_back({p->offset, p->offset + p->bytes});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [begin, end] : taken) {
      if (offset + b->bytes <= begin)
        break;
      offset = std::max<int64_t>(offset, llvm::alignTo(end, alignment));
    }
    b->offset = offset;
    peak = std::max(peak, offset + b->bytes);
    placed.push_back(b);
  }
  return static_cast<int64_t>(llvm::alignTo(peak, alignment));
}

/// Turns every buffer that kernel `kernel` allocates into a trailing
/// parameter that each of its callers allocates just before the call, so that
/// the callers' plans place it; a kernel then never needs a workspace of its
/// own. Fails on a buffer that is not statically shaped.
LogicalResult hoistKernelBuffers(func::FuncOp kernel,
                                 ArrayRef<func::CallOp> calls) {
  SmallVector<memref::AllocOp> allocs;
  kernel.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
  for (memref::AllocOp alloc : allocs) {
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape())
      return alloc.emitError(
                 "a kernel's buffers must be statically shaped, got ")
             << type;
    IntegerAttr alignment = alloc.getAlignmentAttr();
    unsigned index = kernel.getNumArguments();
    kernel.insertArgument(index, type, {}, alloc.getLoc());
    for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    alloc.replaceAllUsesWith(kernel.getArgument(index));
    alloc.erase();
    for (func::CallOp call : calls) {
      OpBuilder builder(call);
      auto buffer =
          builder.create<memref::AllocOp>(call.getLoc(), type, alignment);
      call->insertOperands(call->getNumOperands(), buffer.getResult());
    }
  }
  // Results that are parameters (a buffer bufferization allocated in the
  // kernel and returned, now hoisted) are read from the call's operands.
  auto ret = cast<func::ReturnOp>(kernel.getBody().front().getTerminator());
  llvm::BitVector dropped(ret.getNumOperands());
  SmallVector<std::pair<unsigned, unsigned>> resultToArg;
  for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
    auto arg = dyn_cast<BlockArgument>(value);
    if (!arg || arg.getOwner()->getParentOp() != kernel)
      return kernel.emitError("kernel returns a buffer that is not one of "
                              "its parameters");
    dropped.set(i);
    resultToArg.push_back({unsigned(i), arg.getArgNumber()});
  }
  if (dropped.none())
    return success();
  for (func::CallOp call : calls) {
    for (auto [result, arg] : resultToArg)
      call.getResult(result).replaceAllUsesWith(call.getOperand(arg));
    OpBuilder builder(call);
    builder.create<func::CallOp>(call.getLoc(), call.getCallee(), TypeRange{},
                                 call.getOperands());
    call.erase();
  }
  ret->setOperands({});
  kernel.eraseResults(dropped);
  return success();
}

struct DLCPlanMemoryPass
    : public dlc::impl::DLCPlanMemoryPassBase<DLCPlanMemoryPass> {
  using DLCPlanMemoryPassBase::DLCPlanMemoryPassBase;

  LogicalResult planFunction(func::FuncOp func) {
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> position;
    for (auto [i, op] : llvm::enumerate(body))
      position[&op] = i;

    DataLayout layout = DataLayout::closest(func);
    SmallVector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity()) {
        alloc.emitError("only statically shaped, identity-layout buffers "
                        "can be planned, got ")
            << type;
        return WalkResult::interrupt();
      }
      Buffer buffer;
      buffer.alloc = alloc;
      buffer.bytes = std::max<int64_t>(
          1, type.getNumElements() *
                 int64_t(layout.getTypeSize(type.getElementType())));
      buffer.first = buffer.last =
          position.lookup(topLevelAncestor(body, alloc));
      if (failed(extendOverUses(body, alloc.getResult(), position, buffer)))
        return WalkResult::interrupt();
      buffers.push_back(buffer);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();

    int64_t total = 0;
    for (const Buffer &b : buffers)
      total += b.bytes;
    int64_t peak = assignOffsets(buffers, alignment);

    // The workspace: a trailing i8 argument (at least one byte, so that the
    // C signature is the same whether or not a model needs scratch memory).
    MLIRContext *ctx = func.getContext();
    OpBuilder builder(ctx);
    auto workspaceType =
        MemRefType::get({std::max<int64_t>(peak, 1)}, builder.getI8Type());
    unsigned index = func.getNumArguments();
    func.insertArgument(index, workspaceType,
                        builder.getDictionaryAttr(builder.getNamedAttr(
                            dlc::kWorkspaceArgAttr, builder.getUnitAttr())),
                        func.getLoc());
    Value workspace = func.getArgument(index);

    SmallVector<Attribute> plan;
    for (Buffer &b : buffers) {
      builder.setInsertionPoint(b.alloc);
      Value offset =
          builder.create<arith::ConstantIndexOp>(b.alloc.getLoc(), b.offset);
      Value view = builder.create<memref::ViewOp>(
          b.alloc.getLoc(), b.alloc.getType(), workspace, offset, ValueRange{});
      // Deallocations of planned buffers go away with the allocations.
      for (Operation *user : llvm::make_early_inc_range(b.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      std::string place = sourcePlace(b.alloc.getLoc());
      b.alloc.replaceAllUsesWith(view);
      b.alloc.erase();
      plan.push_back(builder.getDictionaryAttr(
          {builder.getNamedAttr("bytes", builder.getI64IntegerAttr(b.bytes)),
           builder.getNamedAttr("offset", builder.getI64IntegerAttr(b.offset)),
           builder.getNamedAttr("first", builder.getI64IntegerAttr(b.first)),
           builder.getNamedAttr("last", builder.getI64IntegerAttr(b.last)),
           builder.getNamedAttr("at", builder.getStringAttr(place))}));
    }
    func->setAttr(dlc::kWorkspaceBytesAttr, builder.getI64IntegerAttr(peak));
    func->setAttr(dlc::kBufferBytesAttr, builder.getI64IntegerAttr(total));
    func->setAttr(dlc::kMemoryPlanAttr, builder.getArrayAttr(plan));
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    DenseMap<Operation *, SmallVector<func::CallOp>> calls;
    module.walk([&](func::CallOp call) {
      if (auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee()))
        calls[callee].push_back(call);
    });
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(dlc::kKernelAttr) &&
          failed(hoistKernelBuffers(func, calls.lookup(func))))
        return signalPassFailure();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || func->hasAttr(dlc::kKernelAttr))
        continue;
      if (!func.getBody().hasOneBlock()) {
        func.emitError("memory planning expects a single-block function body");
        return signalPassFailure();
      }
      if (failed(planFunction(func)))
        return signalPassFailure();
    }
  }
};

} // namespace
