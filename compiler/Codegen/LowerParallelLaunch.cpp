//===- LowerParallelLaunch.cpp - the launchers of parallel tasks ----------===//
//
// Part of dlc. See DLCLowerParallelLaunchPass in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Codegen/CodegenAttrs.h"
#include "Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace dlc {
#define GEN_PASS_DEF_DLCLOWERPARALLELLAUNCHPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

/// The module's hook: the caller's parallel-for and its pool, null until set.
constexpr llvm::StringLiteral kHookFn = "dlc_parallel_for_fn";
constexpr llvm::StringLiteral kHookPool = "dlc_parallel_for_pool";

struct DLCLowerParallelLaunchPass
    : public dlc::impl::DLCLowerParallelLaunchPassBase<
          DLCLowerParallelLaunchPass> {
  using DLCLowerParallelLaunchPassBase::DLCLowerParallelLaunchPassBase;

  /// An internal global pointer, null-initialized.
  static void addNullGlobal(OpBuilder &builder, Location loc, StringRef name) {
    auto ptr = LLVM::LLVMPointerType::get(builder.getContext());
    auto global = builder.create<LLVM::GlobalOp>(
        loc, ptr, /*isConstant=*/false, LLVM::Linkage::Internal, name,
        Attribute());
    OpBuilder::InsertionGuard guard(builder);
    builder.createBlock(&global.getInitializerRegion());
    Value null = builder.create<LLVM::ZeroOp>(loc, ptr);
    builder.create<LLVM::ReturnOp>(loc, null);
  }

  /// Defines `launcher` (ptr pointers, i64 trips): the task of `body` over
  /// [0, trips) through the hook, or on this thread when none is set.
  static LogicalResult defineLauncher(ModuleOp module, LLVM::LLVMFuncOp launcher,
                                      LLVM::LLVMFuncOp body) {
    MLIRContext *ctx = module.getContext();
    Location loc = launcher.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto voidType = LLVM::LLVMVoidType::get(ctx);
    LLVM::LLVMFunctionType bodyType = body.getFunctionType();
    if (bodyType.getNumParams() < 2 ||
        bodyType.getParamType(0) != i64 || bodyType.getParamType(1) != i64 ||
        llvm::any_of(bodyType.getParams().drop_front(2),
                     [&](Type t) { return t != ptr && t != i64; }))
      return body.emitError(
          "a parallel task takes (i64, i64, then pointers and i64s)");
    auto launcherType = launcher.getFunctionType();
    if (launcherType.getNumParams() != 2 ||
        launcherType.getParamType(0) != ptr ||
        launcherType.getParamType(1) != i64)
      return launcher.emitError("a parallel launcher takes (ptr, i64)");

    // The task: (ptr context, i64 begin, i64 end) -> body(begin, end, ...),
    // each further parameter read from its 8-byte slot of the context.
    OpBuilder builder(ctx);
    builder.setInsertionPointAfter(launcher);
    auto taskType = LLVM::LLVMFunctionType::get(voidType, {ptr, i64, i64});
    auto task = builder.create<LLVM::LLVMFuncOp>(
        loc, (body.getName() + "_task").str(), taskType,
        LLVM::Linkage::Internal);
    // Runs on the pool's threads: it enters the model's float mode as an
    // entry point does (Target/FloatEnvironment.h).
    task.setPassthroughAttr(
        builder.getArrayAttr({builder.getStringAttr(dlc::kThreadEntryFnAttr)}));
    {
      Block *entry = task.addEntryBlock(builder);
      builder.setInsertionPointToStart(entry);
      SmallVector<Value> args = {entry->getArgument(1), entry->getArgument(2)};
      for (unsigned i = 2; i < bodyType.getNumParams(); ++i) {
        Value slot = builder.create<LLVM::GEPOp>(
            loc, ptr, i64, entry->getArgument(0),
            ArrayRef<LLVM::GEPArg>{int32_t(i - 2)});
        args.push_back(
            builder.create<LLVM::LoadOp>(loc, bodyType.getParamType(i), slot));
      }
      builder.create<LLVM::CallOp>(loc, body, args);
      builder.create<LLVM::ReturnOp>(loc, ValueRange{});
    }

    // The launcher: hook(pool, task, pointers, trips), or task(pointers, 0,
    // trips) without one.
    launcher.setLinkage(LLVM::Linkage::Internal);
    Block *entry = launcher.addEntryBlock(builder);
    Block *serial = launcher.addBlock();
    Block *pooled = launcher.addBlock();
    builder.setInsertionPointToStart(entry);
    Value fn = builder.create<LLVM::LoadOp>(
        loc, ptr, builder.create<LLVM::AddressOfOp>(loc, ptr, kHookFn));
    Value null = builder.create<LLVM::ZeroOp>(loc, ptr);
    Value none = builder.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::eq,
                                              fn, null);
    builder.create<LLVM::CondBrOp>(loc, none, serial, pooled);

    builder.setInsertionPointToStart(serial);
    Value zero = builder.create<LLVM::ConstantOp>(loc, i64, int64_t(0));
    builder.create<LLVM::CallOp>(
        loc, task,
        ValueRange{entry->getArgument(0), zero, entry->getArgument(1)});
    builder.create<LLVM::ReturnOp>(loc, ValueRange{});

    builder.setInsertionPointToStart(pooled);
    Value pool = builder.create<LLVM::LoadOp>(
        loc, ptr, builder.create<LLVM::AddressOfOp>(loc, ptr, kHookPool));
    Value taskAddress = builder.create<LLVM::AddressOfOp>(loc, task);
    auto hookType = LLVM::LLVMFunctionType::get(voidType, {ptr, ptr, ptr, i64});
    builder.create<LLVM::CallOp>(
        loc, hookType,
        ValueRange{fn, pool, taskAddress, entry->getArgument(0),
                   entry->getArgument(1)});
    builder.create<LLVM::ReturnOp>(loc, ValueRange{});
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = module.getContext();
    Location loc = module.getLoc();
    // Only a model (or a module with parallel tasks) gets the hook.
    auto model = module->getAttrOfType<StringAttr>("dl.model");
    SmallVector<LLVM::LLVMFuncOp> launchers;
    for (auto func : module.getOps<LLVM::LLVMFuncOp>())
      if (func->hasAttr(dlc::kParallelBodyAttr))
        launchers.push_back(func);
    if (!model && launchers.empty())
      return;

    OpBuilder builder(ctx);
    builder.setInsertionPointToStart(module.getBody());
    addNullGlobal(builder, loc, kHookFn);
    addNullGlobal(builder, loc, kHookPool);

    // <model>_set_parallel_for(fn, pool): the embedder's (or dlrt's) hook.
    // A module that is not a model has none (several such objects may be
    // linked together): its tasks run on the calling thread.
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    if (model) {
      std::string setter = (model.getValue() + "_set_parallel_for").str();
      auto setterFunc = builder.create<LLVM::LLVMFuncOp>(
          loc, setter,
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx),
                                      {ptr, ptr}));
      OpBuilder::InsertionGuard guard(builder);
      Block *entry = setterFunc.addEntryBlock(builder);
      builder.setInsertionPointToStart(entry);
      builder.create<LLVM::StoreOp>(
          loc, entry->getArgument(0),
          builder.create<LLVM::AddressOfOp>(loc, ptr, kHookFn));
      builder.create<LLVM::StoreOp>(
          loc, entry->getArgument(1),
          builder.create<LLVM::AddressOfOp>(loc, ptr, kHookPool));
      builder.create<LLVM::ReturnOp>(loc, ValueRange{});
    }

    for (LLVM::LLVMFuncOp launcher : launchers) {
      auto bodyName =
          launcher->getAttrOfType<FlatSymbolRefAttr>(dlc::kParallelBodyAttr);
      auto body = module.lookupSymbol<LLVM::LLVMFuncOp>(bodyName);
      if (!body) {
        launcher.emitError("parallel task not found: ") << bodyName;
        return signalPassFailure();
      }
      launcher->removeAttr(dlc::kParallelBodyAttr);
      if (failed(defineLauncher(module, launcher, body)))
        return signalPassFailure();
    }
  }
};

} // namespace
