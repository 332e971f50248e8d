//===- OutlineKernels.cpp - one function per distinct kernel --------------===//
//
// Part of dlc. See DLCOutlineKernelsPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/KernelGroups.h"
#include "Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace dlc {
#define GEN_PASS_DEF_DLCOUTLINEKERNELSPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// What func-to-llvm passes on as the LLVM function's `noinline`.
constexpr llvm::StringLiteral kNoInlineAttr = "no_inline";

/// A constant that a kernel clones rather than takes as an argument: a
/// scalar (part of what makes two kernels the same). Tensor constants stay
/// arguments: a kernel whose op folds into a constant tensor would return a
/// global's buffer, which the bare-pointer calling convention cannot return.
bool isClonedConstant(Value value) {
  Operation *def = value.getDefiningOp();
  return def && def->hasTrait<OpTrait::ConstantLike>() &&
         def->getNumResults() == 1 && value.getType().isIntOrIndexOrFloat();
}

/// A kernel's structural hash: its type and its ops, operands and locations
/// aside (isEquivalent decides).
llvm::hash_code hashKernel(func::FuncOp kernel) {
  llvm::hash_code hash = hash_value(kernel.getFunctionType());
  kernel.getBody().walk([&](Operation *op) {
    hash =
        llvm::hash_combine(hash, OperationEquivalence::computeHash(
                                     op, OperationEquivalence::ignoreHashValue,
                                     OperationEquivalence::ignoreHashValue,
                                     OperationEquivalence::IgnoreLocations));
  });
  return hash;
}

bool isEquivalent(func::FuncOp a, func::FuncOp b) {
  return a.getFunctionType() == b.getFunctionType() &&
         OperationEquivalence::isRegionEquivalentTo(
             &a.getBody(), &b.getBody(), OperationEquivalence::IgnoreLocations);
}

