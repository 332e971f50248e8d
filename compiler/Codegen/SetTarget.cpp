//===- SetTarget.cpp - record the target's facts in the module ------------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"
#include "Codegen/Target.h"

namespace dlc {
#define GEN_PASS_DEF_DLCSETTARGETPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

struct DLCSetTargetPass
    : public dlc::impl::DLCSetTargetPassBase<DLCSetTargetPass> {
  using DLCSetTargetPassBase::DLCSetTargetPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    dlc::TargetFacts facts = dlc::getTargetFacts(module);
    if (vectorBits != 0)
      facts.vectorBits = vectorBits;
    if (numRegisters != 0)
      facts.numRegisters = numRegisters;
    if (parallelGrain >= 0)
      facts.parallelGrain = parallelGrain;
    dlc::setTargetFacts(module, facts);
  }
};

} // namespace
