//===- FloatEnvironment.cpp - the FP mode generated entry points run in ---===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Target/FloatEnvironment.h"
#include "Codegen/CodegenAttrs.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/IntrinsicsAArch64.h"
#include "llvm/IR/IntrinsicsX86.h"

using namespace llvm;

namespace dlc {

namespace {

/// MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6).
constexpr uint32_t kMxcsrFlush = 0x8040;
/// MXCSR's exception flags (bits 0-5).
constexpr uint32_t kMxcsrFlags = 0x3f;
/// FPCR's flush-to-zero (bit 24; on AArch64 it covers inputs too).
constexpr uint64_t kFpcrFlush = uint64_t(1) << 24;

/// Around `f`'s body: the saved mode, the flags set, the mode restored
/// before each return.
void wrapX86(Function &f) {
  Module &m = *f.getParent();
  IRBuilder<> b(&*f.getEntryBlock().getFirstInsertionPt());
  Function *save = Intrinsic::getDeclaration(&m, Intrinsic::x86_sse_stmxcsr);
  Function *load = Intrinsic::getDeclaration(&m, Intrinsic::x86_sse_ldmxcsr);
  Value *saved = b.CreateAlloca(b.getInt32Ty(), nullptr, "dlc.mxcsr.saved");
  Value *set = b.CreateAlloca(b.getInt32Ty(), nullptr, "dlc.mxcsr.set");
  b.CreateCall(save, {saved});
  Value *mode = b.CreateLoad(b.getInt32Ty(), saved);
  b.CreateStore(b.CreateOr(mode, b.getInt32(kMxcsrFlush)), set);
  b.CreateCall(load, {set});
  // At each return: the caller's control bits, the exception flags the call
  // raised (MXCSR's low 6 bits are sticky status, not mode).
  for (BasicBlock &block : f)
    if (auto *ret = dyn_cast<ReturnInst>(block.getTerminator())) {
      IRBuilder<> r(ret);
      r.CreateCall(save, {set});
      Value *flags = r.CreateAnd(r.CreateLoad(r.getInt32Ty(), set),
                                 r.getInt32(kMxcsrFlags));
      Value *control = r.CreateAnd(r.CreateLoad(r.getInt32Ty(), saved),
                                   r.getInt32(~kMxcsrFlags));
      r.CreateStore(r.CreateOr(control, flags), set);
      r.CreateCall(load, {set});
    }
}

void wrapAArch64(Function &f) {
  Module &m = *f.getParent();
  IRBuilder<> b(&*f.getEntryBlock().getFirstInsertionPt());
  Function *get = Intrinsic::getDeclaration(&m, Intrinsic::aarch64_get_fpcr);
  Function *set = Intrinsic::getDeclaration(&m, Intrinsic::aarch64_set_fpcr);
  Value *saved = b.CreateCall(get, {});
  b.CreateCall(set, {b.CreateOr(saved, b.getInt64(kFpcrFlush))});
  for (BasicBlock &block : f)
    if (auto *ret = dyn_cast<ReturnInst>(block.getTerminator())) {
      IRBuilder<> r(ret);
      r.CreateCall(set, {saved});
    }
}

} // namespace

bool flushDenormalsInEntryPoints(Module &module, const Triple &triple) {
  bool x86 = triple.getArch() == Triple::x86_64;
  bool arm = triple.getArch() == Triple::aarch64;
  if (!x86 && !arm)
    return false;
  bool changed = false;
  for (Function &f : module) {
    if (f.isDeclaration() ||
        (f.hasLocalLinkage() && !f.hasFnAttribute(kThreadEntryFnAttr)))
      continue;
    x86 ? wrapX86(f) : wrapAArch64(f);
    changed = true;
  }
  return changed;
}

} // namespace dlc
