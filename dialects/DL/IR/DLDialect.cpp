//===- DLDialect.cpp - the dl dialect -----------------------------------===//
//
// Part of dlc. Registers the dl ops and materializes folded constants.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLDialect.h"
#include "DL/IR/DLOps.h"

using namespace mlir;
using namespace dlc::dl;

#include "DL/IR/DLDialect.cpp.inc"

void DLDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "DL/IR/DLOps.cpp.inc"
      >();
}

Operation *DLDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, elements);
}