struct DLCOutlineKernelsPass
    : public dlc::impl::DLCOutlineKernelsPassBase<DLCOutlineKernelsPass> {
  using DLCOutlineKernelsPassBase::DLCOutlineKernelsPassBase;

  /// Kernels made so far, by structural hash.
  DenseMap<llvm::hash_code, SmallVector<func::FuncOp, 1>> kernels;
  std::optional<SymbolTable> symbols;

  /// Gives every init that a shared fill of an empty tensor feeds a fill of
  /// its own (CSE merges the zero fills of many accumulators into one), so
  /// that each kernel fills its accumulators itself, in registers, instead
  /// of reading a copy of one filled buffer.
  void privatizeFills(func::FuncOp func) {
    SmallVector<linalg::FillOp> shared;
    for (auto fill : func.getBody().front().getOps<linalg::FillOp>())
      if (!fill->hasOneUse() && fill.hasPureTensorSemantics() &&
          fill.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>())
        shared.push_back(fill);
    for (linalg::FillOp fill : shared) {
      for (OpOperand &use : llvm::make_early_inc_range(fill->getUses())) {
        auto user = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
        if (!user || !user.isDpsInit(&use) || fill->hasOneUse())
          continue;
        OpBuilder builder(fill);
        use.set(builder.clone(*fill)->getResult(0));
      }
    }
  }

  /// Gives each destination-style op in a loop body whose init is an empty
  /// tensor, or a fill of one, defined outside the body (CSE merges a
  /// step's zero accumulator with an equal fill above the loop) an init of
  /// its own in the body: a step then writes into buffers of its own, not
  /// into a value of the enclosing block (which bufferization would copy
  /// every step).
  void privatizeLoopInits(Block &body) {
    for (Operation &op : body) {
      auto dps = dyn_cast<DestinationStyleOpInterface>(&op);
      if (!dps || !dps.hasPureTensorSemantics())
        continue;
      for (OpOperand &init : dps.getDpsInitsMutable()) {
        Operation *def = init.get().getDefiningOp();
        if (!def || def->getBlock() == &body)
          continue;
        auto fill = dyn_cast<linalg::FillOp>(def);
        auto empty = fill ? fill.getDpsInitOperand(0)
                                ->get()
                                .getDefiningOp<tensor::EmptyOp>()
                          : dyn_cast<tensor::EmptyOp>(def);
        if (!empty)
          continue;
        OpBuilder builder(&op);
        Operation *ownEmpty = builder.clone(*empty);
        if (!fill) {
          init.set(ownEmpty->getResult(0));
          continue;
        }
        IRMapping mapping;
        mapping.map(empty.getResult(), ownEmpty->getResult(0));
        init.set(builder.clone(*fill, mapping)->getResult(0));
      }
    }
  }

  /// The groups of `block`'s linalg ops: contractions first (they take
  /// their fills and epilogues), then every other op, then the fills left
  /// alone.
  SmallVector<SmallVector<Operation *>> formGroups(Block &block) {
    SmallVector<SmallVector<Operation *>> groups;
    DenseSet<Operation *> grouped;
    auto take = [&](auto filter) {
      for (Operation &op : block) {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
        if (!linalgOp || grouped.contains(&op) ||
            !linalgOp.hasPureTensorSemantics() || !filter(&op))
          continue;
        SmallVector<Operation *> group;
        for (Operation *member : dlc::kernelGroup(linalgOp))
          if (grouped.insert(member).second)
            group.push_back(member);
        groups.push_back(std::move(group));
      }
    };
    take([](Operation *op) { return dlc::isRegisterTiledContraction(op); });
    take([](Operation *op) { return !isa<linalg::FillOp>(op); });
    take([](Operation *) { return true; });
    return groups;
  }

  /// For a group whose last op writes into a slice of a padded tensor
  /// (dlc-write-into-slices: its init a slice of D, through reshapes, and
  /// its result inserted back into D at the same place, through the inverse
  /// reshapes), the ops that come along: the slice and its reshapes before
  /// the group, the reshapes and the insert after it. The kernel then takes
  /// D and returns it. Empty for any other group.
  std::pair<SmallVector<Operation *>, SmallVector<Operation *>>
  sliceWrite(Operation *last) {
    auto dps = dyn_cast<DestinationStyleOpInterface>(last);
    if (!dps || last->getNumResults() != 1 || dps.getNumDpsInits() != 1)
      return {};
    SmallVector<Operation *> before, after;
    Value init = dps.getDpsInitOperand(0)->get();
    while (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
        init.getDefiningOp())) {
      before.push_back(init.getDefiningOp());
      init = init.getDefiningOp()->getOperand(0);
    }
    auto slice = init.getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice)
      return {};
    before.push_back(slice);
    std::reverse(before.begin(), before.end());
    Value result = last->getResult(0);
    while (result.hasOneUse() &&
           isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
               *result.getUsers().begin())) {
      after.push_back(*result.getUsers().begin());
      result = after.back()->getResult(0);
    }
    if (!result.hasOneUse())
      return {};
    auto insert = dyn_cast<tensor::InsertSliceOp>(*result.getUsers().begin());
    if (!insert || insert.getDest() != slice.getSource() ||
        insert.getStaticOffsets() != slice.getStaticOffsets() ||
        insert.getStaticSizes() != slice.getStaticSizes() ||
        insert.getStaticStrides() != slice.getStaticStrides() ||
        insert->getBlock() != last->getBlock())
      return {};
    for (Operation *op : before)
      if (!op->hasOneUse() || op->getBlock() != last->getBlock())
        return {};
    after.push_back(insert);
    return {before, after};
  }

  /// Moves `group` into a kernel, or calls an equivalent one.
  void outline(ArrayRef<Operation *> linalgGroup) {
    // The slices and reshapes of its inputs come along (a view read by
    // others too is cloned for the group): a view passed as an argument
    // would be a strided buffer where the kernel's parameter has the
    // identity layout.
    SmallVector<Operation *> group(linalgGroup.begin(), linalgGroup.end());
    auto [sliceBefore, sliceAfter] = sliceWrite(group.back());
    group.insert(group.begin(), sliceBefore.begin(), sliceBefore.end());
    group.append(sliceAfter.begin(), sliceAfter.end());
    DenseSet<Operation *> members(group.begin(), group.end());
    SmallVector<Operation *> views;
    // A copy's group takes none: on tensors the copy of a view folds into
    // the view, and the kernel would return it instead of its destination.
    // Nor can it take the view as an argument (a strided buffer where the
    // kernel's parameter has the identity layout): the copy of a view (a
    // slice returned as a result) stays inline, a copy of a subview.
    SmallVector<Operation *> worklist;
    if (auto copy = dyn_cast<linalg::CopyOp>(group.back())) {
      if (copy.getInputs()[0].getDefiningOp<tensor::ExtractSliceOp>())
        return;
    } else {
      worklist.assign(group.begin(), group.end());
    }
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      // What it reads (a destination stays the caller's: the kernel returns
      // its parameters only).
      SmallVector<Value> read = op->getOperands();
      if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
        read = dps.getDpsInputs();
      for (Value operand : read) {
        Operation *def = operand.getDefiningOp();
        // A view in an enclosing block comes along too (the step's slice of
        // an outer step's slice, in nested loops): passed as an argument it
        // would be a strided buffer.
        if (!def || members.contains(def) ||
            !isa<tensor::ExtractSliceOp, tensor::ExpandShapeOp,
                 tensor::CollapseShapeOp>(def) ||
            !def->getBlock()->findAncestorOpInBlock(*op))
          continue;
        if (!llvm::all_of(def->getUsers(), [&](Operation *user) {
              return members.contains(user);
            })) {
          OpBuilder builder(def);
          Operation *copy = builder.clone(*def);
          def->getResult(0).replaceUsesWithIf(
              copy->getResult(0),
              [&](OpOperand &use) { return members.contains(use.getOwner()); });
          def = copy;
        }
        members.insert(def);
        views.push_back(def);
        worklist.push_back(def);
      }
    }
    // In order: a view in an enclosing block before those nested in it.
    llvm::stable_sort(views, [](Operation *a, Operation *b) {
      if (a->getBlock() == b->getBlock())
        return a->isBeforeInBlock(b);
      return a->getBlock()->findAncestorOpInBlock(*b) != nullptr;
    });
    group.insert(group.begin(), views.begin(), views.end());
    // Each init that starts from an empty tensor gets a fresh buffer of its
    // own, an alloc_tensor (which, unlike tensor.empty, CSE does not merge):
    // two inits sharing one argument (a two-result generic's outs(%e, %e))
    // would make the kernel allocate and return new buffers, and one empty
    // tensor shared by every call would make bufferization's alias sets, and
    // its time, grow with the square of the calls.
    for (Operation *op : group)
      if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
        for (OpOperand &init : dps.getDpsInitsMutable())
          if (auto empty = init.get().getDefiningOp<tensor::EmptyOp>()) {
            OpBuilder builder(empty);
            // In a loop body, an empty tensor from outside the body is
            // still an allocation of the step.
            if (empty->getBlock() != op->getBlock())
              builder.setInsertionPoint(op);
            init.set(builder.create<bufferization::AllocTensorOp>(
                empty.getLoc(), empty.getType(), empty.getDynamicSizes()));
          }
    // What the group reads from outside: arguments, or scalar constants to
    // clone.
    llvm::SetVector<Value> arguments, constants;
    auto addExternal = [&](Value value) {
      Operation *def = value.getDefiningOp();
      if (def && members.contains(def))
        return;
      if (isClonedConstant(value))
        constants.insert(value);
      else
        arguments.insert(value);
    };
    for (Operation *op : group) {
      for (Value operand : op->getOperands())
        addExternal(operand);
      llvm::SetVector<Value> captured;
      for (Region &region : op->getRegions())
        getUsedValuesDefinedAbove(region, captured);
      for (Value value : captured)
        addExternal(value);
    }
    // A view that still is an argument (none should be: they come along
    // above) would be a strided buffer bound to an identity-layout
    // parameter, read at the wrong place: such a group stays inline, where
    // bufferization gives it the view's layout.
    if (llvm::any_of(arguments, [](Value v) {
          return v.getDefiningOp<tensor::ExtractSliceOp>() != nullptr;
        }))
      return;
    // Only the last op's results may leave the group (kernelGroup's rule);
    // a group that breaks it stays inline.
    Operation *last = group.back();
    for (Operation *op : ArrayRef(group).drop_back())
      for (Operation *user : op->getUsers())
        if (!members.contains(user))
          return;

    // The kernel: the group's ops cloned into a private function.
    OpBuilder builder(&getContext());
    auto type = builder.getFunctionType(
        llvm::to_vector(
            llvm::map_range(arguments, [](Value v) { return v.getType(); })),
        last->getResultTypes());
    Location loc = last->getLoc();
    // Named after its first op that is not a fill, a view or an insert (a
    // profile then reads dlc_kernel_matmul_3, dlc_kernel_generic_7, ...).
    Operation *named = linalgGroup.front();
    for (Operation *op : group)
      if (!isa<linalg::FillOp, tensor::ExtractSliceOp, tensor::InsertSliceOp,
               tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op)) {
        named = op;
        break;
      }
    auto kernel = func::FuncOp::create(
        loc, ("dlc_kernel_" + named->getName().stripDialect()).str(), type);
    dlc::markKernel(kernel);
    Block *body = kernel.addEntryBlock();
    builder.setInsertionPointToStart(body);
    IRMapping mapping;
    for (auto [value, arg] : llvm::zip(arguments, body->getArguments()))
      mapping.map(value, arg);
    for (Value value : constants)
      builder.clone(*value.getDefiningOp(), mapping);
    for (Operation *op : group)
      builder.clone(*op, mapping);
    builder.create<func::ReturnOp>(
        loc, llvm::to_vector(llvm::map_range(last->getResults(), [&](Value v) {
          return mapping.lookup(v);
        })));

    // One function per distinct kernel.
    SmallVector<func::FuncOp, 1> &same = kernels[hashKernel(kernel)];
    func::FuncOp callee;
    for (func::FuncOp other : same)
      if (isEquivalent(kernel, other))
        callee = other;
    if (callee) {
      kernel.erase();
    } else {
      callee = kernel;
      same.push_back(kernel);
      symbols->insert(kernel); // uniquely named, at the module's end
    }

    builder.setInsertionPoint(last);
    auto call = builder.create<func::CallOp>(last->getLoc(), callee,
                                             arguments.getArrayRef());
    last->replaceAllUsesWith(call.getResults());
    for (Operation *op : llvm::reverse(group))
      op->erase();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    symbols.emplace(module);
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && !func->hasAttr(dlc::kKernelAttr))
        funcs.push_back(func);
    for (func::FuncOp func : funcs) {
      privatizeFills(func);
      // The function's block, then each loop body (a dl.scan's step).
      SmallVector<Block *> blocks;
      func.walk<WalkOrder::PreOrder>([&](Operation *op) {
        for (Region &region : op->getRegions())
          if (isa<func::FuncOp, scf::ForOp>(op) && region.hasOneBlock())
            blocks.push_back(&region.front());
      });
      for (Block *block : blocks) {
        if (block != &func.getBody().front())
          privatizeLoopInits(*block);
        for (ArrayRef<Operation *> group : formGroups(*block))
          outline(group);
      }
    }
    // A kernel called from several sites stays one function in LLVM too;
    // one called once may be inlined.
    DenseMap<StringAttr, unsigned> sites;
    module.walk(
        [&](func::CallOp call) { ++sites[call.getCalleeAttr().getAttr()]; });
    OpBuilder builder(&getContext());
    SmallVector<func::FuncOp> all;
    for (auto &[hash, same] : kernels)
      for (func::FuncOp kernel : same) {
        all.push_back(kernel);
        if (sites.lookup(kernel.getSymNameAttr()) > 1)
          kernel->setAttr(kNoInlineAttr, builder.getUnitAttr());
      }
    // The kernels after the functions that call them, the most called
    // first: MLIR 19's bufferization finds a callee by a linear scan of the
    // module for every query.
    llvm::stable_sort(all, [&](func::FuncOp a, func::FuncOp b) {
      unsigned x = sites.lookup(a.getSymNameAttr());
      unsigned y = sites.lookup(b.getSymNameAttr());
      return x != y ? x > y : a.getSymName() < b.getSymName();
    });
    for (func::FuncOp kernel : all)
      kernel->moveBefore(module.getBody(), module.getBody()->end());
  }
};

} // namespace
