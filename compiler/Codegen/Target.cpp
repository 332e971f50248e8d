//===- Target.cpp - the target facts recorded in the module ---------------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Target.h"

#include "mlir/IR/Builders.h"

using namespace mlir;

namespace dlc {

static constexpr llvm::StringLiteral kVectorBits = "vector_bits";
static constexpr llvm::StringLiteral kNumRegisters = "num_registers";
static constexpr llvm::StringLiteral kParallelGrain = "parallel_grain";

DictionaryAttr getTargetAttr(MLIRContext *ctx, const TargetFacts &facts) {
  Builder b(ctx);
  SmallVector<NamedAttribute> entries = {
      b.getNamedAttr(kVectorBits, b.getI64IntegerAttr(facts.vectorBits)),
      b.getNamedAttr(kNumRegisters, b.getI64IntegerAttr(facts.numRegisters))};
  // Serial code records no grain.
  if (facts.parallelGrain > 0)
    entries.push_back(b.getNamedAttr(
        kParallelGrain, b.getI64IntegerAttr(facts.parallelGrain)));
  return b.getDictionaryAttr(entries);
}

void setTargetFacts(ModuleOp module, const TargetFacts &facts) {
  module->setAttr(kTargetAttrName, getTargetAttr(module.getContext(), facts));
}

TargetFacts getTargetFacts(Operation *op) {
  TargetFacts facts;
  for (; op; op = op->getParentOp()) {
    auto dict = op->getAttrOfType<DictionaryAttr>(kTargetAttrName);
    if (!dict)
      continue;
    if (auto bits = dict.getAs<IntegerAttr>(kVectorBits))
      facts.vectorBits = bits.getInt();
    if (auto regs = dict.getAs<IntegerAttr>(kNumRegisters))
      facts.numRegisters = regs.getInt();
    if (auto grain = dict.getAs<IntegerAttr>(kParallelGrain))
      facts.parallelGrain = grain.getInt();
    break;
  }
  return facts;
}

} // namespace dlc
