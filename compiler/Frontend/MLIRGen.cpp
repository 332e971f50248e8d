//===- MLIRGen.cpp - CheckedModel to the dl dialect -----------------------===//
//
// Part of dlc. Emits one dl op per checked node. Sema already checked every
// shape, so each node's result type is passed to the op builder explicitly
// (no inference can fail here); the module is verified afterwards and a
// verifier failure is reported as an internal error, never an abort.
//
// Node kinds that are one dl op (OpKinds.def's UNARY_OP and BINARY_OP, the
// elementwise builtins of Builtins.def) are emitted generically; adding a dl
// op for a pending kind (conv2d, slicing, scan, ...) is one case in
// MLIRGenImpl::emitNode.
//
//===----------------------------------------------------------------------===//

#include "Frontend/MLIRGen.h"

#include "DL/IR/DLDialect.h"
#include "DL/IR/DLMarks.h"
#include "DL/IR/DLOps.h"
#include "DL/IR/DLShapes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <algorithm>
#include <cmath>

using namespace dlc::frontend;
using llvm::StringRef;

void dlc::frontend::loadFrontendDialects(mlir::MLIRContext &context) {
  context.loadDialect<mlir::func::FuncDialect, dlc::dl::DLDialect>();
}

namespace {

class MLIRGenImpl {
public:
  MLIRGenImpl(mlir::MLIRContext &context, const CheckedModel &model,
              DiagEngine &diags)
      : context(context), builder(&context), model(model), diags(diags),
        sourceMgr(diags.getSourceMgr()) {}

  mlir::OwningOpRef<mlir::ModuleOp> run();

private:
  mlir::Location loc(int locId);
  mlir::Location fileLoc(llvm::SMLoc loc);
  mlir::Type elementType(DType dtype);
  mlir::RankedTensorType tensorType(const TensorType &type);
  mlir::DictionaryAttr initAttr(const ModelArg &arg);
  /// A number as an i64 or f64 attribute named after it.
  mlir::NamedAttribute numAttr(const NumAttr &a);
  mlir::Attribute configAttr(const ConfigValue &value);
  mlir::Value emitNode(const Node &node, int id);
  /// A dl.scan and its body: the nodes of region `id`, in order.
  mlir::Value emitScan(const Node &node, int id);
  /// dl::kIdBoundsAttr's value for FUNC: the inputs that index embedding
  /// tables (null when none does).
  mlir::DictionaryAttr idBounds(mlir::func::FuncOp func);
  /// The nodes of region `region` (-1: the top level), in order, from `from`;
  /// false at the first that cannot be emitted.
  bool emitRegion(int region, size_t from);
  /// A pooling op of `node`'s window attributes.
  template <typename PoolOp>
  mlir::Value emitPool(const Node &node, mlir::Location l,
                       mlir::RankedTensorType type, mlir::Value input) {
    return builder.create<PoolOp>(
        l, type, input, builder.getDenseI64ArrayAttr(node.ints(attr::kSize)),
        builder.getDenseI64ArrayAttr(node.ints(attr::kStride)),
        builder.getDenseI64ArrayAttr(node.ints(attr::kPadding)));
  }
  void unsupported(const Node &node);

  mlir::MLIRContext &context;
  mlir::OpBuilder builder;
  const CheckedModel &model;
  DiagEngine &diags;
  llvm::SourceMgr &sourceMgr;
  std::vector<mlir::Value> values;
  std::vector<mlir::Value> args;
  llvm::DenseMap<int, mlir::Location> locCache;
};

} // namespace

mlir::Location MLIRGenImpl::fileLoc(llvm::SMLoc smloc) {
  unsigned buf = smloc.isValid() ? sourceMgr.FindBufferContainingLoc(smloc) : 0;
  if (!buf)
    return builder.getUnknownLoc();
  auto [line, col] = sourceMgr.getLineAndColumn(smloc, buf);
  StringRef file = sourceMgr.getMemoryBuffer(buf)->getBufferIdentifier();
  return mlir::FileLineColLoc::get(&context, file, line, col);
}

