//===- HeaderEmitter.cpp - the C header of a compiled model ---------------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "Target/HeaderEmitter.h"
#include "Codegen/CodegenAttrs.h"
#include "DL/IR/DLMarks.h"
#include "Target/ABITypes.inc"
#include "dlrt/abi.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

using namespace mlir;

namespace dlc {
namespace {

/// Makes `s` a C identifier that is not a keyword.
std::string identifier(StringRef s) {
  static const llvm::StringSet<> keywords = {
      "auto",     "break",    "case",     "char",   "const",    "continue",
      "default",  "do",       "double",   "else",   "enum",     "extern",
      "float",    "for",      "goto",     "if",     "inline",   "int",
      "long",     "register", "restrict", "return", "short",    "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef",  "union",
      "unsigned", "void",     "volatile", "while",  "bool",     "class",
      "delete",   "new",      "this",     "template", "namespace", "state",
      "grads",    "workspace"};
  std::string id;
  for (char c : s)
    id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
    id = "_" + id;
  if (keywords.contains(id))
    id += "_";
  return id;
}

std::string upper(StringRef s) {
  std::string u = identifier(s);
  for (char &c : u)
    c = std::toupper(static_cast<unsigned char>(c));
  return u;
}

/// The C element type and the dlc_dtype enumerator of an ABI dtype name.
struct DType {
  const char *c, *enumerator;
};
std::optional<DType> lookupDType(StringRef dtype) {
  return llvm::StringSwitch<std::optional<DType>>(dtype)
      .Case("f32", DType{"float", "DLC_F32"})
      .Case("f64", DType{"double", "DLC_F64"})
      .Case("i32", DType{"int32_t", "DLC_I32"})
      .Case("i64", DType{"int64_t", "DLC_I64"})
      .Case("i8", DType{"int8_t", "DLC_I8"})
      .Case("i1", DType{"uint8_t", "DLC_BOOL"})
      .Case("f16", DType{"uint16_t", "DLC_F16"})
      .Case("bf16", DType{"uint16_t", "DLC_BF16"})
      .Default(std::nullopt);
}

const char *kindEnumerator(StringRef kind) {
  return llvm::StringSwitch<const char *>(kind)
      .Case(dlc::dl::kind::kParam, "DLC_PARAM")
      .Case(dlc::dl::kind::kState, "DLC_STATE")
      .Case(dlc::dl::kind::kInput, "DLC_INPUT")
      .Case(dlc::dl::kind::kLabel, "DLC_LABEL")
      .Case(dlc::dl::kind::kOutput, "DLC_OUTPUT")
      .Case(dlc::dl::kind::kLoss, "DLC_LOSS")
      .Case(dlc::dl::kind::kOptState, "DLC_OPT_STATE")
      .Case(dlc::dl::kind::kGrad, "DLC_GRAD")
      .Default(nullptr);
}

/// One tensor read back from `dlc.abi`.
struct Tensor {
  std::string name, kind, dtype;
  SmallVector<int64_t> shape;
  int64_t bytes = 0, offset = 0;
  const char *init = "DLC_INIT_NONE";
  double initA = 0, initB = 0;
};

/// Maps the front end's `dl.init` to the header's (kind, a, b): glorot is
/// uniform(-limit, limit), he is normal(0, std).
void readInit(DictionaryAttr init, Tensor &t) {
  if (!init)
    return;
  auto num = [&](StringRef key) {
    if (auto f = init.getAs<FloatAttr>(key))
      return f.getValueAsDouble();
    if (auto i = init.getAs<IntegerAttr>(key))
      return double(i.getInt());
    return 0.0;
  };
  auto kind = init.getAs<StringAttr>("kind");
  StringRef k = kind ? kind.getValue() : "";
  if (k == "zeros")
    t.init = "DLC_INIT_ZEROS";
  else if (k == "ones")
    t.init = "DLC_INIT_ONES";
  else if (k == "constant") {
    t.init = "DLC_INIT_CONSTANT";
    t.initA = num("value");
  } else if (k == "uniform") {
    t.init = "DLC_INIT_UNIFORM";
    t.initA = num("lo");
    t.initB = num("hi");
  } else if (k == "normal") {
    t.init = "DLC_INIT_NORMAL";
    t.initA = num("mean");
    t.initB = num("std");
  } else if (k == "glorot") {
    t.init = "DLC_INIT_UNIFORM";
    t.initA = -num("limit");
    t.initB = num("limit");
  } else if (k == "he") {
    t.init = "DLC_INIT_NORMAL";
    t.initB = num("std");
  }
}

llvm::Expected<Tensor> readTensor(Attribute attr) {
  auto dict = dyn_cast<DictionaryAttr>(attr);
  auto name = dict ? dict.getAs<StringAttr>("name") : StringAttr();
  auto kind = dict ? dict.getAs<StringAttr>("kind") : StringAttr();
  auto dtype = dict ? dict.getAs<StringAttr>("dtype") : StringAttr();
  auto shape = dict ? dict.getAs<DenseI64ArrayAttr>("shape") : nullptr;
  auto bytes = dict ? dict.getAs<IntegerAttr>("bytes") : IntegerAttr();
  if (!name || !kind || !dtype || !shape || !bytes)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed dlc.abi entry");
  Tensor t{name.str(), kind.str(), dtype.str(),
           SmallVector<int64_t>(shape.asArrayRef()), bytes.getInt(), 0};
  if (auto offset = dict.getAs<IntegerAttr>("offset"))
    t.offset = offset.getInt();
  readInit(dict.getAs<DictionaryAttr>("init"), t);
  if (!lookupDType(t.dtype) || !kindEnumerator(t.kind))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "unsupported dtype or kind in dlc.abi: " +
                                       t.dtype + ", " + t.kind);
  if (t.shape.size() > DLC_MAX_RANK)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "tensor '" + t.name + "' has more than " +
            std::to_string(DLC_MAX_RANK) + " dimensions");
  return t;
}

