//===- SemaInternal.h - the checker's private declarations ------*- C++ -*-===//
//
// Part of dlc. Private to the Sema*.cpp files: the values, bindings, scopes
// and layer instances of the abstract interpreter, and the Checker that
// walks a program. Sema is an abstract interpreter over types: it walks each
// model's declarations and forward block, instantiates layers with their
// concrete arguments (monomorphization), binds dimension variables of layer
// signatures at each call, and appends one typed Node per operation to the
// model's CheckedModel. Every check that can fail reports a located error
// and yields an `error` value that later checks silently accept, so one run
// reports many independent errors without cascades.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_SEMAINTERNAL_H
#define DLC_FRONTEND_SEMAINTERNAL_H

#include "Frontend/Sema.h"
#include "DL/IR/DLShapes.h"
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

// The names the Sema*.cpp files use unqualified (they say `using namespace
// dlc::frontend::sema`).
namespace dlc::frontend::sema {
namespace shapes = dlc::dl::shapes;
using namespace dlc::frontend;
using namespace dlc::frontend::ast;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;
using llvm::SMLoc;
using llvm::SMRange;
using llvm::StringRef;
using llvm::Twine;
} // namespace dlc::frontend::sema

//===----------------------------------------------------------------------===//
// Values and scopes
//===----------------------------------------------------------------------===//

namespace dlc::frontend::sema {

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

inline StringRef spell(BindKind kind) {
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
  /// A `require` of its layer failed: the instance is not made (the error
  /// said why; nothing more is reported of it).
  bool requirementFailed = false;
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
  /// Nesting depth of `if` statements in this body (a layer call or scan
  /// inside an `if` starts its own body at 0).
  unsigned ifDepth = 0;
  // Forward only.
  const LossStmt *loss = nullptr;
  std::vector<const MetricStmt *> metrics;
};

/// Builtin functions usable in expressions (Builtins.def).
enum class Builtin {
  None,
#define ELEMENTWISE_UNARY(name, Kind, DLOp) Kind,
#define ELEMENTWISE_BINARY(name, Kind, DLOp) Kind,
#define BUILTIN(name, Kind) Kind,
#include "Frontend/Builtins.def"
};

/// The names of all builtins, for "did you mean" suggestions.
inline constexpr llvm::StringLiteral kBuiltinNames[] = {
#define ELEMENTWISE_UNARY(name, Kind, DLOp) #name,
#define ELEMENTWISE_BINARY(name, Kind, DLOp) #name,
#define BUILTIN(name, Kind) #name,
#include "Frontend/Builtins.def"
};

/// The builtin called `name`, or Builtin::None.
inline Builtin lookupBuiltin(StringRef name) {
  return llvm::StringSwitch<Builtin>(name)
#define ELEMENTWISE_UNARY(name, Kind, DLOp) .Case(#name, Builtin::Kind)
#define ELEMENTWISE_BINARY(name, Kind, DLOp) .Case(#name, Builtin::Kind)
#define BUILTIN(name, Kind) .Case(#name, Builtin::Kind)
#include "Frontend/Builtins.def"
      .Default(Builtin::None);
}

/// Names that are only meaningful in one place, for better messages.
inline bool isInitializerName(StringRef n) {
  return llvm::is_contained({"zeros", "ones", "constant", "uniform", "normal",
                             "glorot", "xavier", "he", "kaiming"},
                            n);
}

/// The source text of `range`.
inline StringRef textOf(SMRange range) {
  if (!range.isValid() || range.End.getPointer() < range.Start.getPointer())
    return "";
  return StringRef(range.Start.getPointer(),
                   range.End.getPointer() - range.Start.getPointer());
}

inline bool mulOverflow(int64_t a, int64_t b, int64_t &out) {
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
    noteInstantiations();
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
  /// Notes, innermost first, the members `name = Layer(...)` whose layer
  /// is being instantiated (an error in a layer's members points at the
  /// user's line).
  void noteInstantiations() {
    for (auto it = instantiations.rbegin(); it != instantiations.rend(); ++it)
      diags.note(it->range.Start,
                 "in the instance '" + it->name + "' of layer '" + it->layer +
                     "' here",
                 it->range);
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
  /// Appends a node; its attributes by name (attr::k...).
  Val emit(OpKind kind, llvm::ArrayRef<int> operands, TensorType type,
           SMLoc loc, llvm::ArrayRef<NodeAttr> attrs = {});
  const TensorType &typeOf(const Val &v) { return model->nodes[v.node].type; }
  bool checkShape(llvm::ArrayRef<int64_t> shape, SMLoc loc, SMRange range);

  //--- Declarations
  //-------------------------------------------------------===//
  void checkModel(const ModelDecl &decl);
  /// Reports a failed `require` (at its condition; the instantiation is
  /// noted).
  /// Returns whether it holds (or could not be evaluated: reported).
  bool checkRequire(const RequireDecl &r, Ctx &ctx);
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
  /// A window parameter of `builtin` (conv2d, pooling): absent (`dflt`),
  /// one int for both spatial dimensions, or [h, w].
  bool evalWindowPair(const Expr *e, int64_t dflt, StringRef builtin,
                      StringRef what, int64_t (&out)[2], Ctx &ctx);
  std::optional<int64_t> normAxis(int64_t axis, const TensorType &t,
                                  const Expr &where);
  /// The axis argument E of a builtin over T (DEFAULT when E is null),
  /// normalized by normAxis; errors at E, else at WHERE.
  std::optional<int64_t> evalAxis(const Expr *e, int64_t dflt,
                                  const TensorType &t, const Expr &where,
                                  Ctx &ctx);
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
  /// The layer instantiations under way, outermost first.
  struct Instantiation {
    SMRange range;
    std::string name, layer;
  };
  std::vector<Instantiation> instantiations;
  unsigned evalDepth = 0;
  bool tooLarge = false;
  llvm::StringMap<size_t> stateUpdateIndex;
  llvm::StringSet<> outputNames;
  /// The mode the statements being checked run in: both, or only one inside
  /// a branch of `if training`.
  enum class Mode { Both, Training, Inference } mode = Mode::Both;
  /// The log of the innermost `if training` branch being checked, or null.
  BranchLog *branchLog = nullptr;
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

} // namespace dlc::frontend::sema

#endif // DLC_FRONTEND_SEMAINTERNAL_H