mlir::Location MLIRGenImpl::loc(int locId) {
  if (locId < 0 || static_cast<size_t>(locId) >= model.locs.size())
    return builder.getUnknownLoc();
  auto it = locCache.find(locId);
  if (it != locCache.end())
    return it->second;
  const SourceLoc &src = model.locs[locId];
  mlir::Location result = fileLoc(src.loc);
  if (src.caller >= 0) {
    // Inside a layer: the op's own place, called from the call-site chain.
    // Call-site chains are bounded by the layer nesting limit.
    const SourceLoc &site = model.locs[src.caller];
    mlir::Location caller = loc(src.caller);
    if (!site.calleeName.empty())
      caller =
          mlir::NameLoc::get(builder.getStringAttr(site.calleeName), caller);
    result = mlir::CallSiteLoc::get(result, caller);
  }
  locCache.try_emplace(locId, result);
  return result;
}

mlir::Type MLIRGenImpl::elementType(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return builder.getF16Type();
  case DType::BF16:
    return builder.getBF16Type();
  case DType::F32:
    return builder.getF32Type();
  case DType::F64:
    return builder.getF64Type();
  case DType::I8:
    return builder.getIntegerType(8);
  case DType::I16:
    return builder.getIntegerType(16);
  case DType::I32:
    return builder.getIntegerType(32);
  case DType::I64:
    return builder.getIntegerType(64);
  }
  return builder.getF32Type();
}

mlir::RankedTensorType MLIRGenImpl::tensorType(const TensorType &type) {
  return mlir::RankedTensorType::get(type.shape, elementType(type.dtype));
}

mlir::DictionaryAttr MLIRGenImpl::initAttr(const ModelArg &arg) {
  llvm::SmallVector<mlir::NamedAttribute> attrs;
  attrs.push_back(
      builder.getNamedAttr("kind", builder.getStringAttr(arg.initKind)));
  for (const NumAttr &a : arg.initArgs)
    attrs.push_back(numAttr(a));
  return builder.getDictionaryAttr(attrs);
}

mlir::NamedAttribute MLIRGenImpl::numAttr(const NumAttr &a) {
  return builder.getNamedAttr(
      a.name, a.isInt ? mlir::Attribute(builder.getI64IntegerAttr(
                            static_cast<int64_t>(a.value)))
                      : mlir::Attribute(builder.getF64FloatAttr(a.value)));
}

mlir::Attribute MLIRGenImpl::configAttr(const ConfigValue &value) {
  switch (value.kind) {
  case ConfigValue::Kind::Int:
    return builder.getI64IntegerAttr(value.i);
  case ConfigValue::Kind::Float:
    return builder.getF64FloatAttr(value.f);
  case ConfigValue::Kind::String:
    return builder.getStringAttr(value.s);
  case ConfigValue::Kind::Dict: {
    llvm::SmallVector<mlir::NamedAttribute> attrs;
    for (auto &[k, v] : value.dict)
      attrs.push_back(builder.getNamedAttr(k, configAttr(v)));
    return builder.getDictionaryAttr(attrs);
  }
  }
  return builder.getUnitAttr();
}

void MLIRGenImpl::unsupported(const Node &node) {
  llvm::SMLoc where = node.loc >= 0 ? model.locs[node.loc].loc : llvm::SMLoc();
  diags.error(where, "'" + spell(node.kind) +
                         "' is not supported by code generation yet (the dl "
                         "dialect has no op for it); 'dlc check' accepts it");
  // Point at the call sites when the node is inside a layer.
  int caller = node.loc >= 0 ? model.locs[node.loc].caller : -1;
  if (caller >= 0)
    diags.note(model.locs[caller].loc,
               "in the call of '" + model.locs[caller].calleeName + "' here");
}

