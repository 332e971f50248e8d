//===- TargetInfo.cpp - the machine dlc generates code for ----------------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Target/TargetInfo.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace dlc {

/// Registers the x86 and AArch64 backends once.
static void initializeTargets() {
  static bool done = [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    return true;
  }();
  (void)done;
}

/// The host CPU's features as a "+a,-b" string.
static std::string hostFeatures() {
  StringMap<bool> features = sys::getHostCPUFeatures();
  std::string result;
  for (const auto &f : features) {
    if (!result.empty())
      result += ",";
    result += (f.second ? "+" : "-") + f.first().str();
  }
  return result;
}

SimdInfo getSimdInfo(const TargetMachine &machine) {
  const MCSubtargetInfo *sti = machine.getMCSubtargetInfo();
  Triple triple = machine.getTargetTriple();
  SimdInfo info;
  if (triple.isX86()) {
    if (sti->checkFeatures("+avx512f"))
      info = {512, 32};
    else if (sti->checkFeatures("+avx2") || sti->checkFeatures("+avx"))
      info = {256, 16};
    else
      info = {128, 16};
  } else if (triple.isAArch64()) {
    info = {128, 32};
  }
  return info;
}

Expected<TargetInfo> resolveTarget(StringRef tripleName, StringRef cpuName) {
  initializeTargets();
  TargetInfo info;
  bool host = tripleName.empty();
  info.triple = host ? sys::getProcessTriple() : Triple::normalize(tripleName);
  info.cpu = cpuName.str();
  if (info.cpu.empty() || info.cpu == "native")
    info.cpu = host ? sys::getHostCPUName().str() : "generic";
  // Host features only when compiling for the host's own CPU.
  if (host && (cpuName.empty() || cpuName == "native"))
    info.features = hostFeatures();

  std::string error;
  const Target *target = TargetRegistry::lookupTarget(info.triple, error);
  if (!target)
    return createStringError(inconvertibleErrorCode(),
                             "unknown target '" + info.triple + "': " + error);
  if (info.cpu != "generic") {
    // Reject CPU names the backend does not know (it would only warn).
    std::unique_ptr<MCSubtargetInfo> sti(
        target->createMCSubtargetInfo(info.triple, "", ""));
    if (sti && !sti->isCPUStringValid(info.cpu))
      return createStringError(inconvertibleErrorCode(),
                               "unknown CPU '" + info.cpu + "' for target '" +
                                   info.triple + "'");
  }

  TargetOptions options;
  info.machine.reset(target->createTargetMachine(
      info.triple, info.cpu, info.features, options, Reloc::PIC_, std::nullopt,
      CodeGenOptLevel::Aggressive));
  if (!info.machine)
    return createStringError(inconvertibleErrorCode(),
                             "cannot create a target machine for '" +
                                 info.triple + "'");
  info.simd = getSimdInfo(*info.machine);
  return info;
}

} // namespace dlc