llvm::Expected<SmallVector<Tensor>> readTensors(Attribute attr) {
  SmallVector<Tensor> tensors;
  auto array = dyn_cast_or_null<ArrayAttr>(attr);
  if (!array)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed dlc.abi");
  for (Attribute a : array) {
    llvm::Expected<Tensor> t = readTensor(a);
    if (!t)
      return t.takeError();
    tensors.push_back(std::move(*t));
  }
  return tensors;
}

std::string shapeComment(ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t d : shape)
    s += "[" + std::to_string(d) + "]";
  return s.empty() ? "[]" : s;
}

void printTable(llvm::raw_ostream &os, StringRef symbol,
                ArrayRef<Tensor> tensors) {
  if (tensors.empty())
    return;
  os << "static const dlc_tensor_info " << symbol << "[] = {\n";
  for (const Tensor &t : tensors) {
    os << "    {\"" << t.name << "\", " << kindEnumerator(t.kind) << ", "
       << lookupDType(t.dtype)->enumerator << ", " << t.shape.size() << ", {";
    // ISO C has no empty initializer: a scalar's shape is {0}.
    if (t.shape.empty())
      os << "0";
    llvm::interleaveComma(t.shape, os);
    os << "}, " << t.offset << "u, " << t.bytes << "u, " << t.init << ", "
       << llvm::format("%.17g", t.initA) << ", "
       << llvm::format("%.17g", t.initB) << "},\n";
  }
  os << "};\n";
}

} // namespace

std::string cIdentifier(StringRef name) { return identifier(name); }