mlir::Value MLIRGenImpl::emitNode(const Node &node, int id) {
  mlir::Location l = loc(node.loc);
  mlir::RankedTensorType type = tensorType(node.type);
  auto operand = [&](unsigned i) { return values[node.operands[i]]; };
  switch (node.kind) {
  case OpKind::Arg:
    return args[node.getInt(attr::kArg)];
  case OpKind::Fill:
    return builder.create<dlc::dl::FillOp>(
        l, type, builder.getF64FloatAttr(node.getFloat(attr::kValue)));
  case OpKind::Sinusoidal: {
    // PE[t, 2i] = sin(t / 10000^(2i / D)), PE[t, 2i + 1] = cos(the same).
    auto shaped = llvm::cast<mlir::RankedTensorType>(type);
    int64_t t = shaped.getDimSize(0), d = shaped.getDimSize(1);
    std::vector<float> values(size_t(t * d));
    for (int64_t p = 0; p < t; ++p)
      for (int64_t j = 0; j < d; ++j) {
        double angle = double(p) / std::pow(10000.0, double(j - j % 2) / double(d));
        values[size_t(p * d + j)] =
            float(j % 2 ? std::cos(angle) : std::sin(angle));
      }
    return builder.create<dlc::dl::ConstantOp>(
        l, mlir::DenseElementsAttr::get(shaped, llvm::ArrayRef<float>(values)));
  }
  case OpKind::Matmul:
    return builder.create<dlc::dl::MatmulOp>(l, type, operand(0), operand(1));
#define UNARY_OP(Kind, spelling, DLOp)                                         \
  case OpKind::Kind:                                                           \
    return builder.create<dlc::dl::DLOp>(l, type, operand(0));
#define BINARY_OP(Kind, spelling, DLOp)                                        \
  case OpKind::Kind:                                                           \
    return builder.create<dlc::dl::DLOp>(l, type, operand(0), operand(1));
#include "Frontend/OpKinds.def"
  case OpKind::Sum:
    return builder.create<dlc::dl::SumOp>(l, type, operand(0),
                                          node.ints(attr::kAxes),
                                          node.getFlag(attr::kKeepDims));
  case OpKind::Mean:
    return builder.create<dlc::dl::MeanOp>(l, type, operand(0),
                                           node.ints(attr::kAxes),
                                           node.getFlag(attr::kKeepDims));
  case OpKind::Max:
    return builder.create<dlc::dl::MaxOp>(l, type, operand(0),
                                          node.ints(attr::kAxes),
                                          node.getFlag(attr::kKeepDims));
  case OpKind::Reshape:
    return builder.create<dlc::dl::ReshapeOp>(l, type, operand(0));
  case OpKind::Transpose:
    return builder.create<dlc::dl::TransposeOp>(
        l, type, operand(0),
        builder.getDenseI64ArrayAttr(node.ints(attr::kPerm)));
  case OpKind::Broadcast:
    return builder.create<dlc::dl::BroadcastOp>(l, type, operand(0));
  case OpKind::Conv2d:
    return builder.create<dlc::dl::Conv2dOp>(
        l, type, operand(0), operand(1),
        builder.getDenseI64ArrayAttr(node.ints(attr::kStride)),
        builder.getDenseI64ArrayAttr(node.ints(attr::kPadding)),
        builder.getDenseI64ArrayAttr(node.ints(attr::kDilation)),
        builder.getI64IntegerAttr(node.getInt(attr::kGroups)));
  case OpKind::MaxPool2d:
    return emitPool<dlc::dl::MaxPool2dOp>(node, l, type, operand(0));
  case OpKind::AvgPool2d:
    return emitPool<dlc::dl::AvgPool2dOp>(node, l, type, operand(0));
  case OpKind::Dropout:
    // The node's index tells the model's dropout ops' streams apart.
    return builder.create<dlc::dl::DropoutOp>(
        l, type, operand(0), operand(1), operand(2),
        builder.getF64FloatAttr(node.getFloat(attr::kP)),
        builder.getI64IntegerAttr(id));
  case OpKind::BatchNorm:
    return builder
        .create<dlc::dl::BatchNormOp>(
            l, operand(0), operand(1), operand(2),
            builder.getF64FloatAttr(node.getFloat(attr::kEps)))
        .getResult();
  case OpKind::CrossEntropy:
    return builder.create<dlc::dl::CrossEntropyOp>(
        l, type, operand(0), operand(1),
        node.find(attr::kIgnoreIndex)
            ? builder.getI64IntegerAttr(node.getInt(attr::kIgnoreIndex))
            : mlir::IntegerAttr());
  case OpKind::Attention: {
    // PyTorch's default scale, 1 / sqrt(D).
    auto q = llvm::cast<mlir::RankedTensorType>(operand(0).getType());
    double scale = 1.0 / std::sqrt(double(q.getShape().back()));
    return builder
        .create<dlc::dl::AttentionOp>(
            l, operand(0), operand(1), operand(2),
            node.operands.size() > 3 ? operand(3) : mlir::Value(),
            builder.getF64FloatAttr(scale),
            node.getInt(attr::kCausal) ? builder.getUnitAttr()
                                       : mlir::UnitAttr())
        .getResult();
  }
  case OpKind::LayerNorm:
    return builder
        .create<dlc::dl::LayerNormOp>(
            l, operand(0), operand(1), operand(2),
            builder.getF64FloatAttr(node.getFloat(attr::kEps)))
        .getResult();
  case OpKind::Result:
    return operand(0).getDefiningOp()->getResult(node.getInt(attr::kIndex));
  case OpKind::Slice: {
    // Per dimension start, size, step, keep: a dl.slice keeping the rank,
    // then a reshape dropping the indexed dimensions.
    llvm::ArrayRef<int64_t> spec = node.ints(attr::kSlices);
    llvm::SmallVector<int64_t> offsets, sizes, strides;
    for (size_t d = 0; 4 * d < spec.size(); ++d) {
      offsets.push_back(spec[4 * d]);
      sizes.push_back(spec[4 * d + 1]);
      strides.push_back(spec[4 * d + 2]);
    }
    mlir::Value box = builder.create<dlc::dl::SliceOp>(
        l, mlir::RankedTensorType::get(sizes, type.getElementType()),
        operand(0), builder.getDenseI64ArrayAttr(offsets),
        builder.getDenseI64ArrayAttr(sizes),
        builder.getDenseI64ArrayAttr(strides));
    return box.getType() == type
               ? box
               : builder.create<dlc::dl::ReshapeOp>(l, type, box).getResult();
  }
  case OpKind::Concat: {
    llvm::SmallVector<mlir::Value> inputs;
    for (int v : node.operands)
      inputs.push_back(values[v]);
    return builder.create<dlc::dl::ConcatOp>(
        l, type, inputs, builder.getI64IntegerAttr(node.getInt(attr::kAxis)));
  }
  case OpKind::Argmax:
    return builder.create<dlc::dl::ArgmaxOp>(
        l, operand(0), builder.getI64IntegerAttr(node.getInt(attr::kAxis)));
  case OpKind::Embedding:
    return builder.create<dlc::dl::EmbeddingOp>(l, type, operand(0),
                                                operand(1));
  case OpKind::Scan:
    return emitScan(node, id);
  case OpKind::ScanArg: {
    auto scan = llvm::cast<dlc::dl::ScanOp>(
        builder.getInsertionBlock()->getParentOp());
    mlir::BlockArgument arg =
        scan.getBodyBlock().getArgument(node.getInt(attr::kIndex));
    arg.setLoc(l); // the name it has in the body (`x_t`, `h`)
    return arg;
  }
  case OpKind::ScanResult:
    return operand(0).getDefiningOp()->getResult(node.getInt(attr::kIndex));
  case OpKind::Softmax:
    return builder.create<dlc::dl::SoftmaxOp>(
        l, type, operand(0), builder.getI64IntegerAttr(node.getInt(attr::kAxis)));
  case OpKind::LogSoftmax:
    return builder.create<dlc::dl::LogSoftmaxOp>(
        l, type, operand(0), builder.getI64IntegerAttr(node.getInt(attr::kAxis)));
  // No dl op yet: each becomes a case above as its op arrives.
#define PENDING(Kind, spelling) case OpKind::Kind:
#include "Frontend/OpKinds.def"
    unsupported(node);
    return nullptr;
  }
  return nullptr;
}

