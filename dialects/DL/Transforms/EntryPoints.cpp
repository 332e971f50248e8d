//===- EntryPoints.cpp - helpers shared by the entry-point passes ---------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/Transforms/EntryPoints.h"

#include "DL/IR/DLMarks.h"
#include "DL/IR/DLOps.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

static StringRef stringMark(DictionaryAttr attrs, StringRef key) {
  if (!attrs)
    return "";
  if (auto value = attrs.getAs<StringAttr>(key))
    return value.getValue();
  return "";
}

StringRef dlc::dl::getArgKind(func::FuncOp func, unsigned i) {
  return stringMark(func.getArgAttrDict(i), kKindAttr);
}

StringRef dlc::dl::getResultKind(func::FuncOp func, unsigned i) {
  return stringMark(func.getResultAttrDict(i), kKindAttr);
}

StringRef dlc::dl::getArgName(func::FuncOp func, unsigned i) {
  return stringMark(func.getArgAttrDict(i), kNameAttr);
}

DictionaryAttr dlc::dl::makeMarks(MLIRContext *ctx, StringRef kind,
                                  StringRef name) {
  Builder b(ctx);
  return b.getDictionaryAttr(
      {b.getNamedAttr(kKindAttr, b.getStringAttr(kind)),
       b.getNamedAttr(kNameAttr, b.getStringAttr(name))});
}

unsigned dlc::dl::getLossIndex(func::FuncOp func) {
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (getResultKind(func, i) == kind::kLoss)
      return i;
  llvm_unreachable("the model function has a loss");
}

void dlc::dl::markEntry(func::FuncOp func, StringRef name) {
  func->setAttr(kEntryAttr, StringAttr::get(func.getContext(), name));
}

void dlc::dl::resolveModes(func::FuncOp func, Mode mode) {
  func.walk([&](ModeSelectOp op) {
    op.replaceAllUsesWith(mode == Mode::Training ? op.getTraining()
                                                 : op.getInference());
    op.erase();
  });
}

void dlc::dl::eraseDeadOps(func::FuncOp func) {
  Block &body = func.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (!op.hasTrait<OpTrait::IsTerminator>() && op.use_empty() &&
        isMemoryEffectFree(&op))
      op.erase();
}

FailureOr<func::FuncOp> dlc::dl::findModelFunction(ModuleOp module) {
  func::FuncOp found;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || func->hasAttr(kEntryAttr))
      continue;
    for (unsigned i = 0; i < func.getNumResults(); ++i) {
      if (getResultKind(func, i) != kind::kLoss)
        continue;
      if (found) {
        func.emitError("several functions have a loss; expected one model "
                       "function");
        return failure();
      }
      found = func;
    }
  }
  return found;
}

void dlc::dl::setResults(func::FuncOp func, func::ReturnOp ret,
                         ValueRange results, ArrayRef<DictionaryAttr> attrs) {
  OpBuilder b(ret);
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  func.setFunctionType(FunctionType::get(
      func.getContext(), func.getArgumentTypes(), results.getTypes()));
  func.setAllResultAttrs(attrs);
}
