//===- Sema.cpp - semantic analysis of .dl programs -----------------------===//
//
// Part of dlc. Sema is an abstract interpreter over types: it walks each
// model's declarations and forward block, instantiates layers with their
// concrete arguments (monomorphization), binds dimension variables of layer
// signatures at each call, and appends one typed Node per operation to the
// model's CheckedModel. Every check that can fail reports a located error
// and yields an `error` value that later checks silently accept, so one run
// reports many independent errors without cascades.
//
//===----------------------------------------------------------------------===//

#include "Frontend/Sema.h"

#include "DL/IR/DLOps.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Casting.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace dlc::frontend;
using namespace dlc::frontend::ast;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;
using llvm::SMLoc;
using llvm::SMRange;
using llvm::StringRef;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

bool dlc::frontend::isFloat(DType dtype) {
  return dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F32 ||
         dtype == DType::F64;
}

StringRef dlc::frontend::spell(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I8:
    return "i8";
  case DType::I16:
    return "i16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  return "?";
}

std::optional<DType> dlc::frontend::parseDType(StringRef name) {
  return llvm::StringSwitch<std::optional<DType>>(name)
      .Case("f16", DType::F16)
      .Case("bf16", DType::BF16)
      .Case("f32", DType::F32)
      .Case("f64", DType::F64)
      .Case("i8", DType::I8)
      .Case("i16", DType::I16)
      .Case("i32", DType::I32)
      .Case("i64", DType::I64)
      .Default(std::nullopt);
}

