//===- Compile.cpp - from dl IR to linalg, LLVM, asm or objects -----------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Pipelines/Compile.h"
#include "Codegen/CodegenAttrs.h"

#include "Pipelines/Pipelines.h"
#include "Target/HeaderEmitter.h"
#include "Target/ObjectEmitter.h"
#include "Target/TargetInfo.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

namespace dlc {

static llvm::Error passFailure(StringRef what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 what.str() + " failed");
}

llvm::Error compileModule(ModuleOp module, const CodegenRequest &request,
                          CodegenStage stage, llvm::raw_pwrite_stream &os,
                          llvm::raw_ostream *header, StringRef model,
                          StringRef source) {
  llvm::Expected<TargetInfo> target =
      resolveTarget(request.triple, request.cpu);
  if (!target)
    return target.takeError();
  target->flushDenormals = request.flushDenormals;

  PassManager pm(module.getContext());
  buildDLEntryPointsPipeline(pm);
  buildDLToLinalgPipeline(pm);
  if (stage != CodegenStage::Linalg) {
    CPUCodegenOptions options;
    options.vectorBits = target->simd.vectorBits;
    options.numRegisters = target->simd.numRegisters;
    options.parallelGrain = request.parallel ? target->parallelGrain : 0;
    buildCPUCodegenPipeline(pm, options);
  }
  if (failed(pm.run(module)))
    return passFailure("code generation");

  switch (stage) {
  case CodegenStage::Linalg:
  case CodegenStage::LLVMDialect:
    module.print(os);
    break;
  case CodegenStage::MemoryPlan:
    printMemoryPlan(module, os);
    break;
  case CodegenStage::LLVMIR:
  case CodegenStage::Assembly:
  case CodegenStage::Object: {
    OutputKind kind = stage == CodegenStage::LLVMIR     ? OutputKind::LLVMIR
                      : stage == CodegenStage::Assembly ? OutputKind::Assembly
                                                        : OutputKind::Object;
    if (llvm::Error e = emitModule(module, *target, kind, os))
      return e;
    break;
  }
  }
  if (header && stage != CodegenStage::Linalg)
    return emitHeader(module, model, source, *header);
  return llvm::Error::success();
}

void printMemoryPlan(ModuleOp module, llvm::raw_ostream &os) {
  module.walk([&](Operation *func) {
    auto peak = func->getAttrOfType<IntegerAttr>(dlc::kWorkspaceBytesAttr);
    auto total = func->getAttrOfType<IntegerAttr>(dlc::kBufferBytesAttr);
    auto plan = func->getAttrOfType<ArrayAttr>(dlc::kMemoryPlanAttr);
    auto name = func->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
    if (!peak || !total || !plan || !name)
      return;
    os << "function " << name.getValue() << ": " << plan.size()
       << " buffers, " << total.getInt() << " bytes in all, workspace peak "
       << peak.getInt() << " bytes";
    if (total.getInt() > 0)
      os << llvm::format(" (%.1f%% of the sum)",
                         100.0 * peak.getInt() / total.getInt());
    os << "\n";
    os << "  #   offset      bytes  live (top-level ops)  source\n";
    for (auto [i, entry] : llvm::enumerate(plan)) {
      auto dict = cast<DictionaryAttr>(entry);
      auto get = [&](StringRef key) {
        return dict.getAs<IntegerAttr>(key).getInt();
      };
      os << llvm::format("  %-3zu %8lld %10lld  %lld..%lld", i,
                         (long long)get("offset"), (long long)get("bytes"),
                         (long long)get("first"), (long long)get("last"));
      // Where the buffer's value comes from (a scan's line for its stacks
      // and its tape).
      if (auto at = dict.getAs<StringAttr>("at"); at && !at.empty())
        os << "  " << at.getValue();
      os << "\n";
    }
  });
}

} // namespace dlc
