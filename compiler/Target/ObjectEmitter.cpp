//===- ObjectEmitter.cpp - LLVM dialect to LLVM IR, asm or object ---------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Target/ObjectEmitter.h"
#include "Target/FloatEnvironment.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"

using namespace llvm;

namespace dlc {

/// Runs LLVM's default O3 module pipeline tuned for `machine`.
static void optimize(Module &module, TargetMachine &machine) {
  LoopAnalysisManager lam;
  FunctionAnalysisManager fam;
  CGSCCAnalysisManager cgam;
  ModuleAnalysisManager mam;
  PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  ModulePassManager mpm =
      builder.buildPerModuleDefaultPipeline(OptimizationLevel::O3);
  mpm.run(module, mam);
}

/// Drops the attributes dlc's passes leave on functions and their arguments
/// (`dl.*`, `dlc.*`, `bufferize.*`): LLVM IR has no place for them.
static void dropDLCAttributes(mlir::ModuleOp module) {
  auto isOurs = [](mlir::StringAttr name) {
    return name.strref().starts_with("dl.") ||
           name.strref().starts_with("dlc.") ||
           name.strref().starts_with("bufferize.");
  };
  auto filter = [&](mlir::DictionaryAttr attrs) {
    SmallVector<mlir::NamedAttribute> kept;
    if (attrs)
      for (mlir::NamedAttribute a : attrs)
        if (!isOurs(a.getName()))
          kept.push_back(a);
    return mlir::DictionaryAttr::get(module.getContext(), kept);
  };
  module.walk([&](mlir::LLVM::LLVMFuncOp func) {
    for (mlir::NamedAttribute a : func->getDiscardableAttrs())
      if (isOurs(a.getName()))
        func->removeDiscardableAttr(a.getName());
    if (mlir::ArrayAttr args = func.getArgAttrsAttr()) {
      SmallVector<mlir::Attribute> filtered;
      for (mlir::Attribute a : args)
        filtered.push_back(filter(llvm::cast<mlir::DictionaryAttr>(a)));
      func.setArgAttrsAttr(mlir::ArrayAttr::get(module.getContext(), filtered));
    }
    if (mlir::ArrayAttr results = func.getResAttrsAttr()) {
      SmallVector<mlir::Attribute> filtered;
      for (mlir::Attribute a : results)
        filtered.push_back(filter(llvm::cast<mlir::DictionaryAttr>(a)));
      func.setResAttrsAttr(
          mlir::ArrayAttr::get(module.getContext(), filtered));
    }
  });
}

Error emitModule(mlir::ModuleOp module, const TargetInfo &target,
                 OutputKind kind, raw_pwrite_stream &os) {
  // Translate a copy: the caller still reads dlc's attributes (the header).
  mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
  dropDLCAttributes(*copy);
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  module->getContext()->appendDialectRegistry(registry);

  LLVMContext context;
  std::unique_ptr<Module> llvmModule =
      mlir::translateModuleToLLVMIR(*copy, context);
  if (!llvmModule)
    return createStringError(inconvertibleErrorCode(),
                             "cannot translate the module to LLVM IR");
  TargetMachine &machine = *target.machine;
  llvmModule->setTargetTriple(target.triple);
  llvmModule->setDataLayout(machine.createDataLayout());
  // Every function is tuned for the chosen CPU (LLVM reads these per function).
  for (Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", target.cpu);
    if (!target.features.empty())
      f.addFnAttr("target-features", target.features);
  }
  if (target.flushDenormals)
    flushDenormalsInEntryPoints(*llvmModule, Triple(target.triple));
  optimize(*llvmModule, machine);
  if (verifyModule(*llvmModule, &errs()))
    return createStringError(inconvertibleErrorCode(),
                             "LLVM IR failed to verify after optimization");

  if (kind == OutputKind::LLVMIR) {
    llvmModule->print(os, nullptr);
    return Error::success();
  }
  // The object writer seeks; emit into memory so that any stream (a pipe
  // too) can take the result.
  SmallVector<char, 0> buffer;
  raw_svector_ostream bufferStream(buffer);
  legacy::PassManager codegen;
  CodeGenFileType fileType = kind == OutputKind::Object
                                 ? CodeGenFileType::ObjectFile
                                 : CodeGenFileType::AssemblyFile;
  if (machine.addPassesToEmitFile(codegen, bufferStream, nullptr, fileType))
    return createStringError(inconvertibleErrorCode(),
                             "the target cannot emit this file type");
  codegen.run(*llvmModule);
  os.write(buffer.data(), buffer.size());
  return Error::success();
}

} // namespace dlc