bool MLIRGenImpl::emitRegion(int region, size_t from) {
  for (size_t id = from; id < model.nodes.size(); ++id) {
    const Node &node = model.nodes[id];
    if (node.region != region)
      continue; // A scan's body is emitted with its scan.
    mlir::Value v = emitNode(node, static_cast<int>(id));
    if (!v)
      return false; // Stop at the first unsupported construct.
    values[id] = v;
  }
  return true;
}

/// The input argument whose values SEQ's elements are, through shape ops
/// and scans' per-step slices, or null.
static mlir::BlockArgument inputSource(mlir::Value v) {
  while (v) {
    if (auto arg = llvm::dyn_cast<mlir::BlockArgument>(v)) {
      mlir::Operation *owner = arg.getOwner()->getParentOp();
      if (auto scan = llvm::dyn_cast<dlc::dl::ScanOp>(owner)) {
        if (arg.getArgNumber() >= scan.getSequences().size())
          return nullptr; // a carry: computed
        v = scan.getSequences()[arg.getArgNumber()];
        continue;
      }
      auto func = llvm::dyn_cast<mlir::func::FuncOp>(owner);
      auto kind = func ? func.getArgAttrOfType<mlir::StringAttr>(
                             arg.getArgNumber(), dlc::dl::kKindAttr)
                       : mlir::StringAttr();
      return kind && kind.getValue() == dlc::dl::kind::kInput ? arg : nullptr;
    }
    mlir::Operation *def = v.getDefiningOp();
    if (!llvm::isa<dlc::dl::SliceOp, dlc::dl::ReshapeOp, dlc::dl::TransposeOp>(
            def))
      return nullptr;
    v = def->getOperand(0);
  }
  return nullptr;
}