llvm::Error emitHeader(ModuleOp module, StringRef model, StringRef source,
                       llvm::raw_ostream &os) {
  std::string id = identifier(model), ID = upper(model);
  os << "/* " << id << ".h - generated by dlc from " << source
     << "; do not edit.\n"
     << " *\n"
     << " * Entry points of the compiled model, the sizes of the memory they\n"
     << " * need, and where every tensor lives. All buffers are caller-owned;\n"
     << " * state and workspace must be 64-byte aligned. See dlc's "
        "docs/abi.md. */\n"
     << "#ifndef DLC_MODEL_" << ID << "_H\n#define DLC_MODEL_" << ID
     << "_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n"
     // The descriptor types, verbatim from dlrt/abi.h (one definition).
     << kABITypes << R"(
#ifdef __cplusplus
extern "C" {
#endif

)";

  // The model's buffers: every entry point shares their layouts.
  auto readLayout = [&](StringRef attr) -> llvm::Expected<SmallVector<Tensor>> {
    if (Attribute layout = module->getAttr(attr))
      return readTensors(layout);
    return SmallVector<Tensor>();
  };
  auto bytesOf = [&](StringRef attr) -> int64_t {
    auto bytes = module->getAttrOfType<IntegerAttr>(attr);
    return bytes ? bytes.getInt() : 0;
  };
  llvm::Expected<SmallVector<Tensor>> state = readLayout(dlc::kStateLayoutAttr);
  if (!state)
    return state.takeError();
  llvm::Expected<SmallVector<Tensor>> grads = readLayout(dlc::kGradsLayoutAttr);
  if (!grads)
    return grads.takeError();
  if (auto train = module->getAttrOfType<DictionaryAttr>("dl.train")) {
    os << "/** Training settings of the model's train block. */\n";
    for (StringRef key : {"epochs", "batch", "seed"})
      if (auto v = train.getAs<IntegerAttr>(key))
        os << "#define " << ID << "_" << upper(key) << " " << v.getInt()
           << "\n";
    if (auto opt = train.getAs<StringAttr>("optimizer"))
      os << "#define " << ID << "_OPTIMIZER \"" << opt.getValue() << "\"\n";
    if (auto data = train.getAs<StringAttr>("data")) {
      os << "/** The data set the trainer reads without --data. */\n#define "
         << ID << "_DATA \"";
      os.write_escaped(data.getValue());
      os << "\"\n";
    }
  }
  if (auto metrics = module->getAttrOfType<ArrayAttr>("dl.metrics")) {
    std::string rows;
    llvm::raw_string_ostream list(rows);
    int count = 0;
    for (Attribute m : metrics) {
      auto dict = dyn_cast<DictionaryAttr>(m);
      auto output = dict ? dict.getAs<StringAttr>("output") : StringAttr();
      auto label = dict ? dict.getAs<StringAttr>("label") : StringAttr();
      auto mode = dict ? dict.getAs<StringAttr>("mode") : StringAttr();
      auto threshold = dict ? dict.getAs<FloatAttr>("threshold") : FloatAttr();
      auto ignore = dict ? dict.getAs<IntegerAttr>("ignore_index") : IntegerAttr();
      if (!output || !label)
        continue;
      // The shortest C double literal that reads back as the same value.
      double t = threshold ? threshold.getValueAsDouble() : 0.5;
      if (!std::isfinite(t))
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            "metric threshold of output '%s' is not a finite number",
            output.getValue().str().c_str());
      std::string literal;
      for (int digits = 1; digits <= 17; ++digits) {
        literal.clear();
        llvm::raw_string_ostream(literal) << llvm::format("%.*g", digits, t);
        if (std::strtod(literal.c_str(), nullptr) == t)
          break;
      }
      if (literal.find_first_of(".e") == std::string::npos)
        literal += ".0";
      list << " \\\n  M(\"" << output.getValue() << "\", \"" << label.getValue()
           << "\", \"" << (mode ? mode.getValue() : StringRef("argmax"))
           << "\", " << literal << ", " << (ignore ? 1 : 0) << ", "
           << (ignore ? ignore.getInt() : 0) << ")";
      ++count;
    }
    if (count) {
      os << "/** Accuracy metrics, the first the primary one: M(output, label, "
            "mode,\n *  threshold, ignores, ignore_index) each; mode is "
            "\"argmax\", \"sequence\"\n *  or \"threshold\" (output > "
            "threshold vs label > threshold); with ignores,\n *  positions "
            "whose label is ignore_index do not count. */\n";
      os << "#define " << ID << "_NUM_METRICS " << count << "\n";
      os << "#define " << ID << "_METRICS(M)" << rows << "\n";
    }
  }
  if (auto bounds = module->getAttrOfType<DictionaryAttr>(dl::kIdBoundsAttr)) {
    // Integer inputs that index embedding tables: the trainer refuses ids
    // outside them.
    std::string rows;
    llvm::raw_string_ostream list(rows);
    for (NamedAttribute bound : bounds)
      if (auto n = dyn_cast<IntegerAttr>(bound.getValue()))
        list << " \\\n  M(\"" << bound.getName().getValue() << "\", "
             << n.getInt() << ")";
    if (!rows.empty())
      os << "/** Inputs of ids into embedding tables: M(input, rows) each, "
            "0 <= id < rows. */\n#define "
         << ID << "_INPUT_ID_BOUNDS(M)" << rows << "\n";
  }
  os << "\n";
  os << "/** Bytes of the state buffer: parameters, non-trained state and "
        "optimizer state. */\n#define "
     << ID << "_STATE_BYTES " << bytesOf(dlc::kStateBytesAttr) << "u\n";
  os << "#define " << ID << "_NUM_STATE_TENSORS " << state->size() << "\n";
  printTable(os, id + "_state_tensors", *state);
  if (!grads->empty()) {
    os << "/** Bytes of the gradient buffer (one gradient per parameter). */\n"
       << "#define " << ID << "_GRADS_BYTES " << bytesOf(dlc::kGradsBytesAttr)
       << "u\n";
    os << "#define " << ID << "_NUM_GRAD_TENSORS " << grads->size() << "\n";
    printTable(os, id + "_grad_tensors", *grads);
  }
  os << "\n";

  for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
    auto abi = func->getAttrOfType<DictionaryAttr>(dlc::kAbiAttr);
    if (!abi)
      continue;
    llvm::Expected<SmallVector<Tensor>> args = readTensors(abi.get("args"));
    if (!args)
      return args.takeError();
    auto usesState = abi.getAs<BoolAttr>("state");
    auto usesGrads = abi.getAs<BoolAttr>("grads");
    auto writesState = abi.getAs<BoolAttr>("writes_state");
    auto workspace = func->getAttrOfType<IntegerAttr>(dlc::kWorkspaceBytesAttr);
    if (!usesState || !usesGrads || !workspace)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "function '" + func.getSymName().str() +
                                         "' lacks its ABI or workspace size");
    size_t expectedArgs =
        usesState.getValue() + usesGrads.getValue() + args->size() + 1;
    if (func.getNumArguments() != expectedArgs)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "function '" + func.getSymName().str() +
              "' has a different number of parameters than its dlc.abi");

    std::string fn = func.getSymName().str(), FN = upper(fn);
    os << "/* --- " << fn << " --- */\n";
    os << "/** Bytes of scratch memory " << fn << " needs (may be 0). */\n";
    os << "#define " << FN << "_WORKSPACE_BYTES " << workspace.getInt()
       << "u\n";
    os << "#define " << FN << "_NUM_ARGS " << args->size() << "\n";
    printTable(os, fn + "_args", *args);
    os << "/**\n * " << fn << "\n";
    if (usesState.getValue())
      os << " *   state      " << ID
         << "_STATE_BYTES bytes: parameters and state (read"
         << (writesState && writesState.getValue() ? " and updated" : " only")
         << ")\n";
    if (usesGrads.getValue())
      os << " *   grads      " << ID << "_GRADS_BYTES bytes: gradients\n";
    for (const Tensor &t : *args)
      os << " *   " << identifier(t.name)
         << std::string(identifier(t.name).size() < 10
                            ? 11 - identifier(t.name).size()
                            : 1,
                        ' ')
         << t.kind << ", " << t.dtype << shapeComment(t.shape) << "\n";
    os << " *   workspace  " << FN << "_WORKSPACE_BYTES bytes of scratch\n */\n";
    os << "void " << fn << "(";
    if (usesState.getValue())
      os << "void *state, ";
    if (usesGrads.getValue())
      os << "void *grads, ";
    for (const Tensor &t : *args) {
      bool in =
          t.kind == dlc::dl::kind::kInput || t.kind == dlc::dl::kind::kLabel;
      os << (in ? "const " : "") << lookupDType(t.dtype)->c << " *"
         << identifier(t.name) << ", ";
    }
    os << "void *workspace);\n\n";
  }
  std::string setter = id + "_set_parallel_for";
  if (module.lookupSymbol(setter))
    os << "/**\n * Runs the model's parallel loops through FN(POOL, ...) "
        "(dlc_parallel_for_fn;\n * dlrt passes its thread pool). Until it "
        "is called, or with FN null,\n * every loop runs on the calling "
        "thread. Results do not depend on the\n * number of threads. Set it "
        "before calling an entry point, not during one.\n * The workspace "
        "sizes above do not depend on the number of threads\n * either: "
        "each thread keeps a task's scratch (at most 256 KiB) on its\n * "
        "own stack.\n */\n"
       << "#define " << ID << "_PARALLEL_FOR 1\n"
       << "void " << setter
       << "(dlc_parallel_for_fn fn, void *pool);\n\n";
  os << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n#endif /* DLC_MODEL_"
     << ID << "_H */\n";
  return llvm::Error::success();
}

} // namespace dlc
