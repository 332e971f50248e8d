//===- PackState.cpp - shared state and gradient buffers, and the C ABI ---===//
//
// Part of dlc. See DLCPackStatePass in Passes.td; docs/abi.md documents the
// resulting calling convention.
//
//===----------------------------------------------------------------------===//

#include "Codegen/Passes.h"
#include "DL/IR/DLMarks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "llvm/ADT/MapVector.h"

#include <map>

namespace dlc {
#define GEN_PASS_DEF_DLCPACKSTATEPASS
#include "Codegen/Passes.h.inc"
} // namespace dlc

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 64;

/// The ABI name of an element type: f32, f64, i32, ...
std::string dtypeName(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  type.print(os);
  return s;
}

/// One tensor of a layout or argument list.
struct Slot {
  std::string name, kind;
  MemRefType type;
  int64_t bytes = 0;
  int64_t offset = -1; ///< in its buffer; -1 for a plain argument
  DictionaryAttr init; ///< the front end's `dl.init`, if any
};

DictionaryAttr describe(OpBuilder &b, const Slot &s) {
  SmallVector<NamedAttribute> fields = {
      b.getNamedAttr("name", b.getStringAttr(s.name)),
      b.getNamedAttr("kind", b.getStringAttr(s.kind)),
      b.getNamedAttr("dtype",
                     b.getStringAttr(dtypeName(s.type.getElementType()))),
      b.getNamedAttr("shape", b.getDenseI64ArrayAttr(s.type.getShape())),
      b.getNamedAttr("bytes", b.getI64IntegerAttr(s.bytes))};
  if (s.offset >= 0)
    fields.push_back(b.getNamedAttr("offset", b.getI64IntegerAttr(s.offset)));
  if (s.init)
    fields.push_back(b.getNamedAttr("init", s.init));
  return b.getDictionaryAttr(fields);
}

/// Which buffer an argument kind lives in.
enum class Buffer { None, State, Grads };
Buffer bufferOf(StringRef kind) {
  if (kind == dlc::dl::kind::kParam || kind == dlc::dl::kind::kState ||
      kind == dlc::dl::kind::kOptState)
    return Buffer::State;
  if (kind == dlc::dl::kind::kGrad)
    return Buffer::Grads;
  return Buffer::None;
}
int kindRank(StringRef kind) {
  return kind == dlc::dl::kind::kParam   ? 0
         : kind == dlc::dl::kind::kState ? 1
                                         : 2;
}

/// A buffer's layout: slots by name, with offsets.
struct Layout {
  llvm::MapVector<std::string, Slot, std::map<std::string, unsigned>> slots;
  int64_t bytes = 0;

  /// Orders the slots (stable) and assigns aligned offsets.
  void assign(llvm::function_ref<bool(const Slot &, const Slot &)> before) {
    SmallVector<Slot> ordered;
    for (auto &entry : slots)
      ordered.push_back(entry.second);
    llvm::stable_sort(ordered, before);
    slots.clear();
    bytes = 0;
    for (Slot &s : ordered) {
      s.offset = bytes;
      bytes = llvm::alignTo(bytes + s.bytes, kAlignment);
      slots.insert({s.name, s});
    }
  }

  ArrayAttr describeAll(OpBuilder &b) const {
    SmallVector<Attribute> entries;
    for (auto &entry : slots)
      entries.push_back(describe(b, entry.second));
    return b.getArrayAttr(entries);
  }
};

