//===- PackState.cpp - one state buffer per model, and the C ABI ----------===//
//
// Part of dlc. See DLCPackStatePass in Passes.td; docs/abi.md documents the
// resulting calling convention.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"

namespace dlc {
#define GEN_PASS_DEF_DLCPACKSTATEPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

constexpr int64_t kStateAlignment = 64;

/// The ABI name of an element type: f32, f64, i32, ...
std::string dtypeName(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  type.print(os);
  return s;
}

/// One entry of `dlc.abi`.
DictionaryAttr describe(OpBuilder &b, StringRef name, StringRef kind,
                        MemRefType type, int64_t bytes, int64_t offset) {
  SmallVector<NamedAttribute> fields = {
      b.getNamedAttr("name", b.getStringAttr(name)),
      b.getNamedAttr("kind", b.getStringAttr(kind)),
      b.getNamedAttr("dtype", b.getStringAttr(dtypeName(type.getElementType()))),
      b.getNamedAttr("shape", b.getDenseI64ArrayAttr(type.getShape())),
      b.getNamedAttr("bytes", b.getI64IntegerAttr(bytes))};
  if (offset >= 0)
    fields.push_back(b.getNamedAttr("offset", b.getI64IntegerAttr(offset)));
  return b.getDictionaryAttr(fields);
}

struct DLCPackStatePass
    : public dlc::impl::DLCPackStatePassBase<DLCPackStatePass> {

  LogicalResult packFunction(func::FuncOp func) {
    OpBuilder b(func.getContext());
    DataLayout layout = DataLayout::closest(func);
    Block &entry = func.getBody().front();

    struct Arg {
      unsigned index;
      std::string name, kind;
      MemRefType type;
      int64_t bytes;
    };
    SmallVector<Arg> packed, kept;
    for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
      auto type = dyn_cast<MemRefType>(func.getArgument(i).getType());
      if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
        return func.emitError("argument #")
               << i << " is not a statically shaped identity-layout buffer";
      Arg arg{i, "", "", type,
              type.getNumElements() *
                  int64_t(layout.getTypeSize(type.getElementType()))};
      if (auto name = func.getArgAttrOfType<StringAttr>(i, "dl.name"))
        arg.name = name.str();
      else
        arg.name = (func.getArgAttr(i, "bufferize.result") ? "result" : "arg") +
                   std::to_string(i);
      if (auto kind = func.getArgAttrOfType<StringAttr>(i, "dl.kind"))
        arg.kind = kind.str();
      else
        arg.kind = func.getArgAttr(i, "bufferize.result") ? "output" : "input";
      if (arg.kind == "param" || arg.kind == "state")
        packed.push_back(arg);
      else
        kept.push_back(arg);
    }

    SmallVector<Attribute> stateEntries, argEntries;
    int64_t stateBytes = 0;
    if (!packed.empty()) {
      // Lay the tensors out in argument order, then give the function the
      // state buffer as its first argument and view each tensor in it.
      SmallVector<int64_t> offsets;
      for (const Arg &a : packed) {
        offsets.push_back(stateBytes);
        stateBytes = llvm::alignTo(stateBytes + a.bytes, kStateAlignment);
      }
      auto stateType = MemRefType::get({stateBytes}, b.getI8Type());
      func.insertArgument(0, stateType,
                          b.getDictionaryAttr(b.getNamedAttr(
                              "dlc.state", b.getUnitAttr())),
                          func.getLoc());
      Value state = func.getArgument(0);
      b.setInsertionPointToStart(&entry);
      llvm::BitVector erase(func.getNumArguments());
      for (auto [a, offset] : llvm::zip(packed, offsets)) {
        Value shift = b.create<arith::ConstantIndexOp>(func.getLoc(), offset);
        Value view = b.create<memref::ViewOp>(func.getLoc(), a.type, state,
                                              shift, ValueRange{});
        // Arguments moved one to the right when the state was inserted.
        func.getArgument(a.index + 1).replaceAllUsesWith(view);
        erase.set(a.index + 1);
        stateEntries.push_back(
            describe(b, a.name, a.kind, a.type, a.bytes, offset));
      }
      func.eraseArguments(erase);
    }
    for (const Arg &a : kept)
      argEntries.push_back(describe(b, a.name, a.kind, a.type, a.bytes, -1));

    func->setAttr("dlc.abi",
                  b.getDictionaryAttr(
                      {b.getNamedAttr("state_bytes",
                                      b.getI64IntegerAttr(stateBytes)),
                       b.getNamedAttr("state", b.getArrayAttr(stateEntries)),
                       b.getNamedAttr("args", b.getArrayAttr(argEntries))}));
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto model = module->getAttrOfType<StringAttr>("dl.model");
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || !func.isPublic())
        continue;
      if (failed(packFunction(func)))
        return signalPassFailure();
      if (model && !func.getSymName().starts_with(model.str() + "_")) {
        std::string symbol = model.str() + "_" + func.getSymName().str();
        if (failed(SymbolTable::replaceAllSymbolUses(
                func, StringAttr::get(&getContext(), symbol), module)))
          return signalPassFailure();
        func.setSymName(symbol);
      }
    }
  }
};

} // namespace