mlir::DictionaryAttr MLIRGenImpl::idBounds(mlir::func::FuncOp func) {
  llvm::StringMap<int64_t> bounds;
  func.walk([&](dlc::dl::EmbeddingOp op) {
    mlir::BlockArgument input = inputSource(op.getIds());
    if (!input)
      return;
    auto name = func.getArgAttrOfType<mlir::StringAttr>(input.getArgNumber(),
                                                        dlc::dl::kNameAttr);
    int64_t rows =
        llvm::cast<mlir::RankedTensorType>(op.getTable().getType()).getDimSize(0);
    auto [it, fresh] = bounds.try_emplace(name.getValue(), rows);
    if (!fresh)
      it->second = std::min(it->second, rows);
  });
  if (bounds.empty())
    return nullptr;
  llvm::SmallVector<mlir::NamedAttribute> attrs;
  for (auto &[name, rows] : bounds)
    attrs.push_back(builder.getNamedAttr(name, builder.getI64IntegerAttr(rows)));
  return builder.getDictionaryAttr(attrs);
}

mlir::Value MLIRGenImpl::emitScan(const Node &node, int id) {
  llvm::ArrayRef<int64_t> counts = node.ints(attr::kScan);
  int64_t numSeqs = counts[0], numCarries = counts[1], length = counts[2];
  int64_t axis = node.getInt(attr::kAxis);
  llvm::SmallVector<mlir::Value> seqs, inits;
  for (int64_t i = 0; i < numSeqs + numCarries; ++i)
    (i < numSeqs ? seqs : inits).push_back(values[node.operands[i]]);
  // The results: the final carries, then each yield stacked (Sema checked
  // the rule; the verifier checks it again).
  llvm::SmallVector<mlir::Type> types;
  for (mlir::Value init : inits)
    types.push_back(init.getType());
  for (int y : llvm::ArrayRef<int>(node.regionResults).drop_front(numCarries)) {
    const TensorType &step = model.nodes[y].type;
    dlc::dl::shapes::ShapeResult shape =
        dlc::dl::shapes::stack(step.shape, axis, length);
    types.push_back(shape ? mlir::RankedTensorType::get(*shape,
                                                        elementType(step.dtype))
                          : tensorType(step));
  }
  mlir::Location l = loc(node.loc);
  auto scan = builder.create<dlc::dl::ScanOp>(l, types, seqs, inits, axis,
                                              length, /*reverse=*/false);
  mlir::OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(&scan.getBodyBlock());
  if (!emitRegion(id, id + 1))
    return nullptr;
  llvm::SmallVector<mlir::Value> yielded;
  for (int r : node.regionResults)
    yielded.push_back(values[r]);
  builder.create<dlc::dl::YieldOp>(l, yielded);
  return scan->getNumResults() ? scan->getResult(0) : mlir::Value();
}