std::string TensorType::str() const {
  std::string s = spell(dtype).str() + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

StringRef dlc::frontend::spell(OpKind kind) {
  switch (kind) {
  case OpKind::Arg:
    return "argument";
  case OpKind::Fill:
    return "fill";
  case OpKind::Matmul:
    return "matmul";
  case OpKind::Add:
    return "add";
  case OpKind::Sub:
    return "sub";
  case OpKind::Mul:
    return "mul";
  case OpKind::Div:
    return "div";
  case OpKind::Maximum:
    return "maximum";
  case OpKind::Minimum:
    return "minimum";
  case OpKind::Neg:
    return "neg";
  case OpKind::Relu:
    return "relu";
  case OpKind::Sigmoid:
    return "sigmoid";
  case OpKind::Tanh:
    return "tanh";
  case OpKind::Exp:
    return "exp";
  case OpKind::Log:
    return "log";
  case OpKind::Sqrt:
    return "sqrt";
  case OpKind::Step:
    return "step";
  case OpKind::Sign:
    return "sign";
  case OpKind::Sum:
    return "sum";
  case OpKind::Mean:
    return "mean";
  case OpKind::Max:
    return "max";
  case OpKind::Reshape:
    return "reshape";
  case OpKind::Transpose:
    return "transpose";
  case OpKind::Broadcast:
    return "broadcast";
  case OpKind::Softmax:
    return "softmax";
  case OpKind::LogSoftmax:
    return "log_softmax";
  case OpKind::CrossEntropy:
    return "cross_entropy";
  case OpKind::OneHot:
    return "one_hot";
  case OpKind::ModeSelect:
    return "mode_select";
  case OpKind::Slice:
    return "indexing/slicing";
  case OpKind::Concat:
    return "concat";
  case OpKind::Conv2d:
    return "conv2d";
  case OpKind::MaxPool2d:
    return "max_pool2d";
  case OpKind::AvgPool2d:
    return "avg_pool2d";
  case OpKind::BatchNorm:
    return "batch_norm";
  case OpKind::LayerNorm:
    return "layer_norm";
  case OpKind::Embedding:
    return "embedding";
  case OpKind::Dropout:
    return "dropout";
  case OpKind::Attention:
    return "attention";
  case OpKind::Scan:
    return "scan";
  case OpKind::ScanArg:
    return "scan argument";
  case OpKind::ScanResult:
    return "scan result";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Values and scopes
//===----------------------------------------------------------------------===//

namespace {

struct Instance;

/// The value of an expression during checking.
struct Val {
  enum class Kind { Error, Int, Float, Tensor, Tuple, List, Instance, Layer };
  Kind kind = Kind::Error;
  int64_t i = 0;
  double f = 0;
  /// Tensor: the node.
  int node = -1;
  /// Tuple and List elements; Layer: the instantiation arguments.
  std::vector<Val> elems;
  /// Instance: the layer instance.
  Instance *inst = nullptr;
  /// Layer: the layer and whether it was applied to arguments.
  const LayerDecl *layer = nullptr;
  bool applied = false;
  /// Layer: repeat count (0 for a single instance).
  int64_t repeat = 0;

  static Val error() { return Val(); }
  static Val ofInt(int64_t v) {
    Val r;
    r.kind = Kind::Int;
    r.i = v;
    return r;
  }
  static Val ofFloat(double v) {
    Val r;
    r.kind = Kind::Float;
    r.f = v;
    return r;
  }
  static Val ofTensor(int node) {
    Val r;
    r.kind = Kind::Tensor;
    r.node = node;
    return r;
  }
  bool isError() const { return kind == Kind::Error; }
  bool isTensor() const { return kind == Kind::Tensor; }
  bool isNumber() const { return kind == Kind::Int || kind == Kind::Float; }
  double asDouble() const { return kind == Kind::Int ? double(i) : f; }
};

/// How a name was bound.
enum class BindKind {
  Local,
  Arg,
  DimVar,
  Input,
  Label,
  Param,
  State,
  Const,
  LayerArg,
  Instance
};

StringRef spell(BindKind kind) {
  switch (kind) {
  case BindKind::Local:
    return "local value";
  case BindKind::Arg:
    return "argument";
  case BindKind::DimVar:
    return "dimension variable";
  case BindKind::Input:
    return "input";
  case BindKind::Label:
    return "label";
  case BindKind::Param:
    return "parameter";
  case BindKind::State:
    return "state";
  case BindKind::Const:
    return "constant";
  case BindKind::LayerArg:
    return "layer argument";
  case BindKind::Instance:
    return "layer instance";
  }
  return "name";
}

struct Binding {
  Val val;
  BindKind kind = BindKind::Local;
  SMRange declRange;
  /// Hierarchical name for states and params.
  std::string fullName;
};

/// A lexical scope; lookups walk to the parents.
struct Scope {
  Scope *parent = nullptr;
  llvm::StringMap<Binding> vars;
  /// Names bound in only one branch of an `if training` (unbound after it),
  /// with where they were bound, for the message when one is used.
  llvm::StringMap<SMRange> branchOnly;

  Binding *lookup(StringRef name) {
    for (Scope *s = this; s; s = s->parent) {
      auto it = s->vars.find(name);
      if (it != s->vars.end())
        return &it->second;
    }
    return nullptr;
  }
};

/// One instantiated layer (or the model itself, or a `repeat` chain).
struct Instance {
  const LayerDecl *layer = nullptr;
  /// "l1." for members of l1; "" for the model.
  std::string prefix;
  /// "l1" (for call-site names and messages).
  std::string displayName;
  Scope scope;
  const FnDecl *fn = nullptr;
  /// For `repeat`: the chained copies.
  std::vector<Instance *> chain;
  bool isChain = false;
  unsigned depth = 0;
};

/// Where statements run.
enum class BodyKind { Forward, Fn, Scan };

/// The context of a statement list.
struct Ctx {
  BodyKind kind = BodyKind::Forward;
  Instance *inst = nullptr;
  Scope *scope = nullptr;
  /// Whether layer templates (`Linear(784, 256)`) may be created.
  bool allowTemplates = false;
  bool done = false;
  std::vector<Val> results;
  SMRange resultsRange;
  // Forward only.
  const LossStmt *loss = nullptr;
  std::vector<const MetricStmt *> metrics;
};

/// Builtin functions usable in expressions.
enum class Builtin {
  None,
  Relu,
  Sigmoid,
  Tanh,
  Exp,
  Log,
  Sqrt,
  Step,
  Sign,
  Maximum,
  Minimum,
  Softmax,
  LogSoftmax,
  Sum,
  Mean,
  Max,
  Reshape,
  Transpose,
  Broadcast,
  CrossEntropy,
  Mse,
  OneHot,
  Zeros,
  Ones,
  Fill,
  Concat,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  BatchNorm,
  LayerNorm,
  Embedding,
  Dropout,
  Attention,
  Repeat
};

Builtin lookupBuiltin(StringRef name) {
  return llvm::StringSwitch<Builtin>(name)
      .Case("relu", Builtin::Relu)
      .Case("sigmoid", Builtin::Sigmoid)
      .Case("tanh", Builtin::Tanh)
      .Case("exp", Builtin::Exp)
      .Case("log", Builtin::Log)
      .Case("sqrt", Builtin::Sqrt)
      .Case("step", Builtin::Step)
      .Case("sign", Builtin::Sign)
      .Case("maximum", Builtin::Maximum)
      .Case("minimum", Builtin::Minimum)
      .Case("softmax", Builtin::Softmax)
      .Case("log_softmax", Builtin::LogSoftmax)
      .Case("sum", Builtin::Sum)
      .Case("mean", Builtin::Mean)
      .Case("max", Builtin::Max)
      .Case("reshape", Builtin::Reshape)
      .Case("transpose", Builtin::Transpose)
      .Case("broadcast", Builtin::Broadcast)
      .Case("cross_entropy", Builtin::CrossEntropy)
      .Case("mse", Builtin::Mse)
      .Case("one_hot", Builtin::OneHot)
      .Case("zeros", Builtin::Zeros)
      .Case("ones", Builtin::Ones)
      .Case("fill", Builtin::Fill)
      .Case("concat", Builtin::Concat)
      .Case("conv2d", Builtin::Conv2d)
      .Case("max_pool2d", Builtin::MaxPool2d)
      .Case("avg_pool2d", Builtin::AvgPool2d)
      .Case("batch_norm", Builtin::BatchNorm)
      .Case("layer_norm", Builtin::LayerNorm)
      .Case("embedding", Builtin::Embedding)
      .Case("dropout", Builtin::Dropout)
      .Case("attention", Builtin::Attention)
      .Case("repeat", Builtin::Repeat)
      .Default(Builtin::None);
}

/// Names that are only meaningful in one place, for better messages.
bool isInitializerName(StringRef n) {
  return llvm::is_contained({"zeros", "ones", "constant", "uniform", "normal",
                             "glorot", "xavier", "he", "kaiming"},
                            n);
}

/// The source text of `range`.
StringRef textOf(SMRange range) {
  if (!range.isValid() || range.End.getPointer() < range.Start.getPointer())
    return "";
  return StringRef(range.Start.getPointer(),
                   range.End.getPointer() - range.Start.getPointer());
}

bool mulOverflow(int64_t a, int64_t b, int64_t &out) {
  return __builtin_mul_overflow(a, b, &out);
}

//===----------------------------------------------------------------------===//
// The checker
//===----------------------------------------------------------------------===//

/// What one branch of an `if training` assigned, so that it can be undone
/// before the other branch runs and the two can be merged afterwards.
struct BranchLog {
  /// The scope the `if` runs in: its locals are logged.
  Scope *scope = nullptr;
  /// Each binding the branch changed: its name and value before the branch.
  llvm::MapVector<Binding *, std::pair<std::string, Val>> before;
  /// Names the branch bound for the first time in `scope`, and their
  /// bindings.
  llvm::SmallVector<std::string, 4> created;
  llvm::SmallPtrSet<Binding *, 4> createdBindings;
};

struct GlobalDecl {
  const Decl *decl = nullptr;
  size_t unit = 0;
};

class Checker {
public:
  Checker(DiagEngine &diags, const Program &program)
      : diags(diags), program(program) {}

  bool run(std::vector<std::unique_ptr<CheckedModel>> &models);

private:
  //--- Diagnostics
  //--------------------------------------------------------===//
  void error(SMLoc loc, const Twine &msg, SMRange range = {}) {
    diags.error(loc, msg, range);
    noteCallSite();
  }
  void error(const Expr &e, const Twine &msg) {
    error(e.getLoc(), msg, e.getRange());
  }
  void noteCallSite() {
    if (model && currentCaller >= 0 &&
        static_cast<size_t>(currentCaller) < model->locs.size()) {
      const SourceLoc &site = model->locs[currentCaller];
      diags.note(site.loc, "in the call of '" + site.calleeName + "' here");
    }
  }
  std::string describe(const Val &v);
  std::string suggest(StringRef name, Scope *scope);

  //--- Globals
  //------------------------------------------------------------===//
  void collectGlobals();
  void checkLayerDecl(const LayerDecl &layer);

  //--- Graph building
  //-----------------------------------------------------===//
  int addLoc(SMLoc loc);
  Val emit(OpKind kind, llvm::ArrayRef<int> operands, TensorType type,
           SMLoc loc, llvm::ArrayRef<int64_t> ints = {}, double value = 0,
           bool flag = false);
  const TensorType &typeOf(const Val &v) { return model->nodes[v.node].type; }
  bool checkShape(llvm::ArrayRef<int64_t> shape, SMLoc loc, SMRange range);

  //--- Declarations
  //-------------------------------------------------------===//
  void checkModel(const ModelDecl &decl);
  void declareMembers(Instance *inst, const std::vector<DeclPtr> &members,
                      bool isModel);
  bool declare(Scope &scope, const Ident &name, Binding binding);
  Instance *instantiate(const Val &tmpl, const std::string &name,
                        Instance *parent, SMRange where);
  Instance *instantiateLayer(const LayerDecl &layer,
                             const std::vector<Val> &args,
                             const std::string &displayName, unsigned depth,
                             SMRange where);
  std::optional<TensorType> evalType(const TypeExpr &type, Ctx &ctx);
  bool evalInit(const Expr &init, const TensorType &type, ModelArg &arg,
                Ctx &ctx);
  void checkTrain(const TrainDecl &train, Ctx &ctx);
  void checkMetrics(Ctx &ctx);

  //--- Statements
  //---------------------------------------------------------===//
  void execBlock(const Block &block, Ctx &ctx);
  void execStmt(const Stmt &stmt, Ctx &ctx);
  void execIf(const IfStmt &stmt, Ctx &ctx);
  void assign(const Ident &target, const Val &value, Ctx &ctx);
  /// Sets `binding` (named `name`, a state or a local of `scope`) to
  /// `value`, logging the old value for an enclosing `if training` branch.
  void rebind(Binding &binding, const std::string &name, const Val &value,
              Scope *scope);
  /// Binds the new local `name` in `scope`.
  void bindLocal(Scope *scope, const Ident &name, const Val &value);
  /// The value of `name` after an `if training`: `training` in training,
  /// `inference` in inference.
  Val mergeModes(const std::string &name, const Val &training,
                 const Val &inference, const IfStmt &stmt);
  /// Records `value` as the latest update of state `binding`.
  void recordStateUpdate(const Binding &binding, const Val &value, SMLoc loc);
  /// The label the inference value of `node` depends on (a ModelArg index),
  /// or -1.
  int labelDependence(int node);

  //--- Expressions
  //--------------------------------------------------------===//
  Val eval(const Expr &e, Ctx &ctx);
  Val evalName(const NameExpr &e, Ctx &ctx);
  Val evalUnary(const UnaryExpr &e, Ctx &ctx);
  Val evalBinary(const BinaryExpr &e, Ctx &ctx);
  Val binaryOp(OpKind kind, Val lhs, Val rhs, const Expr &where,
               const Expr &lhsE, const Expr &rhsE);
  Val matmul(Val lhs, Val rhs, const BinaryExpr &e);
  Val evalCall(const CallExpr &e, Ctx &ctx);
  Val evalMember(const MemberExpr &e, Ctx &ctx);
  Val evalIndex(const IndexExpr &e, Ctx &ctx);
  Val evalScan(const ScanExpr &e, Ctx &ctx);
  Val evalBuiltin(Builtin b, StringRef name, const CallExpr &e, Ctx &ctx);
  Val callInstance(Instance *inst, std::vector<Val> args,
                   const std::vector<const Expr *> &argExprs,
                   const CallExpr &call);
  Val applyFn(Instance *inst, std::vector<Val> args,
              const std::vector<const Expr *> &argExprs, const CallExpr &call);
  Val makeTemplate(const LayerDecl &layer, const CallExpr &e, Ctx &ctx);
  const LayerDecl *findLayer(const Expr &callee);

  //--- Helpers
  //------------------------------------------------------------===//
  bool bindArgs(const CallExpr &e, StringRef fname,
                llvm::ArrayRef<StringRef> names, unsigned required,
                llvm::SmallVectorImpl<const Expr *> &out);
  Val toTensor(const Val &v, DType dtype, const Expr &where);
  Val tensorArg(const Expr *e, Ctx &ctx, StringRef fname, bool needFloat);
  std::optional<int64_t> evalInt(const Expr &e, Ctx &ctx, StringRef what);
  std::optional<double> evalNumber(const Expr &e, Ctx &ctx, StringRef what);
  std::optional<llvm::SmallVector<int64_t>> evalIntList(const Expr &e, Ctx &ctx,
                                                        StringRef what);
  std::optional<int64_t> normAxis(int64_t axis, const TensorType &t,
                                  const Expr &where);
  std::optional<llvm::SmallVector<int64_t>>
  evalAxes(const Expr *e, const TensorType &t, Ctx &ctx);
  Val unary(OpKind kind, const Val &x, const Expr &where);

  DiagEngine &diags;
  const Program &program;
  llvm::StringMap<GlobalDecl> globals;
  llvm::StringMap<size_t> aliases;
  Scope globalScope;

  // Per model.
  CheckedModel *model = nullptr;
  std::vector<std::unique_ptr<Instance>> instances;
  int currentCaller = -1;
  int currentRegion = -1;
  unsigned evalDepth = 0;
  bool tooLarge = false;
  llvm::StringMap<size_t> stateUpdateIndex;
  llvm::StringSet<> outputNames;
  /// The mode the statements being checked run in: both, or only one inside
  /// a branch of `if training`.
  enum class Mode { Both, Training, Inference } mode = Mode::Both;
  /// The log of the innermost `if training` branch being checked, or null.
  BranchLog *branchLog = nullptr;
  /// Nesting depth of `if` statements.
  unsigned ifDepth = 0;
  /// labelDependence's memo: -2 unknown, -1 none, else a ModelArg index.
  std::vector<int> labelDeps;
};

/// RAII guard bounding the evaluation recursion.
struct DepthGuard {
  DepthGuard(unsigned &depth, bool &ok) : depth(depth) {
    ok = ++depth <= Limits::kMaxEvalDepth;
  }
  ~DepthGuard() { --depth; }
  unsigned &depth;
};

} // namespace

//===----------------------------------------------------------------------===//
// Diagnostics helpers
//===----------------------------------------------------------------------===//

std::string Checker::describe(const Val &v) {
  switch (v.kind) {
  case Val::Kind::Error:
    return "an invalid value";
  case Val::Kind::Int:
    return "the integer " + std::to_string(v.i);
  case Val::Kind::Float: {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%g", v.f);
    return std::string("the number ") + buf;
  }
  case Val::Kind::Tensor:
    return "a tensor " + typeOf(v).str();
  case Val::Kind::Tuple:
    return std::to_string(v.elems.size()) + " values";
  case Val::Kind::List:
    return "a list";
  case Val::Kind::Instance:
    return "the layer instance '" + v.inst->displayName + "'";
  case Val::Kind::Layer:
    return v.layer ? "the layer '" + v.layer->name.name + "'" : "a layer";
  }
  return "a value";
}

std::string Checker::suggest(StringRef name, Scope *scope) {
  std::string best;
  unsigned bestDist = 3;
  auto consider = [&](StringRef cand) {
    unsigned d = name.edit_distance(cand, true, bestDist);
    if (d < bestDist && cand != name) {
      bestDist = d;
      best = cand.str();
    }
  };
  for (Scope *s = scope; s; s = s->parent)
    for (auto &entry : s->vars)
      consider(entry.getKey());
  for (auto &entry : globals)
    consider(entry.getKey());
  for (StringRef b :
       {"relu",       "sigmoid",     "tanh",       "exp",           "log",
        "sqrt",       "step",        "sign",       "maximum",       "minimum",
        "softmax",    "log_softmax", "sum",        "mean",          "max",
        "reshape",    "transpose",   "broadcast",  "cross_entropy", "mse",
        "one_hot",    "zeros",      "ones",        "fill",       "concat",        "conv2d",
        "max_pool2d", "avg_pool2d",  "batch_norm", "layer_norm",    "embedding",
        "dropout",    "attention",   "repeat"})
    consider(b);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

//===----------------------------------------------------------------------===//
// Graph building
//===----------------------------------------------------------------------===//

int Checker::addLoc(SMLoc loc) {
  model->locs.push_back({loc, currentCaller, ""});
  return static_cast<int>(model->locs.size() - 1);
}

Val Checker::emit(OpKind kind, llvm::ArrayRef<int> operands, TensorType type,
                  SMLoc loc, llvm::ArrayRef<int64_t> ints, double value,
                  bool flag) {
  if (model->nodes.size() >= Limits::kMaxNodes) {
    if (!tooLarge)
      error(loc, Twine("the model is too large (more than ") +
                     Twine(uint64_t(Limits::kMaxNodes)) + " operations)");
    tooLarge = true;
    return Val::error();
  }
  Node node;
  node.kind = kind;
  node.operands.assign(operands.begin(), operands.end());
  node.type = std::move(type);
  node.loc = addLoc(loc);
  node.ints.assign(ints.begin(), ints.end());
  node.value = value;
  node.flag = flag;
  node.region = kind == OpKind::Arg ? -1 : currentRegion;
  model->nodes.push_back(std::move(node));
  return Val::ofTensor(static_cast<int>(model->nodes.size() - 1));
}

bool Checker::checkShape(llvm::ArrayRef<int64_t> shape, SMLoc loc,
                         SMRange range) {
  if (static_cast<int64_t>(shape.size()) > Limits::kMaxRank) {
    error(loc,
          Twine("tensor rank ") + Twine(uint64_t(shape.size())) +
              " exceeds the limit of " + Twine(Limits::kMaxRank),
          range);
    return false;
  }
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d <= 0) {
      error(loc, Twine("dimension sizes must be positive, got ") + Twine(d),
            range);
      return false;
    }
    if (mulOverflow(count, d, count) || count > Limits::kMaxElements) {
      error(loc, "tensor has too many elements (the limit is 2^40 elements)",
            range);
      return false;
    }
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Globals and layer declarations
//===----------------------------------------------------------------------===//

void Checker::collectGlobals() {
  globalScope.vars["true"] = Binding{Val::ofInt(1), BindKind::Const, {}, ""};
  globalScope.vars["false"] = Binding{Val::ofInt(0), BindKind::Const, {}, ""};
  for (size_t u = 0; u < program.units.size(); ++u) {
    const Program::Unit &unit = program.units[u];
    if (!unit.alias.empty() && u != program.mainUnit)
      aliases[unit.alias] = u;
    for (const DeclPtr &d : unit.module->decls) {
      const Ident *name = nullptr;
      if (auto *c = dyn_cast<ConstDecl>(d.get()))
        name = &c->name;
      else if (auto *l = dyn_cast<LayerDecl>(d.get()))
        name = &l->name;
      else if (auto *m = dyn_cast<ModelDecl>(d.get()))
        name = &m->name;
      if (!name)
        continue;
      auto it = globals.find(name->name);
      if (it != globals.end() || name->name == "true" ||
          name->name == "false") {
        diags.error(name->range.Start, "redefinition of '" + name->name + "'",
                    name->range);
        if (it != globals.end())
          diags.note(it->second.decl->getRange().Start,
                     "previous definition is here");
        continue;
      }
      if (auto *c = dyn_cast<ConstDecl>(d.get())) {
        // Constants are evaluated in order; they may use earlier ones.
        Ctx ctx;
        ctx.scope = &globalScope;
        Val v = eval(*c->value, ctx);
        if (!v.isError() && !v.isNumber()) {
          error(*c->value, "a constant must be an integer or float "
                           "expression, got " +
                               describe(v));
          v = Val::error();
        }
        globalScope.vars[c->name.name] =
            Binding{v, BindKind::Const, c->name.range, ""};
      }
      globals[name->name] = GlobalDecl{d.get(), u};
    }
  }
}

void Checker::checkLayerDecl(const LayerDecl &layer) {
  llvm::StringMap<SMRange> seen;
  for (const LayerParam &p : layer.params) {
    if (p.type.name != "int" && p.type.name != "float")
      diags.error(p.type.range.Start,
                  "layer parameters have type 'int' or 'float', not '" +
                      p.type.name + "'",
                  p.type.range);
    if (!seen.try_emplace(p.name.name, p.name.range).second)
      diags.error(p.name.range.Start,
                  "duplicate layer parameter '" + p.name.name + "'",
                  p.name.range);
  }
  const FnDecl *fn = nullptr;
  for (const DeclPtr &m : layer.members) {
    switch (m->getKind()) {
    case Decl::Kind::Fn:
      if (fn) {
        diags.error(m->getRange().Start,
                    "layer '" + layer.name.name + "' has more than one 'fn'");
        diags.note(fn->getRange().Start, "the first 'fn' is here");
      } else {
        fn = cast<FnDecl>(m.get());
      }
      break;
    case Decl::Kind::Input:
      diags.error(m->getRange().Start,
                  "inputs and labels belong to a model, not to layer '" +
                      layer.name.name + "'; pass values to 'fn' instead");
      break;
    case Decl::Kind::Forward:
    case Decl::Kind::Train:
      diags.error(m->getRange().Start,
                  "'forward' and 'train' belong to a model, not to layer '" +
                      layer.name.name + "'");
      break;
    default:
      break;
    }
  }
  if (!fn)
    diags.error(layer.name.range.Start,
                "layer '" + layer.name.name +
                    "' has no 'fn'; declare how it is applied, e.g. "
                    "'fn(x: f32[N, 4]) -> f32[N, 4] { return x }'",
                layer.name.range);
}

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

bool Checker::run(std::vector<std::unique_ptr<CheckedModel>> &models) {
  // Constants are checked against a dummy model so that errors have a home.
  CheckedModel scratch;
  model = &scratch;
  collectGlobals();
  for (const Program::Unit &unit : program.units)
    for (const DeclPtr &d : unit.module->decls)
      if (auto *layer = dyn_cast<LayerDecl>(d.get()))
        checkLayerDecl(*layer);
  model = nullptr;
  const Program::Unit &main = program.units[program.mainUnit];
  for (const DeclPtr &d : main.module->decls) {
    auto *m = dyn_cast<ModelDecl>(d.get());
    if (!m || diags.tooManyErrors())
      continue;
    auto checked = std::make_unique<CheckedModel>();
    checked->name = m->name.name;
    checked->loc = m->name.range.Start;
    model = checked.get();
    instances.clear();
    currentCaller = -1;
    currentRegion = -1;
    evalDepth = 0;
    tooLarge = false;
    stateUpdateIndex.clear();
    outputNames.clear();
    mode = Mode::Both;
    branchLog = nullptr;
    ifDepth = 0;
    labelDeps.clear();
    checkModel(*m);
    models.push_back(std::move(checked));
    model = nullptr;
  }
  return !diags.hadError();
}

bool Checker::declare(Scope &scope, const Ident &name, Binding binding) {
  auto it = scope.vars.find(name.name);
  if (it != scope.vars.end()) {
    diags.error(name.range.Start, "redefinition of '" + name.name + "'",
                name.range);
    if (it->second.declRange.isValid())
      diags.note(it->second.declRange.Start, "previous definition is here");
    return false;
  }
  binding.declRange = name.range;
  scope.vars[name.name] = std::move(binding);
  return true;
}

void Checker::checkModel(const ModelDecl &decl) {
  auto root = std::make_unique<Instance>();
  Instance *inst = root.get();
  instances.push_back(std::move(root));
  inst->scope.parent = &globalScope;
  inst->displayName = decl.name.name;
  declareMembers(inst, decl.members, /*isModel=*/true);

  const ForwardDecl *forward = nullptr;
  const TrainDecl *train = nullptr;
  for (const DeclPtr &m : decl.members) {
    if (auto *f = dyn_cast<ForwardDecl>(m.get())) {
      if (forward) {
        diags.error(f->getRange().Start, "model '" + decl.name.name +
                                             "' has more than one "
                                             "'forward' block");
        diags.note(forward->getRange().Start, "the first one is here");
      } else {
        forward = f;
      }
    } else if (auto *t = dyn_cast<TrainDecl>(m.get())) {
      if (train) {
        diags.error(t->getRange().Start, "model '" + decl.name.name +
                                             "' has more than one "
                                             "'train' block");
        diags.note(train->getRange().Start, "the first one is here");
      } else {
        train = t;
      }
    }
  }
  if (!forward) {
    diags.error(decl.name.range.Start,
                "model '" + decl.name.name +
                    "' has no 'forward' block; add 'forward { ... loss ... }'",
                decl.name.range);
    return;
  }
  Scope body;
  body.parent = &inst->scope;
  Ctx ctx;
  ctx.kind = BodyKind::Forward;
  ctx.inst = inst;
  ctx.scope = &body;
  execBlock(forward->body, ctx);
  if (!ctx.loss && !diags.tooManyErrors())
    diags.error(decl.name.range.Start,
                "model '" + decl.name.name +
                    "' has no loss; add 'loss <scalar expression>' to its "
                    "forward block",
                decl.name.range);
  checkMetrics(ctx);
  if (train) {
    Ctx tctx;
    tctx.inst = inst;
    tctx.scope = &inst->scope;
    checkTrain(*train, tctx);
  }
}

void Checker::declareMembers(Instance *inst,
                             const std::vector<DeclPtr> &members,
                             bool isModel) {
  Ctx ctx;
  ctx.inst = inst;
  ctx.scope = &inst->scope;
  for (const DeclPtr &m : members) {
    if (diags.tooManyErrors() || tooLarge)
      return;
    switch (m->getKind()) {
    case Decl::Kind::Const: {
      auto &c = cast<ConstDecl>(*m);
      Val v = eval(*c.value, ctx);
      if (!v.isError() && !v.isNumber()) {
        error(*c.value, "a constant must be an integer or float expression, "
                        "got " +
                            describe(v));
        v = Val::error();
      }
      declare(inst->scope, c.name, Binding{v, BindKind::Const, {}, ""});
      break;
    }
    case Decl::Kind::Input: {
      auto &in = cast<InputDecl>(*m);
      if (!isModel)
        break; // Reported by checkLayerDecl.
      std::optional<TensorType> type = evalType(in.type, ctx);
      Val v = Val::error();
      if (type) {
        ModelArg arg;
        arg.kind = in.isLabel ? ModelArg::Kind::Label : ModelArg::Kind::Input;
        arg.name = in.name.name;
        arg.type = *type;
        arg.loc = addLoc(in.name.range.Start);
        v = emit(OpKind::Arg, {}, *type, in.name.range.Start,
                 {int64_t(model->args.size())});
        arg.node = v.node;
        if (!v.isError())
          model->args.push_back(std::move(arg));
      }
      declare(inst->scope, in.name,
              Binding{v,
                      in.isLabel ? BindKind::Label : BindKind::Input,
                      {},
                      in.name.name});
      break;
    }
    case Decl::Kind::Param: {
      auto &p = cast<ParamDecl>(*m);
      std::optional<TensorType> type = evalType(p.type, ctx);
      Val v = Val::error();
      ModelArg arg;
      arg.kind = p.isState ? ModelArg::Kind::State : ModelArg::Kind::Param;
      arg.name = inst->prefix + p.name.name;
      if (type && evalInit(*p.init, *type, arg, ctx)) {
        arg.type = *type;
        arg.loc = addLoc(p.name.range.Start);
        v = emit(OpKind::Arg, {}, *type, p.name.range.Start,
                 {int64_t(model->args.size())});
        arg.node = v.node;
        if (!v.isError())
          model->args.push_back(std::move(arg));
      }
      declare(inst->scope, p.name,
              Binding{v,
                      p.isState ? BindKind::State : BindKind::Param,
                      {},
                      inst->prefix + p.name.name});
      break;
    }
    case Decl::Kind::Instance: {
      auto &i = cast<InstanceDecl>(*m);
      Ctx tctx = ctx;
      tctx.allowTemplates = true;
      Val tmpl = eval(*i.value, tctx);
      Val v = Val::error();
      if (tmpl.kind == Val::Kind::Layer && tmpl.applied) {
        if (Instance *child =
                instantiate(tmpl, i.name.name, inst, i.value->getRange())) {
          v.kind = Val::Kind::Instance;
          v.inst = child;
        }
      } else if (!tmpl.isError()) {
        error(*i.value, "a member 'name = ...' instantiates a layer, like "
                        "'Linear(784, 256)' or 'repeat(6, Block(512))'; got " +
                            describe(tmpl) + " (use 'const' for numbers)");
      }
      declare(inst->scope, i.name, Binding{v, BindKind::Instance, {}, ""});
      break;
    }
    case Decl::Kind::Fn:
      if (isModel)
        diags.error(m->getRange().Start,
                    "'fn' belongs to a layer; a model computes in its "
                    "'forward' block");
      else if (!inst->fn)
        inst->fn = cast<FnDecl>(m.get());
      break;
    default:
      break;
    }
  }
}

Instance *Checker::instantiate(const Val &tmpl, const std::string &name,
                               Instance *parent, SMRange where) {
  std::string full = parent->prefix + name;
  unsigned depth = parent->depth + 1;
  if (tmpl.repeat == 0)
    return instantiateLayer(*tmpl.layer, tmpl.elems, full, depth, where);
  auto chain = std::make_unique<Instance>();
  Instance *c = chain.get();
  instances.push_back(std::move(chain));
  c->isChain = true;
  c->displayName = full;
  c->prefix = full + ".";
  c->depth = depth;
  for (int64_t k = 0; k < tmpl.repeat; ++k) {
    Instance *copy = instantiateLayer(
        *tmpl.layer, tmpl.elems, full + "." + std::to_string(k), depth, where);
    if (!copy)
      return nullptr;
    c->chain.push_back(copy);
  }
  return c;
}

Instance *Checker::instantiateLayer(const LayerDecl &layer,
                                    const std::vector<Val> &args,
                                    const std::string &displayName,
                                    unsigned depth, SMRange where) {
  if (depth > Limits::kMaxInstanceDepth) {
    error(where.Start,
          Twine("layer instances are nested more than ") +
              Twine(Limits::kMaxInstanceDepth) + " levels deep (does layer '" +
              layer.name.name + "' instantiate itself?)",
          where);
    return nullptr;
  }
  if (instances.size() >= Limits::kMaxInstances) {
    if (!tooLarge)
      error(where.Start, "the model has too many layer instances", where);
    tooLarge = true;
    return nullptr;
  }
  auto owned = std::make_unique<Instance>();
  Instance *inst = owned.get();
  instances.push_back(std::move(owned));
  inst->layer = &layer;
  inst->displayName = displayName;
  inst->prefix = displayName + ".";
  inst->depth = depth;
  inst->scope.parent = &globalScope;
  for (size_t i = 0; i < layer.params.size() && i < args.size(); ++i) {
    Val v = args[i];
    if (layer.params[i].type.name == "float" && v.kind == Val::Kind::Int)
      v = Val::ofFloat(double(v.i));
    inst->scope.vars[layer.params[i].name.name] =
        Binding{v, BindKind::LayerArg, layer.params[i].name.range, ""};
  }
  declareMembers(inst, layer.members, /*isModel=*/false);
  return inst;
}

std::optional<TensorType> Checker::evalType(const TypeExpr &type, Ctx &ctx) {
  std::optional<DType> dtype = parseDType(type.dtype);
  if (!dtype) {
    error(type.dtypeRange.Start,
          "unknown element type '" + type.dtype +
              "'; expected one of f16, bf16, f32, f64, i8, i16, i32, i64",
          type.dtypeRange);
    return std::nullopt;
  }
  TensorType t;
  t.dtype = *dtype;
  bool ok = true;
  for (const ExprPtr &d : type.dims) {
    std::optional<int64_t> v = evalInt(*d, ctx, "a dimension size");
    if (!v) {
      ok = false;
      continue;
    }
    t.shape.push_back(*v);
  }
  if (!ok || !checkShape(t.shape, type.range.Start, type.range))
    return std::nullopt;
  return t;
}

bool Checker::evalInit(const Expr &init, const TensorType &type, ModelArg &arg,
                       Ctx &ctx) {
  auto *call = dyn_cast<CallExpr>(&init);
  auto *callee = call ? dyn_cast<NameExpr>(call->callee.get()) : nullptr;
  if (!callee) {
    error(init, "expected an initializer call such as 'zeros()', "
                "'glorot()' or 'normal(0, 0.01)'");
    return false;
  }
  StringRef name = callee->name;
  std::string kind = name.str();
  if (name == "xavier")
    kind = "glorot";
  if (name == "kaiming")
    kind = "he";
  llvm::SmallVector<const Expr *, 4> a;
  auto number = [&](const Expr *e, StringRef what,
                    double dflt) -> std::optional<double> {
    if (!e)
      return dflt;
    return evalNumber(*e, ctx, what);
  };
  // Fans as in PyTorch: [in, out] matrices, [out, in, k...] convolutions.
  auto fans = [&](int64_t &fanIn, int64_t &fanOut) {
    llvm::ArrayRef<int64_t> s = type.shape;
    if (s.empty()) {
      fanIn = fanOut = 1;
    } else if (s.size() == 1) {
      fanIn = fanOut = s[0];
    } else if (s.size() == 2) {
      fanIn = s[0];
      fanOut = s[1];
    } else {
      int64_t field = 1;
      for (int64_t d : s.drop_front(2))
        field *= d; // Bounded by the element limit.
      fanIn = s[1] * field;
      fanOut = s[0] * field;
    }
  };
  bool needFloat = true;
  if (kind == "zeros" || kind == "ones") {
    if (!bindArgs(*call, name, {}, 0, a))
      return false;
    needFloat = false;
  } else if (kind == "constant") {
    if (!bindArgs(*call, name, {"value"}, 1, a))
      return false;
    std::optional<double> v = number(a[0], "the constant value", 0);
    if (!v)
      return false;
    if (!isFloat(type.dtype) && *v != std::trunc(*v)) {
      error(*a[0], "an integer parameter needs an integral constant");
      return false;
    }
    arg.initArgs.push_back({"value", *v, false});
    needFloat = false;
  } else if (kind == "uniform") {
    if (!bindArgs(*call, name, {"lo", "hi"}, 2, a))
      return false;
    std::optional<double> lo = number(a[0], "the lower bound", 0);
    std::optional<double> hi = number(a[1], "the upper bound", 0);
    if (!lo || !hi)
      return false;
    if (!(*lo < *hi)) {
      error(*call, "uniform(lo, hi) needs lo < hi");
      return false;
    }
    arg.initArgs.push_back({"lo", *lo, false});
    arg.initArgs.push_back({"hi", *hi, false});
  } else if (kind == "normal") {
    if (!bindArgs(*call, name, {"mean", "std"}, 0, a))
      return false;
    std::optional<double> mean = number(a[0], "the mean", 0.0);
    std::optional<double> std = number(a[1], "the standard deviation", 1.0);
    if (!mean || !std)
      return false;
    if (!(*std > 0)) {
      error(a[1] ? *a[1] : init, "normal(mean, std) needs std > 0");
      return false;
    }
    arg.initArgs.push_back({"mean", *mean, false});
    arg.initArgs.push_back({"std", *std, false});
  } else if (kind == "glorot" || kind == "he") {
    if (!bindArgs(*call, name, {"gain"}, 0, a))
      return false;
    std::optional<double> gain = number(a[0], "the gain", 1.0);
    if (!gain)
      return false;
    int64_t fanIn = 1, fanOut = 1;
    fans(fanIn, fanOut);
    arg.initArgs.push_back({"fan_in", double(fanIn), true});
    arg.initArgs.push_back({"fan_out", double(fanOut), true});
    arg.initArgs.push_back({"gain", *gain, false});
    if (kind == "glorot")
      arg.initArgs.push_back(
          {"limit", *gain * std::sqrt(6.0 / double(fanIn + fanOut)), false});
    else
      arg.initArgs.push_back(
          {"std", *gain * std::sqrt(2.0 / double(fanIn)), false});
  } else {
    error(callee->getLoc(),
          "unknown initializer '" + name +
              "'; expected zeros, ones, constant, uniform, normal, "
              "glorot/xavier or he/kaiming",
          callee->getRange());
    return false;
  }
  if (needFloat && !isFloat(type.dtype)) {
    error(*call, "initializer '" + name +
                     "' needs a floating-point tensor, "
                     "but the type is " +
                     type.str());
    return false;
  }
  arg.initKind = kind;
  return true;
}

//===----------------------------------------------------------------------===//
// Training configuration and metrics
//===----------------------------------------------------------------------===//

void Checker::checkTrain(const TrainDecl &train, Ctx &ctx) {
  auto &out = model->train;
  llvm::StringMap<SMRange> seen;
  std::string optimizer = "sgd";
  std::vector<std::pair<std::string, ConfigValue>> optArgs;
  std::optional<int64_t> batch, epochs, seed;
  std::optional<double> weightDecay, clipNorm;
  ConfigValue schedule;
  schedule.kind = ConfigValue::Kind::Dict;
  schedule.dict.push_back({"kind", ConfigValue::ofString("constant")});

  // Evaluates a call like `adam(lr = 1e-3)` against a table of numeric
  // arguments with defaults; positional arguments fill the table in order.
  struct Spec {
    const char *name;
    double dflt;
    double lo, hi; // Allowed range, inclusive lo, exclusive hi.
    bool isInt;
  };
  auto evalCallArgs =
      [&](const Expr &value, StringRef what,
          llvm::ArrayRef<std::pair<const char *, std::vector<Spec>>> table,
          std::string &kindOut,
          std::vector<std::pair<std::string, ConfigValue>> &argsOut) -> bool {
    const NameExpr *nameE = dyn_cast<NameExpr>(&value);
    const CallExpr *call = dyn_cast<CallExpr>(&value);
    if (call)
      nameE = dyn_cast<NameExpr>(call->callee.get());
    if (!nameE) {
      error(value, "expected " + what.str() + " such as '" +
                       table.front().first + "(...)'");
      return false;
    }
    const std::vector<Spec> *specs = nullptr;
    std::string known;
    for (auto &entry : table) {
      known += (known.empty() ? "" : ", ") + std::string(entry.first);
      if (nameE->name == entry.first)
        specs = &entry.second;
    }
    if (!specs) {
      error(*nameE, "unknown " + what.str() + " '" + nameE->name +
                        "'; expected one of " + known);
      return false;
    }
    kindOut = nameE->name;
    llvm::SmallVector<StringRef, 6> names;
    for (const Spec &s : *specs)
      names.push_back(s.name);
    llvm::SmallVector<const Expr *, 6> bound(specs->size(), nullptr);
    if (call && !bindArgs(*call, nameE->name, names, 0, bound))
      return false;
    bool ok = true;
    for (size_t i = 0; i < specs->size(); ++i) {
      const Spec &s = (*specs)[i];
      double v = s.dflt;
      if (bound[i]) {
        std::optional<double> e =
            evalNumber(*bound[i], ctx, ("'" + Twine(s.name) + "'").str());
        if (!e) {
          ok = false;
          continue;
        }
        v = *e;
        if (!(v >= s.lo && v < s.hi) || (s.isInt && v != std::trunc(v))) {
          char msg[256];
          std::snprintf(msg, sizeof(msg),
                        "'%s' of %s must be %sin [%g, %g), "
                        "got %g",
                        s.name, nameE->name.c_str(),
                        s.isInt ? "an integer " : "", s.lo, s.hi, v);
          error(*bound[i], msg);
          ok = false;
          continue;
        }
      }
      argsOut.push_back({s.name, s.isInt ? ConfigValue::ofInt(int64_t(v))
                                         : ConfigValue::ofFloat(v)});
    }
    return ok;
  };
  const double inf = HUGE_VAL;

  for (const TrainItem &item : train.items) {
    StringRef key = item.key.name;
    auto [it, fresh] = seen.try_emplace(key, item.key.range);
    if (!fresh) {
      diags.error(item.key.range.Start,
                  "duplicate training setting '" + key + "'", item.key.range);
      diags.note(it->second.Start, "previous setting is here");
      continue;
    }
    const Expr &value = *item.value;
    if (key == "optimizer") {
      optArgs.clear();
      evalCallArgs(value, "optimizer",
                   {{"sgd",
                     {{"lr", 0.01, 0, inf, false},
                      {"momentum", 0.0, 0, 1, false},
                      {"nesterov", 0, 0, 2, true}}},
                    {"adam",
                     {{"lr", 1e-3, 0, inf, false},
                      {"beta1", 0.9, 0, 1, false},
                      {"beta2", 0.999, 0, 1, false},
                      {"eps", 1e-8, 0, inf, false}}},
                    {"adamw",
                     {{"lr", 1e-3, 0, inf, false},
                      {"beta1", 0.9, 0, 1, false},
                      {"beta2", 0.999, 0, 1, false},
                      {"eps", 1e-8, 0, inf, false}}},
                    {"rmsprop",
                     {{"lr", 1e-2, 0, inf, false},
                      {"alpha", 0.99, 0, 1, false},
                      {"eps", 1e-8, 0, inf, false},
                      {"momentum", 0.0, 0, 1, false}}}},
                   optimizer, optArgs);
      for (auto &a : optArgs)
        if (a.first == "lr" && a.second.f <= 0)
          error(value, "the learning rate must be positive");
    } else if (key == "schedule") {
      std::string kind;
      std::vector<std::pair<std::string, ConfigValue>> args;
      if (evalCallArgs(
              value, "learning-rate schedule",
              {{"constant", {}},
               {"step",
                {{"every", 1, 1, inf, true}, {"gamma", 0.1, 0, inf, false}}},
               {"exponential", {{"gamma", 0.95, 0, inf, false}}},
               {"cosine",
                {{"min_lr", 0.0, 0, inf, false}, {"warmup", 0, 0, inf, true}}}},
              kind, args)) {
        schedule.dict.clear();
        schedule.dict.push_back({"kind", ConfigValue::ofString(kind)});
        for (auto &a : args)
          schedule.dict.push_back(a);
      }
    } else if (key == "batch" || key == "epochs" || key == "seed") {
      std::optional<int64_t> v = evalInt(value, ctx, "'" + key.str() + "'");
      if (!v)
        continue;
      if (*v < (key == "seed" ? 0 : 1)) {
        error(value, "'" + key + "' must be " +
                         (key == "seed" ? "non-negative" : "positive") +
                         ", got " + Twine(*v));
        continue;
      }
      (key == "batch" ? batch : key == "epochs" ? epochs : seed) = *v;
    } else if (key == "weight_decay" || key == "clip_norm") {
      std::optional<double> v = evalNumber(value, ctx, "'" + key.str() + "'");
      if (!v)
        continue;
      if (*v < 0) {
        error(value, "'" + key + "' must not be negative");
        continue;
      }
      (key == "weight_decay" ? weightDecay : clipNorm) = *v;
    } else {
      diags.error(item.key.range.Start,
                  "unknown training setting '" + key +
                      "'; expected optimizer, batch, epochs, schedule, "
                      "weight_decay, clip_norm or seed",
                  item.key.range);
    }
  }
  // The batch size must match the leading dimension of inputs and labels.
  if (batch) {
    for (const ModelArg &arg : model->args) {
      if (arg.kind != ModelArg::Kind::Input &&
          arg.kind != ModelArg::Kind::Label)
        continue;
      if (arg.type.rank() == 0 || arg.type.shape[0] != *batch) {
        SMRange r = seen.lookup("batch");
        diags.error(
            r.Start,
            "batch size " + Twine(*batch) + " does not match " +
                (arg.kind == ModelArg::Kind::Input ? "input '" : "label '") +
                arg.name + "' of type " + arg.type.str() +
                " (its first dimension is the batch)",
            r);
        diags.note(model->locs[arg.loc].loc, "declared here");
        break;
      }
    }
  } else {
    for (const ModelArg &arg : model->args)
      if ((arg.kind == ModelArg::Kind::Input) && arg.type.rank() > 0) {
        batch = arg.type.shape[0];
        break;
      }
  }
  if (optArgs.empty())
    optArgs.push_back({"lr", ConfigValue::ofFloat(0.01)});
  out.push_back({"optimizer", ConfigValue::ofString(optimizer)});
  for (auto &a : optArgs)
    out.push_back(a);
  out.push_back({"batch", ConfigValue::ofInt(batch.value_or(1))});
  out.push_back({"epochs", ConfigValue::ofInt(epochs.value_or(1))});
  out.push_back({"schedule", schedule});
  out.push_back(
      {"weight_decay", ConfigValue::ofFloat(weightDecay.value_or(0))});
  out.push_back({"clip_norm", ConfigValue::ofFloat(clipNorm.value_or(0))});
  out.push_back({"seed", ConfigValue::ofInt(seed.value_or(0))});
}

void Checker::checkMetrics(Ctx &ctx) {
  llvm::StringMap<unsigned> counts;
  for (const MetricStmt *stmt : ctx.metrics) {
    auto *call = dyn_cast<CallExpr>(stmt->call.get());
    auto *callee = call ? dyn_cast<NameExpr>(call->callee.get()) : nullptr;
    if (!callee) {
      error(*stmt->call, "expected a metric call such as "
                         "'accuracy(logits, y)'");
      continue;
    }
    if (callee->name != "accuracy") {
      error(*callee, "unknown metric '" + callee->name +
                         "'; the known metric is 'accuracy'");
      continue;
    }
    llvm::SmallVector<const Expr *, 3> a;
    if (!bindArgs(*call, "accuracy", {"scores", "labels", "threshold"}, 2, a))
      continue;
    Metric metric;
    metric.kind = "accuracy";
    unsigned n = counts[metric.kind]++;
    metric.name = n ? metric.kind + "_" + std::to_string(n) : metric.kind;
    const TensorType *types[2] = {nullptr, nullptr};
    bool ok = true;
    for (int k = 0; k < 2; ++k) {
      auto *ref = dyn_cast<NameExpr>(a[k]);
      const ModelArg *label = nullptr;
      const ModelResult *output = nullptr;
      if (ref) {
        for (const ModelArg &arg : model->args)
          if (arg.kind == ModelArg::Kind::Label && arg.name == ref->name)
            label = &arg;
        for (const ModelResult &o : model->outputs)
          if (o.name == ref->name)
            output = &o;
      }
      if (k == 0 && !output) {
        error(*a[k], "the scores of a metric must name an 'output' of the "
                     "model (add 'output " +
                         (ref ? ref->name : std::string("name")) + "')");
        ok = false;
        continue;
      }
      if (k == 1 && !label && !output) {
        error(*a[k], "the labels of a metric must name a 'label' or an "
                     "'output' of the model");
        ok = false;
        continue;
      }
      if (k == 0) {
        metric.output = ref->name;
        types[0] = &model->nodes[output->node].type;
      } else {
        metric.label = ref->name;
        types[1] = label ? &label->type : &model->nodes[output->node].type;
      }
    }
    if (!ok)
      continue;
    if (!model->metrics.empty()) {
      error(stmt->call->getLoc(),
            "a model has one metric for now (the runtime computes one "
            "accuracy)",
            stmt->call->getRange());
      continue;
    }
    const TensorType &s = *types[0], &l = *types[1];
    if (!isFloat(s.dtype)) {
      error(*a[0], "accuracy needs floating-point scores, got " + s.str());
      continue;
    }
    if (!isFloat(l.dtype) && s.rank() >= 1 &&
        llvm::ArrayRef<int64_t>(s.shape).drop_back() ==
            llvm::ArrayRef<int64_t>(l.shape)) {
      metric.mode = "argmax";
      if (a[2]) {
        error(*a[2], "accuracy of class labels compares the arg-max of the "
                     "scores; 'threshold' applies only to targets of the "
                     "scores' shape");
        continue;
      }
    } else if (s.shape == l.shape) {
      metric.mode = "threshold";
      std::optional<double> t = 0.5;
      if (a[2])
        t = evalNumber(*a[2], ctx, "the threshold");
      if (!t)
        continue;
      metric.args.push_back({"threshold", *t, false});
    } else {
      error(call->getLoc(),
            "accuracy needs integer class labels shaped like the scores "
            "without their last dimension, or targets of the scores' shape; "
            "got scores " +
                s.str() + " and labels " + l.str(),
            call->getRange());
      continue;
    }
    model->metrics.push_back(std::move(metric));
  }
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

void Checker::execBlock(const Block &block, Ctx &ctx) {
  for (const StmtPtr &s : block.stmts) {
    if (diags.tooManyErrors() || tooLarge)
      return;
    if (ctx.done) {
      error(s->getRange().Start,
            ctx.kind == BodyKind::Scan
                ? "statement after 'yield' is never executed"
                : "statement after 'return' is never executed",
            s->getRange());
      return;
    }
    execStmt(*s, ctx);
  }
}

void Checker::assign(const Ident &target, const Val &value, Ctx &ctx) {
  if (value.kind == Val::Kind::Instance || value.kind == Val::Kind::Layer) {
    error(target.range.Start,
          "layers are instantiated as members of a model or layer, not "
          "inside a body",
          target.range);
    return;
  }
  if (value.kind == Val::Kind::Tuple || value.kind == Val::Kind::List) {
    error(target.range.Start,
          "cannot assign " + describe(value) + " to the single name '" +
              target.name + "'",
          target.range);
    return;
  }
  Binding *existing = ctx.scope->lookup(target.name);
  if (existing && existing->kind != BindKind::Local &&
      existing->kind != BindKind::Arg) {
    if (existing->kind == BindKind::State) {
      if (ctx.kind == BodyKind::Scan || currentRegion >= 0) {
        error(target.range.Start,
              "state '" + target.name +
                  "' cannot be updated inside a scan body",
              target.range);
        return;
      }
      if (value.isError() || existing->val.isError())
        return;
      if (!value.isTensor() || typeOf(value) != typeOf(existing->val)) {
        error(target.range.Start,
              "update of state '" + target.name + "' has " + describe(value) +
                  " but the state is " + typeOf(existing->val).str(),
              target.range);
        return;
      }
      if (mode == Mode::Inference) {
        error(target.range.Start,
              "state '" + target.name +
                  "' is only updated in training; this update in the "
                  "inference branch of 'if training' would never happen",
              target.range);
        return;
      }
      // A state update is part of training: inference reads the stored
      // value (and never writes it).
      Val updated = value;
      if (mode == Mode::Both)
        updated = emit(OpKind::ModeSelect, {value.node, existing->val.node},
                       typeOf(value), target.range.Start);
      if (updated.isError())
        return;
      rebind(*existing, target.name, updated, ctx.scope);
      recordStateUpdate(*existing, updated, target.range.Start);
      return;
    }
    error(target.range.Start,
          "cannot assign to " + spell(existing->kind) + " '" + target.name +
              "'; choose a new name",
          target.range);
    if (existing->declRange.isValid())
      diags.note(existing->declRange.Start,
                 "'" + target.name + "' is declared here");
    return;
  }
  auto it = ctx.scope->vars.find(target.name);
  if (it != ctx.scope->vars.end()) {
    rebind(it->second, target.name, value, ctx.scope);
    return;
  }
  bindLocal(ctx.scope, target, value);
}

void Checker::rebind(Binding &binding, const std::string &name,
                     const Val &value, Scope *scope) {
  if (branchLog && !branchLog->createdBindings.contains(&binding) &&
      (binding.kind == BindKind::State || scope == branchLog->scope))
    branchLog->before.insert({&binding, {name, binding.val}});
  binding.val = value;
}

void Checker::bindLocal(Scope *scope, const Ident &name, const Val &value) {
  scope->branchOnly.erase(name.name);
  Binding &b = scope->vars[name.name] =
      Binding{value, BindKind::Local, name.range, ""};
  if (branchLog && scope == branchLog->scope) {
    branchLog->created.push_back(name.name);
    branchLog->createdBindings.insert(&b);
  }
}

void Checker::recordStateUpdate(const Binding &binding, const Val &value,
                                SMLoc loc) {
  auto [it, fresh] = stateUpdateIndex.try_emplace(binding.fullName,
                                                  model->stateUpdates.size());
  if (fresh)
    model->stateUpdates.push_back({binding.fullName, value.node, addLoc(loc)});
  else
    model->stateUpdates[it->second].node = value.node;
}

Val Checker::mergeModes(const std::string &name, const Val &training,
                        const Val &inference, const IfStmt &stmt) {
  if (training.isError() || inference.isError())
    return Val::error();
  SMLoc loc = stmt.getRange().Start;
  if (training.isTensor() && inference.isTensor()) {
    if (training.node == inference.node)
      return training;
    if (typeOf(training) != typeOf(inference)) {
      error(loc,
            "'" + name + "' is " + typeOf(training).str() +
                " in training but " + typeOf(inference).str() +
                " in inference; both branches of 'if training' must give it "
                "the same type",
            stmt.condRange);
      return Val::error();
    }
    return emit(OpKind::ModeSelect, {training.node, inference.node},
                typeOf(training), loc);
  }
  if (training.kind == inference.kind &&
      ((training.kind == Val::Kind::Int && training.i == inference.i) ||
       (training.kind == Val::Kind::Float && training.f == inference.f)))
    return training;
  error(loc,
        "'" + name + "' is " + describe(training) + " in training but " +
            describe(inference) +
            " in inference; only tensors may differ between the branches of "
            "'if training'",
        stmt.condRange);
  return Val::error();
}

int Checker::labelDependence(int root) {
  labelDeps.resize(model->nodes.size(), -2);
  // What a node's inference value reads: its operands (for a mode select
  // only the inference one) and, for a scan, its body's results.
  auto inputsOf = [&](const Node &node) {
    llvm::SmallVector<int, 4> inputs;
    if (node.kind == OpKind::ModeSelect)
      inputs.push_back(node.operands[1]);
    else
      inputs.append(node.operands.begin(), node.operands.end());
    inputs.append(node.regionResults.begin(), node.regionResults.end());
    return inputs;
  };
  constexpr int kUnknown = -2, kVisiting = -3;
  std::vector<std::pair<int, unsigned>> stack = {{root, 0}};
  while (!stack.empty()) {
    auto [n, next] = stack.back();
    const Node &node = model->nodes[n];
    if (node.kind == OpKind::Arg) {
      labelDeps[n] =
          model->args[node.ints[0]].kind == ModelArg::Kind::Label
              ? int(node.ints[0])
              : -1;
      stack.pop_back();
      continue;
    }
    llvm::SmallVector<int, 4> inputs = inputsOf(node);
    if (next == 0)
      labelDeps[n] = kVisiting;
    if (next < inputs.size()) {
      ++stack.back().second;
      int in = inputs[next];
      if (labelDeps[in] == kUnknown)
        stack.push_back({in, 0});
      continue;
    }
    int dep = -1;
    for (int in : inputs)
      if (labelDeps[in] >= 0) {
        dep = labelDeps[in];
        break;
      }
    labelDeps[n] = dep;
    stack.pop_back();
  }
  return labelDeps[root];
}

void Checker::execIf(const IfStmt &stmt, Ctx &ctx) {
  struct Guard {
    unsigned &depth;
    explicit Guard(unsigned &d) : depth(++d) {}
    ~Guard() { --depth; }
  } guard(ifDepth);
  if (stmt.cond) {
    // A compile-time condition: only the chosen block is checked.
    std::optional<int64_t> c = evalInt(*stmt.cond, ctx, "the condition of 'if'");
    if (c)
      execBlock(*c ? stmt.thenBlock : stmt.elseBlock, ctx);
    return;
  }
  if (mode != Mode::Both) {
    // Inside a branch only one side of a nested `if training` can run.
    execBlock(mode == Mode::Training ? stmt.thenBlock : stmt.elseBlock, ctx);
    return;
  }
  // Check each branch on its own, undo it, then merge what they assigned.
  struct Side {
    BranchLog log;
    llvm::DenseMap<Binding *, Val> after;
    llvm::StringMap<Binding> created;
  } sides[2];
  BranchLog *outer = branchLog;
  const Block *blocks[2] = {&stmt.thenBlock, &stmt.elseBlock};
  for (int k = 0; k < 2; ++k) {
    Side &side = sides[k];
    side.log.scope = ctx.scope;
    branchLog = &side.log;
    mode = k == 0 ? Mode::Training : Mode::Inference;
    execBlock(*blocks[k], ctx);
    mode = Mode::Both;
    branchLog = outer;
    for (auto &[binding, old] : side.log.before) {
      side.after[binding] = binding->val;
      binding->val = old.second;
    }
    for (const std::string &name : side.log.created) {
      auto it = ctx.scope->vars.find(name);
      if (it == ctx.scope->vars.end())
        continue;
      side.created[name] = it->second;
      ctx.scope->vars.erase(it);
    }
  }
  if (diags.tooManyErrors() || tooLarge)
    return;
  // Bindings that existed before the `if`, in the order first assigned.
  llvm::MapVector<Binding *, std::string> changed;
  for (Side &side : sides)
    for (auto &[binding, old] : side.log.before)
      changed.insert({binding, old.first});
  for (auto &[binding, name] : changed) {
    auto valueIn = [&, b = binding](Side &side) {
      auto it = side.after.find(b);
      return it != side.after.end() ? it->second : b->val;
    };
    Val merged = mergeModes(name, valueIn(sides[0]), valueIn(sides[1]), stmt);
    rebind(*binding, name, merged, ctx.scope);
    if (binding->kind == BindKind::State && merged.isTensor())
      recordStateUpdate(*binding, merged, stmt.getRange().Start);
  }
  // Names both branches bind; a name bound in only one does not outlive it.
  for (const std::string &name : sides[0].log.created) {
    auto t = sides[0].created.find(name);
    auto i = sides[1].created.find(name);
    if (i == sides[1].created.end()) {
      ctx.scope->branchOnly[name] = t->second.declRange;
      continue;
    }
    if (ctx.scope->vars.count(name))
      continue;
    Val merged = mergeModes(name, t->second.val, i->second.val, stmt);
    bindLocal(ctx.scope, Ident{name, t->second.declRange}, merged);
  }
  for (auto &[name, binding] : sides[1].created)
    if (!sides[0].created.count(name))
      ctx.scope->branchOnly[name] = binding.declRange;
}

void Checker::execStmt(const Stmt &stmt, Ctx &ctx) {
  if (ifDepth > 0 && stmt.getKind() != Stmt::Kind::Assign &&
      stmt.getKind() != Stmt::Kind::If) {
    StringRef keyword = stmt.getKind() == Stmt::Kind::Return   ? "return"
                        : stmt.getKind() == Stmt::Kind::Yield  ? "yield"
                        : stmt.getKind() == Stmt::Kind::Output ? "output"
                        : stmt.getKind() == Stmt::Kind::Loss   ? "loss"
                                                               : "metric";
    error(stmt.getRange().Start,
          "'" + keyword +
              "' cannot be inside 'if'; assign the value in the branches and "
              "use it after the 'if'",
          stmt.getRange());
    return;
  }
  switch (stmt.getKind()) {
  case Stmt::Kind::If:
    execIf(cast<IfStmt>(stmt), ctx);
    return;
  case Stmt::Kind::Assign: {
    auto &a = cast<AssignStmt>(stmt);
    Val v = eval(*a.value, ctx);
    if (a.targets.size() == 1) {
      assign(a.targets[0], v, ctx);
      return;
    }
    if (v.isError()) {
      for (const Ident &t : a.targets)
        assign(t, Val::error(), ctx);
      return;
    }
    if (v.kind != Val::Kind::Tuple || v.elems.size() != a.targets.size()) {
      error(*a.value, "cannot assign " + describe(v) + " to " +
                          Twine(uint64_t(a.targets.size())) + " names");
      for (const Ident &t : a.targets)
        assign(t, Val::error(), ctx);
      return;
    }
    for (size_t i = 0; i < a.targets.size(); ++i)
      assign(a.targets[i], v.elems[i], ctx);
    return;
  }
  case Stmt::Kind::Return:
  case Stmt::Kind::Yield: {
    bool isReturn = stmt.getKind() == Stmt::Kind::Return;
    BodyKind want = isReturn ? BodyKind::Fn : BodyKind::Scan;
    if (ctx.kind != want) {
      error(stmt.getRange().Start,
            isReturn ? "'return' is only allowed in a layer's 'fn'"
                     : "'yield' is only allowed in a scan body",
            stmt.getRange());
      return;
    }
    ctx.done = true;
    ctx.resultsRange = stmt.getRange();
    for (const ExprPtr &e : cast<ValuesStmt>(stmt).values) {
      Val v = eval(*e, ctx);
      if (!v.isError() && !v.isTensor()) {
        error(*e, Twine(isReturn ? "'return'" : "'yield'") +
                      " needs tensors, got " + describe(v));
        v = Val::error();
      }
      ctx.results.push_back(v);
    }
    return;
  }
  case Stmt::Kind::Output: {
    auto &o = cast<OutputStmt>(stmt);
    if (ctx.kind != BodyKind::Forward) {
      error(stmt.getRange().Start,
            "'output' is only allowed in a model's forward block",
            stmt.getRange());
      return;
    }
    Val v;
    if (o.value) {
      v = eval(*o.value, ctx);
      assign(o.name, v, ctx);
    } else {
      Binding *b = ctx.scope->lookup(o.name.name);
      if (!b) {
        error(o.name.range.Start,
              "use of undeclared name '" + o.name.name + "'" +
                  suggest(o.name.name, ctx.scope),
              o.name.range);
        return;
      }
      v = b->val;
    }
    if (v.isError())
      return;
    if (!v.isTensor()) {
      error(o.name.range.Start,
            "an output must be a tensor, got " + describe(v), o.name.range);
      return;
    }
    if (!outputNames.insert(o.name.name).second) {
      error(o.name.range.Start, "duplicate output '" + o.name.name + "'",
            o.name.range);
      return;
    }
    if (int label = labelDependence(v.node); label >= 0) {
      const ModelArg &arg = model->args[label];
      error(o.name.range.Start,
            "output '" + o.name.name + "' depends on label '" + arg.name +
                "'; outputs are what inference ('forward') computes from "
                "the inputs alone (use the label in the loss or a metric)",
            o.name.range);
      if (arg.loc >= 0)
        diags.note(model->locs[arg.loc].loc,
                   "'" + arg.name + "' is declared here");
      return;
    }
    model->outputs.push_back({o.name.name, v.node, addLoc(o.name.range.Start)});
    return;
  }
  case Stmt::Kind::Loss: {
    auto &l = cast<LossStmt>(stmt);
    if (ctx.kind != BodyKind::Forward) {
      error(stmt.getRange().Start,
            "'loss' is only allowed in a model's forward block",
            stmt.getRange());
      return;
    }
    if (ctx.loss) {
      error(stmt.getRange().Start, "a model has exactly one loss",
            stmt.getRange());
      diags.note(ctx.loss->getRange().Start, "the first loss is here");
      return;
    }
    ctx.loss = &l;
    Val v = eval(*l.value, ctx);
    if (v.isError())
      return;
    if (!v.isTensor() || typeOf(v).rank() != 0 || !isFloat(typeOf(v).dtype)) {
      error(*l.value,
            "the loss must be a floating-point scalar such as f32[], got " +
                describe(v) + "; reduce it with mean(...) or sum(...)");
      return;
    }
    model->loss = {"loss", v.node, addLoc(l.value->getLoc())};
    return;
  }
  case Stmt::Kind::Metric:
    if (ctx.kind != BodyKind::Forward) {
      error(stmt.getRange().Start,
            "'metric' is only allowed in a model's forward block",
            stmt.getRange());
      return;
    }
    ctx.metrics.push_back(&cast<MetricStmt>(stmt));
    return;
  }
}

//===----------------------------------------------------------------------===//
// Expression helpers
//===----------------------------------------------------------------------===//

bool Checker::bindArgs(const CallExpr &e, StringRef fname,
                       llvm::ArrayRef<StringRef> names, unsigned required,
                       llvm::SmallVectorImpl<const Expr *> &out) {
  out.assign(names.size(), nullptr);
  bool ok = true;
  size_t positional = 0;
  bool sawKeyword = false;
  for (const Arg &a : e.args) {
    if (a.name.empty()) {
      if (sawKeyword) {
        error(*a.value, "positional argument after a keyword argument");
        ok = false;
        continue;
      }
      if (positional >= names.size()) {
        error(*a.value, "too many arguments to '" + fname + "': it takes " +
                            Twine(uint64_t(names.size())));
        ok = false;
        continue;
      }
      out[positional++] = a.value.get();
      continue;
    }
    sawKeyword = true;
    auto it = llvm::find(names, StringRef(a.name));
    if (it == names.end()) {
      std::string list;
      for (StringRef n : names)
        list += (list.empty() ? "'" : ", '") + n.str() + "'";
      error(a.nameLoc,
            "'" + fname + "' has no argument named '" + a.name + "'" +
                (list.empty() ? std::string("; it takes no arguments")
                              : "; its arguments are " + list),
            SMRange(a.nameLoc, a.value->getRange().End));
      ok = false;
      continue;
    }
    size_t idx = it - names.begin();
    if (out[idx]) {
      error(a.nameLoc,
            "argument '" + a.name + "' of '" + fname + "' is given twice");
      ok = false;
      continue;
    }
    out[idx] = a.value.get();
  }
  for (unsigned i = 0; ok && i < required && i < names.size(); ++i) {
    if (!out[i]) {
      error(e.getLoc(), "'" + fname + "' needs its argument '" + names[i] + "'",
            e.getRange());
      ok = false;
    }
  }
  return ok;
}

Val Checker::toTensor(const Val &v, DType dtype, const Expr &where) {
  if (v.isError() || v.isTensor())
    return v;
  if (v.kind == Val::Kind::Int) {
    TensorType t;
    t.dtype = dtype;
    return emit(OpKind::Fill, {}, t, where.getLoc(), {}, double(v.i));
  }
  if (v.kind == Val::Kind::Float) {
    if (!isFloat(dtype)) {
      error(where, "cannot use the float " + describe(v).substr(11) +
                       " with a tensor of integers (" + spell(dtype) + ")");
      return Val::error();
    }
    TensorType t;
    t.dtype = dtype;
    return emit(OpKind::Fill, {}, t, where.getLoc(), {}, v.f);
  }
  error(where, "expected a tensor or a number, got " + describe(v));
  return Val::error();
}

Val Checker::tensorArg(const Expr *e, Ctx &ctx, StringRef fname,
                       bool needFloat) {
  Val v = eval(*e, ctx);
  if (v.isError())
    return v;
  if (v.isNumber())
    v = toTensor(v, DType::F32, *e);
  if (v.isError())
    return v;
  if (!v.isTensor()) {
    error(*e, "'" + fname + "' needs a tensor argument, got " + describe(v));
    return Val::error();
  }
  if (needFloat && !isFloat(typeOf(v).dtype)) {
    error(*e, "'" + fname + "' needs a floating-point tensor, got " +
                  typeOf(v).str());
    return Val::error();
  }
  return v;
}

std::optional<int64_t> Checker::evalInt(const Expr &e, Ctx &ctx,
                                        StringRef what) {
  Val v = eval(e, ctx);
  if (v.isError())
    return std::nullopt;
  if (v.kind != Val::Kind::Int) {
    error(e, "expected a compile-time integer for " + what + ", got " +
                 describe(v));
    return std::nullopt;
  }
  return v.i;
}

std::optional<double> Checker::evalNumber(const Expr &e, Ctx &ctx,
                                          StringRef what) {
  Val v = eval(e, ctx);
  if (v.isError())
    return std::nullopt;
  if (!v.isNumber()) {
    error(e, "expected a compile-time number for " + what + ", got " +
                 describe(v));
    return std::nullopt;
  }
  return v.asDouble();
}

std::optional<llvm::SmallVector<int64_t>>
Checker::evalIntList(const Expr &e, Ctx &ctx, StringRef what) {
  auto *list = dyn_cast<ListExpr>(&e);
  if (!list) {
    error(e, "expected a list of integers such as [64, 10] for " + what);
    return std::nullopt;
  }
  llvm::SmallVector<int64_t> out;
  bool ok = true;
  for (const ExprPtr &el : list->elements) {
    std::optional<int64_t> v = evalInt(*el, ctx, what);
    if (!v)
      ok = false;
    else
      out.push_back(*v);
  }
  if (!ok)
    return std::nullopt;
  return out;
}

std::optional<int64_t> Checker::normAxis(int64_t axis, const TensorType &t,
                                         const Expr &where) {
  int64_t rank = t.rank();
  if (axis < -rank || axis >= rank) {
    error(where, "axis " + Twine(axis) + " is out of range for " + t.str() +
                     " (rank " + Twine(rank) + ")");
    return std::nullopt;
  }
  return axis < 0 ? axis + rank : axis;
}

std::optional<llvm::SmallVector<int64_t>>
Checker::evalAxes(const Expr *e, const TensorType &t, Ctx &ctx) {
  llvm::SmallVector<int64_t> axes;
  if (!e) {
    for (int64_t i = 0; i < t.rank(); ++i)
      axes.push_back(i);
    return axes;
  }
  llvm::SmallVector<int64_t> raw;
  if (isa<ListExpr>(e)) {
    auto list = evalIntList(*e, ctx, "the axes");
    if (!list)
      return std::nullopt;
    raw = *list;
  } else {
    std::optional<int64_t> a = evalInt(*e, ctx, "the axis");
    if (!a)
      return std::nullopt;
    raw.push_back(*a);
  }
  for (int64_t a : raw) {
    std::optional<int64_t> n = normAxis(a, t, *e);
    if (!n)
      return std::nullopt;
    if (llvm::is_contained(axes, *n)) {
      error(*e, "axis " + Twine(*n) + " is listed twice");
      return std::nullopt;
    }
    axes.push_back(*n);
  }
  llvm::sort(axes);
  return axes;
}

Val Checker::unary(OpKind kind, const Val &x, const Expr &where) {
  if (x.isError())
    return x;
  return emit(kind, {x.node}, typeOf(x), where.getLoc());
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Val Checker::eval(const Expr &e, Ctx &ctx) {
  bool ok = true;
  DepthGuard guard(evalDepth, ok);
  if (!ok) {
    if (!tooLarge)
      error(e, "the program nests too deeply to check (more than " +
                   Twine(Limits::kMaxEvalDepth) + " levels of evaluation)");
    tooLarge = true;
    return Val::error();
  }
  if (tooLarge || diags.tooManyErrors())
    return Val::error();
  switch (e.getKind()) {
  case Expr::Kind::Int:
    return Val::ofInt(cast<IntExpr>(e).value);
  case Expr::Kind::Float:
    return Val::ofFloat(cast<FloatExpr>(e).value);
  case Expr::Kind::String:
    error(e, "string literals are only used by 'import'");
    return Val::error();
  case Expr::Kind::Name:
    return evalName(cast<NameExpr>(e), ctx);
  case Expr::Kind::Unary:
    return evalUnary(cast<UnaryExpr>(e), ctx);
  case Expr::Kind::Binary:
    return evalBinary(cast<BinaryExpr>(e), ctx);
  case Expr::Kind::Call:
    return evalCall(cast<CallExpr>(e), ctx);
  case Expr::Kind::Member:
    return evalMember(cast<MemberExpr>(e), ctx);
  case Expr::Kind::Index:
    return evalIndex(cast<IndexExpr>(e), ctx);
  case Expr::Kind::Slice:
    error(e, "a slice 'a:b' is only allowed inside '[ ]'");
    return Val::error();
  case Expr::Kind::List: {
    Val list;
    list.kind = Val::Kind::List;
    for (const ExprPtr &el : cast<ListExpr>(e).elements) {
      Val v = eval(*el, ctx);
      if (v.isError())
        return v;
      list.elems.push_back(v);
    }
    return list;
  }
  case Expr::Kind::Scan:
    return evalScan(cast<ScanExpr>(e), ctx);
  }
  return Val::error();
}

Val Checker::evalName(const NameExpr &e, Ctx &ctx) {
  if (Binding *b = ctx.scope->lookup(e.name))
    return b->val;
  if (globals.count(e.name)) {
    const Decl *d = globals[e.name].decl;
    if (isa<LayerDecl>(d)) {
      Val v;
      v.kind = Val::Kind::Layer;
      v.layer = cast<LayerDecl>(d);
      return v;
    }
    error(e, "model '" + e.name + "' cannot be used in an expression");
    return Val::error();
  }
  if (lookupBuiltin(e.name) != Builtin::None) {
    error(e, "'" + e.name + "' is a builtin function; call it like '" + e.name +
                 "(...)'");
    return Val::error();
  }
  if (aliases.count(e.name)) {
    error(e, "'" + e.name +
                 "' is an imported module; name one of its "
                 "layers, like '" +
                 e.name + ".Linear'");
    return Val::error();
  }
  for (Scope *s = ctx.scope; s; s = s->parent)
    if (auto it = s->branchOnly.find(e.name); it != s->branchOnly.end()) {
      error(e, "'" + e.name +
                   "' is bound in only one branch of 'if training', so it "
                   "has no value after the 'if'");
      diags.note(it->second.Start, "'" + e.name + "' is bound here");
      return Val::error();
    }
  error(e,
        "use of undeclared name '" + e.name + "'" + suggest(e.name, ctx.scope));
  return Val::error();
}

Val Checker::evalUnary(const UnaryExpr &e, Ctx &ctx) {
  Val v = eval(*e.operand, ctx);
  switch (v.kind) {
  case Val::Kind::Error:
    return v;
  case Val::Kind::Int:
    if (v.i == INT64_MIN) {
      error(e, "integer overflow in constant expression");
      return Val::error();
    }
    return Val::ofInt(-v.i);
  case Val::Kind::Float:
    return Val::ofFloat(-v.f);
  case Val::Kind::Tensor:
    return emit(OpKind::Neg, {v.node}, typeOf(v), e.getLoc());
  default:
    error(e, "cannot negate " + describe(v));
    return Val::error();
  }
}

Val Checker::evalBinary(const BinaryExpr &e, Ctx &ctx) {
  Val lhs = eval(*e.lhs, ctx);
  Val rhs = eval(*e.rhs, ctx);
  if (lhs.isError() || rhs.isError())
    return Val::error();
  if (e.op == BinaryOp::MatMul)
    return matmul(lhs, rhs, e);
  OpKind kind = e.op == BinaryOp::Add   ? OpKind::Add
                : e.op == BinaryOp::Sub ? OpKind::Sub
                : e.op == BinaryOp::Mul ? OpKind::Mul
                                        : OpKind::Div;
  return binaryOp(kind, lhs, rhs, e, *e.lhs, *e.rhs);
}

Val Checker::binaryOp(OpKind kind, Val lhs, Val rhs, const Expr &where,
                      const Expr &lhsE, const Expr &rhsE) {
  if (lhs.isError() || rhs.isError())
    return Val::error();
  StringRef opName = spell(kind);
  // Compile-time arithmetic.
  if (lhs.isNumber() && rhs.isNumber()) {
    if (lhs.kind == Val::Kind::Int && rhs.kind == Val::Kind::Int) {
      int64_t a = lhs.i, b = rhs.i, r = 0;
      bool overflow = false;
      switch (kind) {
      case OpKind::Add:
        overflow = __builtin_add_overflow(a, b, &r);
        break;
      case OpKind::Sub:
        overflow = __builtin_sub_overflow(a, b, &r);
        break;
      case OpKind::Mul:
        overflow = __builtin_mul_overflow(a, b, &r);
        break;
      case OpKind::Div:
        if (b == 0) {
          error(where, "division by zero in constant expression");
          return Val::error();
        }
        overflow = a == INT64_MIN && b == -1;
        if (!overflow)
          r = a / b;
        break;
      case OpKind::Maximum:
        r = std::max(a, b);
        break;
      case OpKind::Minimum:
        r = std::min(a, b);
        break;
      default:
        break;
      }
      if (overflow) {
        error(where, "integer overflow in constant expression");
        return Val::error();
      }
      return Val::ofInt(r);
    }
    double a = lhs.asDouble(), b = rhs.asDouble(), r = 0;
    switch (kind) {
    case OpKind::Add:
      r = a + b;
      break;
    case OpKind::Sub:
      r = a - b;
      break;
    case OpKind::Mul:
      r = a * b;
      break;
    case OpKind::Div:
      r = a / b;
      break;
    case OpKind::Maximum:
      r = std::max(a, b);
      break;
    case OpKind::Minimum:
      r = std::min(a, b);
      break;
    default:
      break;
    }
    if (!std::isfinite(r)) {
      error(where, "constant expression is not finite (overflow or division "
                   "by zero)");
      return Val::error();
    }
    return Val::ofFloat(r);
  }
  // A number next to a tensor takes the tensor's element type.
  if (lhs.isNumber() && rhs.isTensor())
    lhs = toTensor(lhs, typeOf(rhs).dtype, lhsE);
  else if (rhs.isNumber() && lhs.isTensor())
    rhs = toTensor(rhs, typeOf(lhs).dtype, rhsE);
  if (lhs.isError() || rhs.isError())
    return Val::error();
  if (!lhs.isTensor() || !rhs.isTensor()) {
    error(where, "'" + opName + "' cannot be applied to " +
                     describe(lhs.isTensor() ? rhs : lhs));
    return Val::error();
  }
  const TensorType &a = typeOf(lhs), &b = typeOf(rhs);
  if (a.dtype != b.dtype) {
    error(where, "element types differ in '" + opName + "': " + a.str() +
                     " and " + b.str() + " (there are no implicit casts)");
    return Val::error();
  }
  int64_t bad = 0;
  auto shape = dlc::dl::broadcastShapes(a.shape, b.shape, &bad);
  if (!shape) {
    error(where, "shapes " + a.str() + " and " + b.str() +
                     " cannot be broadcast together in '" + opName +
                     "' (result dimension " + Twine(bad) + ")");
    return Val::error();
  }
  TensorType t;
  t.dtype = a.dtype;
  t.shape.assign(shape->begin(), shape->end());
  return emit(kind, {lhs.node, rhs.node}, t, where.getLoc());
}

Val Checker::matmul(Val lhs, Val rhs, const BinaryExpr &e) {
  if (!lhs.isTensor() || !rhs.isTensor()) {
    error(e,
          "'@' needs two tensors, got " + describe(lhs.isTensor() ? rhs : lhs));
    return Val::error();
  }
  TensorType a = typeOf(lhs), b = typeOf(rhs);
  if (!isFloat(a.dtype) || a.dtype != b.dtype) {
    error(e, "'@' needs two floating-point tensors of the same element "
             "type, got " +
                 a.str() + " and " + b.str());
    return Val::error();
  }
  if (a.rank() < 2 || b.rank() < 2) {
    error(e, "'@' needs operands of rank 2 or more, got " + a.str() + " and " +
                 b.str() + " (reshape vectors to [1, n] or [n, 1])");
    return Val::error();
  }
  int64_t K = a.shape.back(), K2 = b.shape[b.rank() - 2];
  if (K != K2) {
    error(e, "matmul contracting dimensions differ: " + a.str() + " @ " +
                 b.str() + " (" + Twine(K) + " vs " + Twine(K2) + ")");
    return Val::error();
  }
  int64_t M = a.shape[a.rank() - 2], N = b.shape.back();
  llvm::ArrayRef<int64_t> ba = llvm::ArrayRef<int64_t>(a.shape).drop_back(2);
  llvm::ArrayRef<int64_t> bb = llvm::ArrayRef<int64_t>(b.shape).drop_back(2);
  SMLoc loc = e.getLoc();
  TensorType out;
  out.dtype = a.dtype;
  if (ba == bb) {
    out.shape.assign(ba.begin(), ba.end());
    out.shape.push_back(M);
    out.shape.push_back(N);
    return emit(OpKind::Matmul, {lhs.node, rhs.node}, out, loc);
  }
  if (bb.empty()) {
    // [B..., M, K] @ [K, N]: fold the batch into the rows.
    int64_t rows = M;
    for (int64_t d : ba)
      rows *= d; // Bounded: it is an element count of lhs divided by K.
    TensorType flat;
    flat.dtype = a.dtype;
    flat.shape = {rows, K};
    Val f = emit(OpKind::Reshape, {lhs.node}, flat, loc);
    if (f.isError())
      return f;
    TensorType prod;
    prod.dtype = a.dtype;
    prod.shape = {rows, N};
    Val p = emit(OpKind::Matmul, {f.node, rhs.node}, prod, loc);
    if (p.isError())
      return p;
    out.shape.assign(ba.begin(), ba.end());
    out.shape.push_back(M);
    out.shape.push_back(N);
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Reshape, {p.node}, out, loc);
  }
  int64_t bad = 0;
  auto batch = dlc::dl::broadcastShapes(ba, bb, &bad);
  if (!batch) {
    error(e, "matmul batch dimensions of " + a.str() + " and " + b.str() +
                 " cannot be broadcast together");
    return Val::error();
  }
  auto widen = [&](Val v, const TensorType &t, int64_t r, int64_t c) {
    TensorType w;
    w.dtype = t.dtype;
    w.shape.assign(batch->begin(), batch->end());
    w.shape.push_back(r);
    w.shape.push_back(c);
    if (w == t)
      return v;
    if (!checkShape(w.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Broadcast, {v.node}, w, loc);
  };
  Val l = widen(lhs, a, M, K), r = widen(rhs, b, K, N);
  if (l.isError() || r.isError())
    return Val::error();
  out.shape.assign(batch->begin(), batch->end());
  out.shape.push_back(M);
  out.shape.push_back(N);
  if (!checkShape(out.shape, loc, e.getRange()))
    return Val::error();
  return emit(OpKind::Matmul, {l.node, r.node}, out, loc);
}

Val Checker::evalMember(const MemberExpr &e, Ctx &ctx) {
  // `nn.Linear`: a layer of an imported module.
  if (auto *base = dyn_cast<NameExpr>(e.base.get())) {
    if (!ctx.scope->lookup(base->name) && aliases.count(base->name)) {
      size_t unit = aliases[base->name];
      auto it = globals.find(e.member);
      if (it == globals.end() || it->second.unit != unit ||
          !isa<LayerDecl>(it->second.decl)) {
        error(e.memberLoc,
              "module '" + base->name + "' has no layer '" + e.member + "'",
              e.getRange());
        return Val::error();
      }
      Val v;
      v.kind = Val::Kind::Layer;
      v.layer = cast<LayerDecl>(it->second.decl);
      return v;
    }
  }
  Val v = eval(*e.base, ctx);
  if (v.isError())
    return v;
  if (e.member == "T" && v.isTensor()) {
    const TensorType &t = typeOf(v);
    if (t.rank() < 2) {
      error(e, "'.T' needs a tensor of rank 2 or more, got " + t.str());
      return Val::error();
    }
    llvm::SmallVector<int64_t> perm;
    for (int64_t i = 0; i < t.rank(); ++i)
      perm.push_back(i);
    std::swap(perm[t.rank() - 1], perm[t.rank() - 2]);
    TensorType out = t;
    std::swap(out.shape[t.rank() - 1], out.shape[t.rank() - 2]);
    return emit(OpKind::Transpose, {v.node}, out, e.memberLoc, perm);
  }
  error(e.memberLoc,
        "unknown member '." + e.member + "' of " + describe(v) +
            " (tensors have '.T')",
        e.getRange());
  return Val::error();
}

Val Checker::evalIndex(const IndexExpr &e, Ctx &ctx) {
  Val base = eval(*e.base, ctx);
  if (base.isError())
    return base;
  if (!base.isTensor()) {
    error(e, "only tensors can be indexed, got " + describe(base));
    return Val::error();
  }
  TensorType t = typeOf(base);
  if (static_cast<int64_t>(e.subscripts.size()) > t.rank()) {
    error(e, "too many subscripts (" + Twine(uint64_t(e.subscripts.size())) +
                 ") for " + t.str());
    return Val::error();
  }
  TensorType out;
  out.dtype = t.dtype;
  llvm::SmallVector<int64_t> ints;
  for (int64_t d = 0; d < t.rank(); ++d) {
    int64_t size = t.shape[d];
    int64_t start = 0, count = size, step = 1;
    bool keep = true;
    if (d < static_cast<int64_t>(e.subscripts.size())) {
      const Expr &sub = *e.subscripts[d];
      if (auto *s = dyn_cast<SliceExpr>(&sub)) {
        int64_t stop = size;
        auto bound = [&](const ExprPtr &x, int64_t &outV,
                         StringRef what) -> bool {
          if (!x)
            return true;
          std::optional<int64_t> v = evalInt(*x, ctx, what);
          if (!v)
            return false;
          int64_t n = *v < 0 ? *v + size : *v;
          if (n < 0 || n > size) {
            error(*x, "slice bound " + Twine(*v) +
                          " is out of range for "
                          "dimension " +
                          Twine(d) + " of size " + Twine(size));
            return false;
          }
          outV = n;
          return true;
        };
        if (!bound(s->start, start, "a slice start") ||
            !bound(s->stop, stop, "a slice end"))
          return Val::error();
        if (s->step) {
          std::optional<int64_t> v = evalInt(*s->step, ctx, "a slice step");
          if (!v)
            return Val::error();
          if (*v <= 0) {
            error(*s->step, "slice steps must be positive");
            return Val::error();
          }
          step = *v;
        }
        if (stop <= start) {
          error(sub, "empty slice of dimension " + Twine(d) +
                         " (tensors cannot have size 0)");
          return Val::error();
        }
        count = (stop - start + step - 1) / step;
      } else {
        std::optional<int64_t> v = evalInt(sub, ctx, "an index");
        if (!v)
          return Val::error();
        if (*v < -size || *v >= size) {
          error(sub, "index " + Twine(*v) + " is out of range for dimension " +
                         Twine(d) + " of size " + Twine(size));
          return Val::error();
        }
        start = *v < 0 ? *v + size : *v;
        count = 1;
        keep = false;
      }
    }
    ints.append({start, count, step, keep ? 1 : 0});
    if (keep)
      out.shape.push_back(count);
  }
  return emit(OpKind::Slice, {base.node}, out, e.getLoc(), ints);
}

Val Checker::evalScan(const ScanExpr &e, Ctx &ctx) {
  if (ctx.kind != BodyKind::Forward && ctx.kind != BodyKind::Fn &&
      ctx.kind != BodyKind::Scan) {
    error(e, "'scan' is only allowed in forward, fn and scan bodies");
    return Val::error();
  }
  if (!ctx.inst) {
    error(e, "'scan' is not a constant expression");
    return Val::error();
  }
  // Sequences and the time axis.
  std::vector<Val> seqs;
  bool ok = true;
  for (const ast::Binding &b : e.sequences) {
    Val v = eval(*b.value, ctx);
    if (!v.isError() && !v.isTensor()) {
      error(*b.value, "'scan' walks over tensors, got " + describe(v));
      v = Val::error();
    }
    ok &= !v.isError();
    seqs.push_back(v);
  }
  int64_t axisRaw = 0;
  if (e.along) {
    std::optional<int64_t> a = evalInt(*e.along, ctx, "the scan axis");
    if (!a)
      return Val::error();
    axisRaw = *a;
  }
  if (!ok)
    return Val::error();
  int64_t axis = 0, length = 0;
  for (size_t i = 0; i < seqs.size(); ++i) {
    const TensorType &t = typeOf(seqs[i]);
    std::optional<int64_t> n =
        normAxis(axisRaw, t, e.along ? *e.along : *e.sequences[i].value);
    if (!n)
      return Val::error();
    if (i == 0) {
      axis = *n;
      length = t.shape[*n];
    } else if (*n != axis || t.shape[*n] != length) {
      error(*e.sequences[i].value,
            "all scanned sequences need the same length along the time "
            "axis: " +
                typeOf(seqs[0]).str() + " and " + t.str());
      return Val::error();
    }
  }
  std::vector<Val> inits;
  for (const ast::Binding &c : e.carries) {
    Val v = eval(*c.value, ctx);
    if (!v.isError() && !v.isTensor()) {
      error(*c.value, "a carried value must be a tensor, got " + describe(v) +
                          " (use zeros([...]) for a zero state)");
      v = Val::error();
    }
    if (v.isError())
      return Val::error();
    inits.push_back(v);
  }
  llvm::SmallVector<int> operands;
  for (const Val &v : seqs)
    operands.push_back(v.node);
  for (const Val &v : inits)
    operands.push_back(v.node);
  TensorType none;
  Val scan = emit(OpKind::Scan, operands, none, e.getLoc(),
                  {axis, int64_t(seqs.size()), int64_t(inits.size()), length});
  if (scan.isError())
    return scan;
  int scanId = scan.node;
  // The body, in its own scope and region.
  int savedRegion = currentRegion;
  currentRegion = scanId;
  Scope body;
  body.parent = ctx.scope;
  Ctx bctx;
  bctx.kind = BodyKind::Scan;
  bctx.inst = ctx.inst;
  bctx.scope = &body;
  std::vector<Val> carryVals;
  int64_t argIndex = 0;
  for (size_t i = 0; i < seqs.size(); ++i) {
    TensorType slice = typeOf(seqs[i]);
    slice.shape.erase(slice.shape.begin() + axis);
    Val a = emit(OpKind::ScanArg, {}, slice, e.sequences[i].nameRange.Start,
                 {argIndex++});
    Ident id{e.sequences[i].name, e.sequences[i].nameRange};
    declare(body, id, Binding{a, BindKind::Local, {}, ""});
  }
  for (size_t i = 0; i < inits.size(); ++i) {
    Val a = emit(OpKind::ScanArg, {}, typeOf(inits[i]),
                 e.carries[i].nameRange.Start, {argIndex++});
    Ident id{e.carries[i].name, e.carries[i].nameRange};
    declare(body, id, Binding{a, BindKind::Local, {}, ""});
  }
  execBlock(e.body, bctx);
  currentRegion = savedRegion;
  if (!bctx.done) {
    if (!diags.tooManyErrors())
      error(e.body.range.Start,
            "a scan body must end with 'yield' and the "
            "per-step values",
            e.body.range);
    return Val::error();
  }
  // Final carries must keep their types.
  llvm::SmallVector<int, 2> results;
  for (size_t i = 0; i < inits.size(); ++i) {
    Binding *b = body.vars.count(e.carries[i].name)
                     ? &body.vars[e.carries[i].name]
                     : nullptr;
    if (!b || b->val.isError())
      return Val::error();
    if (!b->val.isTensor() || typeOf(b->val) != typeOf(inits[i])) {
      error(e.carries[i].nameRange.Start,
            "carried value '" + e.carries[i].name + "' starts as " +
                typeOf(inits[i]).str() + " but the body makes it " +
                describe(b->val),
            e.carries[i].nameRange);
      return Val::error();
    }
    results.push_back(b->val.node);
  }
  std::vector<Val> outs;
  for (size_t i = 0; i < bctx.results.size(); ++i) {
    const Val &y = bctx.results[i];
    if (y.isError())
      return Val::error();
    results.push_back(y.node);
    TensorType stacked = typeOf(y);
    if (axis > stacked.rank()) {
      error(bctx.resultsRange.Start,
            "cannot stack the yielded " + typeOf(y).str() + " along axis " +
                Twine(axis),
            bctx.resultsRange);
      return Val::error();
    }
    stacked.shape.insert(stacked.shape.begin() + axis, length);
    if (!checkShape(stacked.shape, e.getLoc(), e.getRange()))
      return Val::error();
    outs.push_back(
        emit(OpKind::ScanResult, {scanId}, stacked, e.getLoc(), {int64_t(i)}));
    if (outs.back().isError())
      return Val::error();
  }
  model->nodes[scanId].regionResults = results;
  if (outs.size() == 1)
    return outs[0];
  Val tuple;
  tuple.kind = Val::Kind::Tuple;
  tuple.elems = std::move(outs);
  return tuple;
}

const LayerDecl *Checker::findLayer(const Expr &callee) {
  if (auto *n = dyn_cast<NameExpr>(&callee)) {
    auto it = globals.find(n->name);
    if (it != globals.end())
      return dyn_cast<LayerDecl>(it->second.decl);
  }
  return nullptr;
}

Val Checker::makeTemplate(const LayerDecl &layer, const CallExpr &e, Ctx &ctx) {
  if (!ctx.allowTemplates) {
    error(e, "layer '" + layer.name.name +
                 "' must be instantiated as a member first ('l = " +
                 layer.name.name +
                 "(...)' in the model), then applied "
                 "('l(x)')");
    return Val::error();
  }
  Val tmpl;
  tmpl.kind = Val::Kind::Layer;
  tmpl.layer = &layer;
  tmpl.applied = true;
  // Arguments bind by position, then by name; the rest take their defaults.
  size_t n = layer.params.size();
  std::vector<const Expr *> bound(n, nullptr);
  auto noteDecl = [&] {
    diags.note(layer.name.range.Start,
               "'" + layer.name.name + "' is declared here");
  };
  bool ok = true, named = false;
  for (size_t i = 0; i < e.args.size(); ++i) {
    const Arg &a = e.args[i];
    size_t k = i;
    if (!a.name.empty()) {
      named = true;
      auto it = llvm::find_if(layer.params, [&](const LayerParam &p) {
        return p.name.name == a.name;
      });
      if (it == layer.params.end()) {
        error(a.nameLoc, "layer '" + layer.name.name +
                             "' has no parameter '" + a.name + "'");
        noteDecl();
        ok = false;
        continue;
      }
      k = it - layer.params.begin();
    } else if (named) {
      error(*a.value, "a positional argument cannot follow a named one");
      ok = false;
      continue;
    } else if (i >= n) {
      error(e, "layer '" + layer.name.name + "' takes " +
                   Twine(uint64_t(n)) + " arguments, got " +
                   Twine(uint64_t(e.args.size())));
      noteDecl();
      return Val::error();
    }
    if (bound[k]) {
      error(a.name.empty() ? a.value->getLoc() : a.nameLoc,
            "argument '" + layer.params[k].name.name + "' of layer '" +
                layer.name.name + "' is given twice");
      ok = false;
      continue;
    }
    bound[k] = a.value.get();
  }
  for (size_t k = 0; k < n; ++k) {
    const LayerParam &param = layer.params[k];
    Ctx cctx = ctx;
    cctx.allowTemplates = false;
    const Expr *arg = bound[k];
    if (!arg) {
      if (!param.defaultValue) {
        if (ok)
          error(e, "layer '" + layer.name.name + "' needs argument '" +
                       param.name.name + "'");
        ok = false;
        continue;
      }
      // Defaults are constant expressions of the layer's declaration.
      arg = param.defaultValue.get();
      cctx.scope = &globalScope;
      cctx.inst = nullptr;
    }
    Val v = eval(*arg, cctx);
    if (v.isError()) {
      ok = false;
      continue;
    }
    StringRef want = param.type.name;
    if (!(v.kind == Val::Kind::Int ||
          (v.kind == Val::Kind::Float && want == "float"))) {
      error(*arg, "argument '" + param.name.name + "' of layer '" +
                      layer.name.name + "' is " +
                      (want == "int" ? "an int" : "a float") + ", got " +
                      describe(v));
      ok = false;
      continue;
    }
    tmpl.elems.push_back(v);
  }
  return ok ? tmpl : Val::error();
}

Val Checker::evalCall(const CallExpr &e, Ctx &ctx) {
  const Expr &callee = *e.callee;
  if (auto *name = dyn_cast<NameExpr>(&callee)) {
    if (!ctx.scope->lookup(name->name)) {
      if (const LayerDecl *layer = findLayer(callee))
        return makeTemplate(*layer, e, ctx);
      Builtin b = lookupBuiltin(name->name);
      if (b != Builtin::None)
        return evalBuiltin(b, name->name, e, ctx);
      if (isInitializerName(name->name)) {
        error(callee, "'" + name->name +
                          "' is an initializer; use it after "
                          "'param' or 'state' declarations");
        return Val::error();
      }
      if (name->name == "accuracy") {
        error(callee, "'accuracy' is a metric; use it as 'metric "
                      "accuracy(scores, labels)'");
        return Val::error();
      }
    }
  }
  Val f = eval(callee, ctx);
  if (f.isError())
    return f;
  if (f.kind == Val::Kind::Layer && !f.applied)
    return makeTemplate(*f.layer, e, ctx);
  if (f.kind != Val::Kind::Instance) {
    error(callee, describe(f) + " cannot be called");
    return Val::error();
  }
  std::vector<Val> args;
  std::vector<const Expr *> argExprs;
  bool ok = true;
  for (const Arg &a : e.args) {
    if (!a.name.empty()) {
      error(a.nameLoc, "layer calls take positional arguments only");
      ok = false;
      continue;
    }
    Val v = eval(*a.value, ctx);
    if (!v.isError() && !v.isTensor()) {
      error(*a.value, "layer arguments are tensors, got " + describe(v));
      v = Val::error();
    }
    ok &= !v.isError();
    args.push_back(v);
    argExprs.push_back(a.value.get());
  }
  if (!ok)
    return Val::error();
  return callInstance(f.inst, std::move(args), argExprs, e);
}

Val Checker::callInstance(Instance *inst, std::vector<Val> args,
                          const std::vector<const Expr *> &argExprs,
                          const CallExpr &call) {
  if (!inst->isChain)
    return applyFn(inst, std::move(args), argExprs, call);
  if (args.size() != 1) {
    error(call, "a 'repeat' chain takes exactly one tensor argument");
    return Val::error();
  }
  Val v = args[0];
  for (Instance *link : inst->chain) {
    v = applyFn(link, {v}, argExprs, call);
    if (v.isError())
      return v;
    if (!v.isTensor()) {
      error(call, "layers chained by 'repeat' must return one tensor");
      return Val::error();
    }
  }
  return v;
}

Val Checker::applyFn(Instance *inst, std::vector<Val> args,
                     const std::vector<const Expr *> &argExprs,
                     const CallExpr &call) {
  const FnDecl *fn = inst->fn;
  if (!fn)
    return Val::error(); // Reported by checkLayerDecl.
  StringRef layerName = inst->layer->name.name;
  if (args.size() != fn->args.size()) {
    error(call, "'" + inst->displayName + "' (layer " + layerName + ") takes " +
                    Twine(uint64_t(fn->args.size())) + " arguments, got " +
                    Twine(uint64_t(args.size())));
    diags.note(fn->getRange().Start,
               "'fn' of layer '" + layerName + "' is declared here");
    return Val::error();
  }
  // Bind dimension variables: names in the argument types that the layer
  // does not define.
  Scope fnScope;
  fnScope.parent = &inst->scope;
  Ctx sig;
  sig.inst = inst;
  sig.scope = &fnScope;
  auto reportMismatch = [&](size_t i, const TensorType &got, const Twine &why) {
    const Expr &where = i < argExprs.size() ? *argExprs[i] : call;
    error(where, "argument '" + fn->args[i].name.name + "' of '" +
                     inst->displayName + "' (layer " + layerName +
                     ") must be " + textOf(fn->args[i].type.range) + ", got " +
                     got.str() + ": " + why);
    diags.note(fn->args[i].type.range.Start,
               "the argument type is declared "
               "here",
               fn->args[i].type.range);
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeExpr &type = fn->args[i].type;
    const TensorType &got = typeOf(args[i]);
    std::optional<DType> dtype = parseDType(type.dtype);
    if (!dtype) {
      error(type.dtypeRange.Start, "unknown element type '" + type.dtype + "'",
            type.dtypeRange);
      return Val::error();
    }
    if (*dtype != got.dtype) {
      reportMismatch(i, got, "element type differs");
      return Val::error();
    }
    if (static_cast<int64_t>(type.dims.size()) != got.rank()) {
      reportMismatch(i, got,
                     "rank " + Twine(uint64_t(type.dims.size())) + " expected");
      return Val::error();
    }
    for (size_t d = 0; d < type.dims.size(); ++d) {
      auto *n = dyn_cast<NameExpr>(type.dims[d].get());
      if (!n)
        continue;
      // Names the layer (or the program) defines are not variables.
      bool boundHere = fnScope.vars.count(n->name) != 0;
      if (!boundHere && (fnScope.lookup(n->name) || globals.count(n->name)))
        continue;
      auto it = fnScope.vars.find(n->name);
      if (it == fnScope.vars.end()) {
        fnScope.vars[n->name] = Binding{Val::ofInt(got.shape[d]),
                                        BindKind::DimVar, n->getRange(), ""};
      } else if (it->second.val.i != got.shape[d]) {
        reportMismatch(i, got,
                       "dimension " + Twine(uint64_t(d)) + " is " +
                           Twine(got.shape[d]) + " but '" + n->name +
                           "' is already bound to " + Twine(it->second.val.i));
        return Val::error();
      }
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeExpr &type = fn->args[i].type;
    const TensorType &got = typeOf(args[i]);
    for (size_t d = 0; d < type.dims.size(); ++d) {
      std::optional<int64_t> v = evalInt(*type.dims[d], sig, "a dimension");
      if (!v)
        return Val::error();
      if (*v != got.shape[d]) {
        reportMismatch(i, got,
                       "dimension " + Twine(uint64_t(d)) + " ('" +
                           textOf(type.dims[d]->getRange()) + "') must be " +
                           Twine(*v) + ", got " + Twine(got.shape[d]));
        return Val::error();
      }
    }
  }
  // Run the body at a new call site.
  model->locs.push_back({call.getLoc(), currentCaller, inst->displayName});
  int site = static_cast<int>(model->locs.size() - 1);
  int savedCaller = currentCaller;
  currentCaller = site;
  Ctx body;
  body.kind = BodyKind::Fn;
  body.inst = inst;
  body.scope = &fnScope;
  for (size_t i = 0; i < args.size(); ++i) {
    auto [it, fresh] = fnScope.vars.try_emplace(
        fn->args[i].name.name,
        Binding{args[i], BindKind::Arg, fn->args[i].name.range, ""});
    if (!fresh) {
      error(fn->args[i].name.range.Start,
            "argument '" + fn->args[i].name.name +
                "' has the name of a dimension variable or another argument",
            fn->args[i].name.range);
      currentCaller = savedCaller;
      return Val::error();
    }
  }
  execBlock(fn->body, body);
  Val result = Val::error();
  bool ok = true;
  if (!body.done) {
    if (!diags.tooManyErrors())
      error(fn->body.range.Start,
            "'fn' of layer '" + layerName + "' ends without 'return'",
            fn->body.range);
    ok = false;
  } else if (body.results.size() != fn->results.size()) {
    error(body.resultsRange.Start,
          "'fn' of layer '" + layerName + "' declares " +
              Twine(uint64_t(fn->results.size())) + " results but returns " +
              Twine(uint64_t(body.results.size())),
          body.resultsRange);
    ok = false;
  }
  for (size_t i = 0; ok && i < fn->results.size(); ++i) {
    const Val &r = body.results[i];
    if (r.isError()) {
      ok = false;
      break;
    }
    const TypeExpr &type = fn->results[i];
    TensorType want;
    std::optional<DType> dtype = parseDType(type.dtype);
    if (!dtype) {
      error(type.dtypeRange.Start, "unknown element type '" + type.dtype + "'",
            type.dtypeRange);
      ok = false;
      break;
    }
    want.dtype = *dtype;
    for (const ExprPtr &d : type.dims) {
      auto *n = dyn_cast<NameExpr>(d.get());
      if (n && !fnScope.lookup(n->name) && !globals.count(n->name)) {
        error(n->getLoc(),
              "dimension '" + n->name +
                  "' of the result type is not bound by the "
                  "arguments",
              n->getRange());
        ok = false;
        break;
      }
      std::optional<int64_t> v = evalInt(*d, sig, "a dimension");
      if (!v) {
        ok = false;
        break;
      }
      want.shape.push_back(*v);
    }
    if (ok && typeOf(r) != want) {
      error(body.resultsRange.Start,
            "'fn' of layer '" + layerName + "' returns " + typeOf(r).str() +
                " but its signature declares " + textOf(type.range) + " = " +
                want.str(),
            body.resultsRange);
      ok = false;
    }
  }
  currentCaller = savedCaller;
  if (!ok)
    return Val::error();
  if (body.results.size() == 1)
    return body.results[0];
  result.kind = Val::Kind::Tuple;
  result.elems = body.results;
  return result;
}

//===----------------------------------------------------------------------===//
// Builtins
//===----------------------------------------------------------------------===//

Val Checker::evalBuiltin(Builtin b, StringRef name, const CallExpr &e,
                         Ctx &ctx) {
  llvm::SmallVector<const Expr *, 4> a;
  SMLoc loc = e.getLoc();
  auto same = [&](const Val &x) { return typeOf(x); };
  switch (b) {
  case Builtin::None:
    return Val::error();
  case Builtin::Relu:
  case Builtin::Sigmoid:
  case Builtin::Tanh:
  case Builtin::Exp:
  case Builtin::Log:
  case Builtin::Sqrt:
  case Builtin::Step:
  case Builtin::Sign: {
    if (!bindArgs(e, name, {"x"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    OpKind k = b == Builtin::Relu      ? OpKind::Relu
               : b == Builtin::Sigmoid ? OpKind::Sigmoid
               : b == Builtin::Tanh    ? OpKind::Tanh
               : b == Builtin::Exp     ? OpKind::Exp
               : b == Builtin::Log     ? OpKind::Log
               : b == Builtin::Sqrt    ? OpKind::Sqrt
               : b == Builtin::Step    ? OpKind::Step
                                       : OpKind::Sign;
    return unary(k, x, e);
  }
  case Builtin::Maximum:
  case Builtin::Minimum: {
    if (!bindArgs(e, name, {"a", "b"}, 2, a))
      return Val::error();
    Val x = eval(*a[0], ctx), y = eval(*a[1], ctx);
    return binaryOp(b == Builtin::Maximum ? OpKind::Maximum : OpKind::Minimum,
                    x, y, e, *a[0], *a[1]);
  }
  case Builtin::Softmax:
  case Builtin::LogSoftmax: {
    if (!bindArgs(e, name, {"x", "axis"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    if (x.isError())
      return x;
    TensorType t = same(x);
    if (t.rank() == 0) {
      error(e, "'" + name + "' needs a tensor of rank 1 or more");
      return Val::error();
    }
    int64_t axis = -1;
    if (a[1]) {
      std::optional<int64_t> v = evalInt(*a[1], ctx, "the axis");
      if (!v)
        return Val::error();
      axis = *v;
    }
    std::optional<int64_t> n = normAxis(axis, t, a[1] ? *a[1] : e);
    if (!n)
      return Val::error();
    return emit(b == Builtin::Softmax ? OpKind::Softmax : OpKind::LogSoftmax,
                {x.node}, t, loc, {*n});
  }
  case Builtin::Sum:
  case Builtin::Mean:
  case Builtin::Max: {
    if (!bindArgs(e, name, {"x", "axis", "keepdims"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, b == Builtin::Mean);
    if (x.isError())
      return x;
    TensorType t = same(x);
    auto axes = evalAxes(a[1], t, ctx);
    if (!axes)
      return Val::error();
    bool keep = false;
    if (a[2]) {
      std::optional<int64_t> k = evalInt(*a[2], ctx, "keepdims");
      if (!k)
        return Val::error();
      keep = *k != 0;
    }
    TensorType out;
    out.dtype = t.dtype;
    for (int64_t d = 0; d < t.rank(); ++d) {
      if (!llvm::is_contained(*axes, d))
        out.shape.push_back(t.shape[d]);
      else if (keep)
        out.shape.push_back(1);
    }
    OpKind k = b == Builtin::Sum    ? OpKind::Sum
               : b == Builtin::Mean ? OpKind::Mean
                                    : OpKind::Max;
    return emit(k, {x.node}, out, loc, *axes, 0, keep);
  }
  case Builtin::Reshape: {
    if (!bindArgs(e, name, {"x", "shape"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    auto shape = evalIntList(*a[1], ctx, "the new shape");
    if (x.isError() || !shape)
      return Val::error();
    const TensorType &t = same(x);
    int64_t count = 1;
    for (int64_t d : t.shape)
      count *= d; // Bounded by the element limit.
    int64_t known = 1;
    int inferred = -1;
    for (size_t i = 0; i < shape->size(); ++i) {
      int64_t d = (*shape)[i];
      if (d == -1 && inferred < 0) {
        inferred = static_cast<int>(i);
        continue;
      }
      if (d <= 0) {
        error(*a[1], "reshape dimensions must be positive (one may be -1), "
                     "got " +
                         Twine(d));
        return Val::error();
      }
      if (mulOverflow(known, d, known) || known > Limits::kMaxElements) {
        error(*a[1], "reshape target has too many elements");
        return Val::error();
      }
    }
    if (inferred >= 0) {
      if (count % known) {
        error(*a[1], "cannot infer the -1 dimension: " + t.str() + " has " +
                         Twine(count) + " elements, not a multiple of " +
                         Twine(known));
        return Val::error();
      }
      (*shape)[inferred] = count / known;
      known = count;
    }
    if (known != count) {
      error(*a[1], "reshape changes the element count: " + t.str() + " has " +
                       Twine(count) + " elements, the new shape " +
                       Twine(known));
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape.assign(shape->begin(), shape->end());
    if (!checkShape(out.shape, a[1]->getLoc(), a[1]->getRange()))
      return Val::error();
    return emit(OpKind::Reshape, {x.node}, out, loc);
  }
  case Builtin::Transpose: {
    if (!bindArgs(e, name, {"x", "perm"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    if (x.isError())
      return x;
    const TensorType &t = same(x);
    llvm::SmallVector<int64_t> perm;
    if (a[1]) {
      auto p = evalIntList(*a[1], ctx, "the permutation");
      if (!p)
        return Val::error();
      perm = *p;
    } else {
      for (int64_t i = t.rank() - 1; i >= 0; --i)
        perm.push_back(i);
    }
    if (static_cast<int64_t>(perm.size()) != t.rank()) {
      error(*a[1], "the permutation has " + Twine(uint64_t(perm.size())) +
                       " entries but " + t.str() + " has rank " +
                       Twine(t.rank()));
      return Val::error();
    }
    llvm::SmallVector<bool> seen(t.rank(), false);
    TensorType out;
    out.dtype = t.dtype;
    for (int64_t &p : perm) {
      if (p < 0)
        p += t.rank();
      if (p < 0 || p >= t.rank() || seen[p]) {
        error(*a[1], "not a permutation of the " + Twine(t.rank()) +
                         " dimensions of " + t.str());
        return Val::error();
      }
      seen[p] = true;
      out.shape.push_back(t.shape[p]);
    }
    return emit(OpKind::Transpose, {x.node}, out, loc, perm);
  }
  case Builtin::Broadcast: {
    if (!bindArgs(e, name, {"x", "shape"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, false);
    auto shape = evalIntList(*a[1], ctx, "the target shape");
    if (x.isError() || !shape)
      return Val::error();
    const TensorType &t = same(x);
    if (!checkShape(*shape, a[1]->getLoc(), a[1]->getRange()))
      return Val::error();
    auto result = dlc::dl::broadcastShapes(t.shape, *shape);
    if (!result ||
        llvm::ArrayRef<int64_t>(*result) != llvm::ArrayRef<int64_t>(*shape)) {
      error(e, "cannot broadcast " + t.str() + " to the shape [" +
                   textOf(a[1]->getRange()).drop_front().drop_back() + "]");
      return Val::error();
    }
    TensorType out;
    out.dtype = t.dtype;
    out.shape.assign(shape->begin(), shape->end());
    return emit(OpKind::Broadcast, {x.node}, out, loc);
  }
  case Builtin::CrossEntropy: {
    if (!bindArgs(e, name, {"logits", "labels"}, 2, a))
      return Val::error();
    Val l = tensorArg(a[0], ctx, name, true);
    Val y = tensorArg(a[1], ctx, name, false);
    if (l.isError() || y.isError())
      return Val::error();
    const TensorType &lt = same(l), &yt = same(y);
    if (lt.rank() < 1) {
      error(*a[0], "cross_entropy needs logits with a class dimension, got " +
                       lt.str());
      return Val::error();
    }
    if (isFloat(yt.dtype)) {
      error(*a[1], "cross_entropy needs integer class labels (such as i32), "
                   "got " +
                       yt.str());
      return Val::error();
    }
    if (llvm::ArrayRef<int64_t>(lt.shape).drop_back() !=
        llvm::ArrayRef<int64_t>(yt.shape)) {
      error(e, "cross_entropy labels " + yt.str() +
                   " must have the shape of the logits " + lt.str() +
                   " without the class dimension");
      return Val::error();
    }
    TensorType out;
    out.dtype = lt.dtype;
    return emit(OpKind::CrossEntropy, {l.node, y.node}, out, loc);
  }
  case Builtin::Mse: {
    if (!bindArgs(e, name, {"prediction", "target"}, 2, a))
      return Val::error();
    Val p = tensorArg(a[0], ctx, name, true);
    Val t = tensorArg(a[1], ctx, name, true);
    if (p.isError() || t.isError())
      return Val::error();
    if (same(p) != same(t)) {
      error(e, "mse needs a prediction and a target of the same type, got " +
                   same(p).str() + " and " + same(t).str());
      return Val::error();
    }
    Val d = emit(OpKind::Sub, {p.node, t.node}, same(p), loc);
    if (d.isError())
      return d;
    Val sq = emit(OpKind::Mul, {d.node, d.node}, same(p), loc);
    if (sq.isError())
      return sq;
    llvm::SmallVector<int64_t> axes;
    for (int64_t i = 0; i < same(p).rank(); ++i)
      axes.push_back(i);
    TensorType out;
    out.dtype = same(p).dtype;
    return emit(OpKind::Mean, {sq.node}, out, loc, axes);
  }
  case Builtin::OneHot: {
    if (!bindArgs(e, name, {"labels", "classes"}, 2, a))
      return Val::error();
    Val y = tensorArg(a[0], ctx, name, false);
    std::optional<int64_t> classes = evalInt(*a[1], ctx, "the class count");
    if (y.isError() || !classes)
      return Val::error();
    if (isFloat(same(y).dtype)) {
      error(*a[0], "one_hot needs integer class indices (such as i32), got " +
                       same(y).str());
      return Val::error();
    }
    if (*classes < 1) {
      error(*a[1], "one_hot needs at least one class, got " +
                       Twine(*classes));
      return Val::error();
    }
    TensorType out;
    out.dtype = DType::F32;
    out.shape = same(y).shape;
    out.shape.push_back(*classes);
    if (!checkShape(out.shape, e.getLoc(), e.getRange()))
      return Val::error();
    return emit(OpKind::OneHot, {y.node}, out, loc);
  }
  case Builtin::Zeros:
  case Builtin::Ones:
  case Builtin::Fill: {
    bool isFill = b == Builtin::Fill;
    if (!bindArgs(e, name,
                  isFill ? llvm::ArrayRef<StringRef>{"value", "shape"}
                         : llvm::ArrayRef<StringRef>{"shape"},
                  isFill ? 2 : 1, a))
      return Val::error();
    double value = b == Builtin::Ones ? 1.0 : 0.0;
    if (isFill) {
      std::optional<double> v = evalNumber(*a[0], ctx, "the fill value");
      if (!v)
        return Val::error();
      value = *v;
    }
    const Expr *shapeE = a[isFill ? 1 : 0];
    auto shape = evalIntList(*shapeE, ctx, "the shape");
    if (!shape || !checkShape(*shape, shapeE->getLoc(), shapeE->getRange()))
      return Val::error();
    if (!ctx.inst) {
      error(e, "'" + name + "' is not a constant expression");
      return Val::error();
    }
    TensorType out;
    out.dtype = DType::F32;
    out.shape.assign(shape->begin(), shape->end());
    return emit(OpKind::Fill, {}, out, loc, {}, value);
  }
  case Builtin::Concat: {
    // concat([a, b], axis = 0) or concat(a, b, axis = 0).
    std::vector<const Expr *> parts;
    const Expr *axisE = nullptr;
    for (const Arg &arg : e.args) {
      if (arg.name == "axis") {
        axisE = arg.value.get();
      } else if (!arg.name.empty()) {
        error(arg.nameLoc, "'concat' has no argument named '" + arg.name +
                               "'; its keyword argument is 'axis'");
        return Val::error();
      } else if (auto *list = dyn_cast<ListExpr>(arg.value.get());
                 list && e.args.size() <= 2) {
        for (const ExprPtr &el : list->elements)
          parts.push_back(el.get());
      } else {
        parts.push_back(arg.value.get());
      }
    }
    if (parts.empty()) {
      error(e, "'concat' needs at least one tensor");
      return Val::error();
    }
    std::vector<Val> vals;
    for (const Expr *p : parts) {
      Val v = tensorArg(p, ctx, name, false);
      if (v.isError())
        return v;
      vals.push_back(v);
    }
    TensorType out = same(vals[0]);
    int64_t axis = 0;
    if (axisE) {
      std::optional<int64_t> v = evalInt(*axisE, ctx, "the axis");
      if (!v)
        return Val::error();
      axis = *v;
    }
    if (out.rank() == 0) {
      error(*parts[0], "'concat' needs tensors of rank 1 or more");
      return Val::error();
    }
    std::optional<int64_t> n = normAxis(axis, out, axisE ? *axisE : e);
    if (!n)
      return Val::error();
    llvm::SmallVector<int> ops{vals[0].node};
    for (size_t i = 1; i < vals.size(); ++i) {
      const TensorType &t = same(vals[i]);
      bool match = t.dtype == out.dtype && t.rank() == out.rank();
      for (int64_t d = 0; match && d < t.rank(); ++d)
        match = d == *n || t.shape[d] == out.shape[d];
      if (!match) {
        error(*parts[i], "cannot concatenate " + t.str() + " with " +
                             same(vals[0]).str() + " along axis " + Twine(*n));
        return Val::error();
      }
      out.shape[*n] += t.shape[*n];
      ops.push_back(vals[i].node);
    }
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Concat, ops, out, loc, {*n});
  }
  case Builtin::Conv2d: {
    if (!bindArgs(e, name, {"x", "w", "stride", "padding"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    Val w = tensorArg(a[1], ctx, name, true);
    if (x.isError() || w.isError())
      return Val::error();
    int64_t stride = 1, pad = 0;
    if (a[2]) {
      auto v = evalInt(*a[2], ctx, "the stride");
      if (!v)
        return Val::error();
      stride = *v;
    }
    if (a[3]) {
      auto v = evalInt(*a[3], ctx, "the padding");
      if (!v)
        return Val::error();
      pad = *v;
    }
    const TensorType &xt = same(x), &wt = same(w);
    if (xt.rank() != 4 || wt.rank() != 4 || xt.dtype != wt.dtype) {
      error(e, "conv2d needs x: [N, C, H, W] and w: [O, C, KH, KW] of one "
               "element type, got " +
                   xt.str() + " and " + wt.str());
      return Val::error();
    }
    if (xt.shape[1] != wt.shape[1]) {
      error(e, "conv2d channel mismatch: x " + xt.str() + " has " +
                   Twine(xt.shape[1]) + " channels but w " + wt.str() +
                   " expects " + Twine(wt.shape[1]));
      return Val::error();
    }
    if (stride < 1 || pad < 0 || pad > (int64_t(1) << 20)) {
      error(e, "conv2d needs stride >= 1 and a padding >= 0");
      return Val::error();
    }
    int64_t oh = (xt.shape[2] + 2 * pad - wt.shape[2]) / stride + 1;
    int64_t ow = (xt.shape[3] + 2 * pad - wt.shape[3]) / stride + 1;
    if (xt.shape[2] + 2 * pad < wt.shape[2] ||
        xt.shape[3] + 2 * pad < wt.shape[3]) {
      error(e, "conv2d kernel " + wt.str() +
                   " is larger than the padded "
                   "input " +
                   xt.str());
      return Val::error();
    }
    TensorType out;
    out.dtype = xt.dtype;
    out.shape = {xt.shape[0], wt.shape[0], oh, ow};
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Conv2d, {x.node, w.node}, out, loc, {stride, pad});
  }
  case Builtin::MaxPool2d:
  case Builtin::AvgPool2d: {
    if (!bindArgs(e, name, {"x", "size", "stride", "padding"}, 2, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    auto size = evalInt(*a[1], ctx, "the window size");
    if (x.isError() || !size)
      return Val::error();
    int64_t stride = *size, pad = 0;
    if (a[2]) {
      auto v = evalInt(*a[2], ctx, "the stride");
      if (!v)
        return Val::error();
      stride = *v;
    }
    if (a[3]) {
      auto v = evalInt(*a[3], ctx, "the padding");
      if (!v)
        return Val::error();
      pad = *v;
    }
    const TensorType &t = same(x);
    if (t.rank() != 4) {
      error(e, "'" + name + "' needs x: [N, C, H, W], got " + t.str());
      return Val::error();
    }
    if (*size < 1 || stride < 1 || pad < 0 || pad * 2 > *size ||
        t.shape[2] + 2 * pad < *size || t.shape[3] + 2 * pad < *size) {
      error(e, "'" + name + "' window " + Twine(*size) + " (stride " +
                   Twine(stride) + ", padding " + Twine(pad) +
                   ") does not fit " + t.str());
      return Val::error();
    }
    TensorType out = t;
    out.shape[2] = (t.shape[2] + 2 * pad - *size) / stride + 1;
    out.shape[3] = (t.shape[3] + 2 * pad - *size) / stride + 1;
    return emit(b == Builtin::MaxPool2d ? OpKind::MaxPool2d : OpKind::AvgPool2d,
                {x.node}, out, loc, {*size, stride, pad});
  }
  case Builtin::BatchNorm:
  case Builtin::LayerNorm: {
    if (!bindArgs(e, name, {"x", "gamma", "beta", "eps"}, 3, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    Val g = tensorArg(a[1], ctx, name, true);
    Val be = tensorArg(a[2], ctx, name, true);
    if (x.isError() || g.isError() || be.isError())
      return Val::error();
    double eps = 1e-5;
    if (a[3]) {
      auto v = evalNumber(*a[3], ctx, "eps");
      if (!v)
        return Val::error();
      eps = *v;
    }
    const TensorType &t = same(x);
    bool isBatch = b == Builtin::BatchNorm;
    if (t.rank() < (isBatch ? 2 : 1)) {
      error(*a[0], "'" + name + "' needs x of rank " +
                       (isBatch ? "2 ([N, C, ...])" : "1") + " or more, got " +
                       t.str());
      return Val::error();
    }
    int64_t features = isBatch ? t.shape[1] : t.shape.back();
    for (const Val *p : {&g, &be}) {
      const TensorType &pt = same(*p);
      if (pt.rank() != 1 || pt.shape[0] != features || pt.dtype != t.dtype) {
        error(e, "'" + name + "' needs gamma and beta of type " +
                     spell(t.dtype) + "[" + Twine(features) + "] for x " +
                     t.str() + ", got " + pt.str());
        return Val::error();
      }
    }
    if (!(eps > 0)) {
      error(*a[3], "eps must be positive");
      return Val::error();
    }
    return emit(isBatch ? OpKind::BatchNorm : OpKind::LayerNorm,
                {x.node, g.node, be.node}, t, loc, {}, eps);
  }
  case Builtin::Embedding: {
    if (!bindArgs(e, name, {"table", "ids"}, 2, a))
      return Val::error();
    Val table = tensorArg(a[0], ctx, name, true);
    Val ids = tensorArg(a[1], ctx, name, false);
    if (table.isError() || ids.isError())
      return Val::error();
    const TensorType &tt = same(table), &it = same(ids);
    if (tt.rank() != 2) {
      error(*a[0], "embedding needs a table [V, D], got " + tt.str());
      return Val::error();
    }
    if (isFloat(it.dtype)) {
      error(*a[1], "embedding needs integer ids, got " + it.str());
      return Val::error();
    }
    TensorType out = it;
    out.dtype = tt.dtype;
    out.shape.push_back(tt.shape[1]);
    if (!checkShape(out.shape, loc, e.getRange()))
      return Val::error();
    return emit(OpKind::Embedding, {table.node, ids.node}, out, loc);
  }
  case Builtin::Dropout: {
    if (!bindArgs(e, name, {"x", "p"}, 1, a))
      return Val::error();
    Val x = tensorArg(a[0], ctx, name, true);
    if (x.isError())
      return x;
    double p = 0.5;
    if (a[1]) {
      auto v = evalNumber(*a[1], ctx, "the drop probability");
      if (!v)
        return Val::error();
      p = *v;
    }
    if (!(p >= 0 && p < 1)) {
      error(a[1] ? *a[1] : e, "the drop probability must be in [0, 1)");
      return Val::error();
    }
    return emit(OpKind::Dropout, {x.node}, same(x), loc, {}, p);
  }
  case Builtin::Attention: {
    if (!bindArgs(e, name, {"q", "k", "v", "causal"}, 3, a))
      return Val::error();
    Val q = tensorArg(a[0], ctx, name, true);
    Val k = tensorArg(a[1], ctx, name, true);
    Val v = tensorArg(a[2], ctx, name, true);
    if (q.isError() || k.isError() || v.isError())
      return Val::error();
    bool causal = false;
    if (a[3]) {
      auto c = evalInt(*a[3], ctx, "causal");
      if (!c)
        return Val::error();
      causal = *c != 0;
    }
    const TensorType &qt = same(q), &kt = same(k), &vt = same(v);
    int64_t r = qt.rank();
    bool ok = r >= 2 && kt.rank() == r && vt.rank() == r &&
              qt.dtype == kt.dtype && qt.dtype == vt.dtype;
    if (ok) {
      auto qb = llvm::ArrayRef<int64_t>(qt.shape).drop_back(2);
      ok = qb == llvm::ArrayRef<int64_t>(kt.shape).drop_back(2) &&
           qb == llvm::ArrayRef<int64_t>(vt.shape).drop_back(2) &&
           qt.shape[r - 1] == kt.shape[r - 1] &&
           kt.shape[r - 2] == vt.shape[r - 2];
    }
    if (!ok) {
      error(e, "attention needs q [..., Tq, D], k [..., Tk, D] and v [..., "
               "Tk, Dv] with equal batch dimensions, got " +
                   qt.str() + ", " + kt.str() + " and " + vt.str());
      return Val::error();
    }
    TensorType out = qt;
    out.shape[r - 1] = vt.shape[r - 1];
    return emit(OpKind::Attention, {q.node, k.node, v.node}, out, loc, {}, 0,
                causal);
  }
  case Builtin::Repeat: {
    if (!ctx.allowTemplates) {
      error(e, "'repeat' creates layer instances; use it in a member "
               "declaration such as 'blocks = repeat(6, Block(512))'");
      return Val::error();
    }
    if (!bindArgs(e, name, {"count", "layer"}, 2, a))
      return Val::error();
    auto n = evalInt(*a[0], ctx, "the repeat count");
    if (!n)
      return Val::error();
    if (*n < 1 || *n > Limits::kMaxRepeat) {
      error(*a[0], "the repeat count must be in [1, " +
                       Twine(Limits::kMaxRepeat) + "], got " + Twine(*n));
      return Val::error();
    }
    Val t = eval(*a[1], ctx);
    if (t.isError())
      return t;
    if (t.kind != Val::Kind::Layer || !t.applied || t.repeat != 0) {
      error(*a[1], "'repeat' needs a layer with its arguments, like "
                   "'Block(512, 8)', got " +
                       describe(t));
      return Val::error();
    }
    t.repeat = *n;
    return t;
  }
  }
  return Val::error();
}

//===----------------------------------------------------------------------===//
// Sema
//===----------------------------------------------------------------------===//

bool Sema::check(const Program &program) {
  if (program.units.empty() || program.mainUnit >= program.units.size())
    return false;
  Checker checker(diags, program);
  return checker.run(models);
}