struct DLCPackStatePass
    : public dlc::impl::DLCPackStatePassBase<DLCPackStatePass> {

  /// Reads argument `i` of `func` as a slot (no offset).
  FailureOr<Slot> readArg(func::FuncOp func, unsigned i) {
    auto type = dyn_cast<MemRefType>(func.getArgument(i).getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity()) {
      func.emitError("argument #")
          << i << " is not a statically shaped identity-layout buffer";
      return failure();
    }
    DataLayout layout = DataLayout::closest(func);
    Slot s;
    s.type = type;
    s.bytes = type.getNumElements() *
              int64_t(layout.getTypeSize(type.getElementType()));
    bool isResult = bool(func.getArgAttr(i, "bufferize.result"));
    if (auto name = func.getArgAttrOfType<StringAttr>(i, dlc::dl::kNameAttr))
      s.name = name.str();
    else
      s.name = (isResult ? "result" : "arg") + std::to_string(i);
    if (auto kind = func.getArgAttrOfType<StringAttr>(i, dlc::dl::kKindAttr))
      s.kind = kind.str();
    else
      s.kind = isResult ? dlc::dl::kind::kOutput : dlc::dl::kind::kInput;
    s.init = func.getArgAttrOfType<DictionaryAttr>(i, dlc::dl::kInitAttr);
    return s;
  }

  /// Replaces the arguments of `func` that live in a buffer by views into new
  /// leading buffer arguments, and records `dlc.abi`.
  LogicalResult packFunction(func::FuncOp func, const Layout &state,
                             const Layout &grads) {
    OpBuilder b(func.getContext());
    SmallVector<std::pair<unsigned, Buffer>> packed;
    SmallVector<Attribute> args;
    bool usesState = false, usesGrads = false;
    bool writesState = func->hasAttr(dlc::kWritesStateAttr);
    for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
      FailureOr<Slot> slot = readArg(func, i);
      if (failed(slot))
        return failure();
      Buffer buffer = bufferOf(slot->kind);
      if (buffer == Buffer::None) {
        args.push_back(describe(b, *slot));
        continue;
      }
      packed.push_back({i, buffer});
      usesState |= buffer == Buffer::State;
      usesGrads |= buffer == Buffer::Grads;
    }

    // New leading arguments: the state buffer, then the gradient buffer.
    Value stateArg, gradsArg;
    unsigned inserted = 0;
    auto addBuffer = [&](int64_t bytes, StringRef mark) {
      auto type = MemRefType::get({std::max<int64_t>(bytes, 1)}, b.getI8Type());
      func.insertArgument(inserted, type,
                          b.getDictionaryAttr(
                              b.getNamedAttr(mark, b.getUnitAttr())),
                          func.getLoc());
      return func.getArgument(inserted++);
    };
    if (usesState)
      stateArg = addBuffer(state.bytes, dlc::kStateArgAttr);
    if (usesGrads)
      gradsArg = addBuffer(grads.bytes, dlc::kGradsArgAttr);

    Block &entry = func.getBody().front();
    b.setInsertionPointToStart(&entry);
    llvm::BitVector erase(func.getNumArguments());
    for (auto [index, buffer] : packed) {
      unsigned arg = index + inserted;
      std::string name =
          func.getArgAttrOfType<StringAttr>(arg, dlc::dl::kNameAttr).str();
      const Layout &layout = buffer == Buffer::State ? state : grads;
      const Slot &slot = layout.slots.find(name)->second;
      Value shift = b.create<arith::ConstantIndexOp>(func.getLoc(), slot.offset);
      Value view = b.create<memref::ViewOp>(
          func.getLoc(), slot.type, buffer == Buffer::State ? stateArg : gradsArg,
          shift, ValueRange{});
      func.getArgument(arg).replaceAllUsesWith(view);
      erase.set(arg);
    }
    func.eraseArguments(erase);

    func->setAttr(
        dlc::kAbiAttr,
        b.getDictionaryAttr(
            {b.getNamedAttr("state", b.getBoolAttr(usesState)),
             b.getNamedAttr("writes_state", b.getBoolAttr(writesState)),
             b.getNamedAttr("grads", b.getBoolAttr(usesGrads)),
             b.getNamedAttr("args", b.getArrayAttr(args))}));
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && func.isPublic())
        funcs.push_back(func);

    // The model's layouts, from every function's buffer arguments.
    Layout state, grads;
    for (func::FuncOp func : funcs)
      for (unsigned i = 0; i < func.getNumArguments(); ++i) {
        FailureOr<Slot> slot = readArg(func, i);
        if (failed(slot))
          return signalPassFailure();
        Buffer buffer = bufferOf(slot->kind);
        if (buffer == Buffer::None)
          continue;
        if (!func.getArgAttr(i, dlc::dl::kNameAttr)) {
          func.emitError("argument #") << i << " of kind '" << slot->kind
                                       << "' has no dl.name";
          return signalPassFailure();
        }
        Layout &layout = buffer == Buffer::State ? state : grads;
        auto [it, inserted] = layout.slots.insert({slot->name, *slot});
        if (!inserted && !it->second.init)
          it->second.init = slot->init;
        if (!inserted && it->second.type != slot->type) {
          func.emitError("'") << slot->name
                              << "' has different types in different functions";
          return signalPassFailure();
        }
      }
    state.assign([](const Slot &a, const Slot &b) {
      return kindRank(a.kind) < kindRank(b.kind);
    });
    // Gradients in the order of the parameters they belong to.
    auto paramPosition = [&](const Slot &s) {
      auto it = state.slots.find(s.name);
      return it == state.slots.end() ? INT64_MAX : it->second.offset;
    };
    grads.assign([&](const Slot &a, const Slot &b) {
      return paramPosition(a) < paramPosition(b);
    });

    for (func::FuncOp func : funcs)
      if (failed(packFunction(func, state, grads)))
        return signalPassFailure();

    OpBuilder b(module.getContext());
    module->setAttr(dlc::kStateLayoutAttr, state.describeAll(b));
    module->setAttr(dlc::kStateBytesAttr, b.getI64IntegerAttr(state.bytes));
    module->setAttr(dlc::kGradsLayoutAttr, grads.describeAll(b));
    module->setAttr(dlc::kGradsBytesAttr, b.getI64IntegerAttr(grads.bytes));

    auto model = module->getAttrOfType<StringAttr>("dl.model");
    if (!model)
      return;
    for (func::FuncOp func : funcs) {
      if (func.getSymName().starts_with(model.str() + "_"))
        continue;
      std::string symbol = model.str() + "_" + func.getSymName().str();
      if (failed(SymbolTable::replaceAllSymbolUses(
              func, StringAttr::get(&getContext(), symbol), module)))
        return signalPassFailure();
      func.setSymName(symbol);
    }
  }
};

} // namespace