mlir::OwningOpRef<mlir::ModuleOp> MLIRGenImpl::run() {
  loadFrontendDialects(context);
  mlir::Location modLoc = fileLoc(model.loc);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(modLoc);
  (*module)->setAttr("dl.model", builder.getStringAttr(model.name));

  // Arguments: inputs, labels, params, states (each in declaration order).
  std::vector<size_t> order(model.args.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return static_cast<int>(model.args[a].kind) <
           static_cast<int>(model.args[b].kind);
  });
  llvm::SmallVector<mlir::Type> argTypes, resultTypes;
  llvm::SmallVector<mlir::Location> argLocs;
  for (size_t i : order) {
    argTypes.push_back(tensorType(model.args[i].type));
    argLocs.push_back(loc(model.args[i].loc));
  }
  if (model.loss.node < 0) {
    diags.error(model.loc, "model '" + model.name + "' has no loss");
    return nullptr;
  }
  resultTypes.push_back(tensorType(model.nodes[model.loss.node].type));
  for (const ModelResult &o : model.outputs)
    resultTypes.push_back(tensorType(model.nodes[o.node].type));
  for (const ModelResult &s : model.stateUpdates)
    resultTypes.push_back(tensorType(model.nodes[s.node].type));

  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<mlir::func::FuncOp>(
      modLoc, "forward", builder.getFunctionType(argTypes, resultTypes));
  mlir::Block *entry = func.addEntryBlock();
  static const llvm::StringLiteral kindNames[] = {
      dlc::dl::kind::kInput, dlc::dl::kind::kLabel, dlc::dl::kind::kParam,
      dlc::dl::kind::kState};
  args.assign(model.args.size(), nullptr);
  for (size_t pos = 0; pos < order.size(); ++pos) {
    const ModelArg &arg = model.args[order[pos]];
    mlir::BlockArgument value = entry->getArgument(pos);
    value.setLoc(argLocs[pos]);
    args[order[pos]] = value;
    func.setArgAttr(pos, dlc::dl::kKindAttr,
                    builder.getStringAttr(kindNames[int(arg.kind)]));
    func.setArgAttr(pos, dlc::dl::kNameAttr, builder.getStringAttr(arg.name));
    if (arg.kind == ModelArg::Kind::Param || arg.kind == ModelArg::Kind::State)
      func.setArgAttr(pos, dlc::dl::kInitAttr, initAttr(arg));
  }

  builder.setInsertionPointToEnd(entry);
  values.assign(model.nodes.size(), nullptr);
  if (!emitRegion(-1, 0))
    return nullptr;

  llvm::SmallVector<mlir::Value> results{values[model.loss.node]};
  for (const ModelResult &o : model.outputs)
    results.push_back(values[o.node]);
  for (const ModelResult &s : model.stateUpdates)
    results.push_back(values[s.node]);
  builder.create<mlir::func::ReturnOp>(loc(model.loss.loc), results);

  func.setResultAttr(0, dlc::dl::kKindAttr,
                     builder.getStringAttr(dlc::dl::kind::kLoss));
  func.setResultAttr(0, dlc::dl::kNameAttr, builder.getStringAttr("loss"));
  unsigned r = 1;
  for (const ModelResult &o : model.outputs) {
    func.setResultAttr(r, dlc::dl::kKindAttr,
                       builder.getStringAttr(dlc::dl::kind::kOutput));
    func.setResultAttr(r++, dlc::dl::kNameAttr, builder.getStringAttr(o.name));
  }
  for (const ModelResult &s : model.stateUpdates) {
    func.setResultAttr(r, dlc::dl::kKindAttr,
                       builder.getStringAttr(dlc::dl::kind::kState));
    func.setResultAttr(r++, dlc::dl::kNameAttr, builder.getStringAttr(s.name));
  }

  if (!model.train.empty()) {
    ConfigValue train;
    train.kind = ConfigValue::Kind::Dict;
    train.dict = model.train;
    (*module)->setAttr("dl.train", configAttr(train));
  }
  llvm::SmallVector<mlir::Attribute> metrics;
  for (const Metric &m : model.metrics) {
    llvm::SmallVector<mlir::NamedAttribute> attrs{
        builder.getNamedAttr("kind", builder.getStringAttr(m.kind)),
        builder.getNamedAttr("name", builder.getStringAttr(m.name)),
        builder.getNamedAttr("output", builder.getStringAttr(m.output)),
        builder.getNamedAttr("label", builder.getStringAttr(m.label)),
        builder.getNamedAttr("mode", builder.getStringAttr(m.mode))};
    for (const NumAttr &a : m.args)
      attrs.push_back(numAttr(a));
    metrics.push_back(builder.getDictionaryAttr(attrs));
  }
  (*module)->setAttr("dl.metrics", builder.getArrayAttr(metrics));
  if (mlir::DictionaryAttr bounds = idBounds(func))
    (*module)->setAttr(dlc::dl::kIdBoundsAttr, bounds);

  // Verify; report verifier messages through the SourceMgr so they point
  // into the .dl file.
  bool verified;
  {
    mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context,
                                             diags.getStream());
    verified = mlir::succeeded(mlir::verify(*module));
  }
  if (!verified) {
    diags.error(model.loc, "internal error: the generated dl IR of model '" +
                               model.name + "' does not verify");
    return nullptr;
  }
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp>
dlc::frontend::generateMLIR(mlir::MLIRContext &context,
                            const CheckedModel &model, DiagEngine &diags) {
  return MLIRGenImpl(context, model, diags).run();
}
