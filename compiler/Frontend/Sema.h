//===- Sema.h - semantic analysis of .dl programs ---------------*- C++ -*-===//
//
// Part of dlc. Sema resolves every name, evaluates constants, instantiates
// (monomorphizes) layers, binds dimension variables and checks every shape
// and element type of every model in a program. Its result is one
// CheckedModel per model: a flat, fully typed graph of nodes (each one future
// `dl` op) with the model's arguments, results, metrics and training
// configuration. MLIRGen translates a CheckedModel to MLIR one node at a time
// and never needs to re-check anything.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_SEMA_H
#define DLC_FRONTEND_SEMA_H

#include "Frontend/AST.h"
#include "Frontend/Diagnostics.h"
#include "dlrt/abi.h"

#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dlc::frontend {

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// Element types of .dl tensors.
enum class DType { F16, BF16, F32, F64, I8, I16, I32, I64 };

/// True for the floating-point element types.
bool isFloat(DType dtype);
/// The .dl spelling of `dtype`: "f32", "i32", ...
llvm::StringRef spell(DType dtype);
/// Parses a .dl element type name.
std::optional<DType> parseDType(llvm::StringRef name);

/// A statically shaped tensor type; rank 0 is a scalar.
struct TensorType {
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t, 4> shape;

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  bool operator==(const TensorType &o) const {
    return dtype == o.dtype && shape == o.shape;
  }
  bool operator!=(const TensorType &o) const { return !(*this == o); }
  /// The .dl spelling: "f32[64, 784]".
  std::string str() const;
};

/// Limits that keep hostile programs from exhausting memory or time.
struct Limits {
  /// Largest number of elements of one tensor (2^40).
  static constexpr int64_t kMaxElements = int64_t(1) << 40;
  /// Largest rank of a tensor: what the C ABI's descriptors hold
  /// (DLC_MAX_RANK, runtime/include/dlrt/abi.h).
  static constexpr int64_t kMaxRank = DLC_MAX_RANK;
  /// Largest number of graph nodes of one model.
  static constexpr size_t kMaxNodes = 1000000;
  /// Largest number of layer instances of one model.
  static constexpr size_t kMaxInstances = 100000;
  /// Deepest nesting of layer instantiation.
  static constexpr unsigned kMaxInstanceDepth = 32;
  /// Deepest recursion of expression evaluation (including layer calls).
  static constexpr unsigned kMaxEvalDepth = 1000;
  /// Largest `repeat` count.
  static constexpr int64_t kMaxRepeat = 4096;
};

//===----------------------------------------------------------------------===//
// The checked, monomorphized model
//===----------------------------------------------------------------------===//

/// Operations of the checked graph. Each becomes one `dl` op (or a short
/// sequence); the ones marked "pending" have no `dl` op yet and MLIRGen
/// reports them as not supported.
enum class OpKind {
  Arg,  ///< A function argument; ints[0] is the ModelArg index.
  Fill, ///< A tensor of `value`.
  Matmul,
  Add,
  Sub,
  Mul,
  Div,
  Maximum,
  Minimum,
  Neg,
  Relu,
  Sigmoid,
  Tanh,
  Exp,
  Log,
  Sqrt,
  Step,
  Sign,
  Sum,  ///< ints: axes; flag: keepdims.
  Mean, ///< ints: axes; flag: keepdims.
  Max,  ///< ints: axes; flag: keepdims.
  Reshape,
  Transpose, ///< ints: perm.
  Broadcast,
  Softmax,    ///< ints[0]: axis.
  LogSoftmax, ///< ints[0]: axis.
  CrossEntropy,
  OneHot,     ///< The result's last dimension is the number of classes.
  ModeSelect, ///< operands: the training value, the inference value.
  // Pending: checked now, lowered once their dl ops exist.
  Slice,     ///< ints: per dim (start, size, step, keep).
  Concat,    ///< ints[0]: axis.
  Conv2d,    ///< ints: stride, padding.
  MaxPool2d, ///< ints: size, stride, padding.
  AvgPool2d, ///< ints: size, stride, padding.
  BatchNorm, ///< value: eps.
  LayerNorm, ///< value: eps.
  Embedding,
  Dropout,    ///< value: p.
  Attention,  ///< flag: causal.
  Scan,       ///< ints: axis, #sequences, #carries, length; see Node.
  ScanArg,    ///< Inside a scan body: ints[0] indexes sequences then carries.
  ScanResult, ///< operands[0] is the Scan; ints[0] the yield index.
};

/// Returns the lower-case name of `kind` ("matmul", "conv2d", ...).
llvm::StringRef spell(OpKind kind);

/// A source location plus the chain of layer call sites that led to it.
struct SourceLoc {
  llvm::SMLoc loc;
  /// Index of the call site's SourceLoc, or -1 at the top level.
  int caller = -1;
  /// For call sites: the name of the called layer instance ("l1").
  std::string calleeName;
};

/// One node of the checked graph; it has exactly one result of `type`.
struct Node {
  OpKind kind = OpKind::Fill;
  llvm::SmallVector<int, 2> operands;
  TensorType type;
  /// Index into CheckedModel::locs.
  int loc = -1;
  /// Integer attributes (axes, permutation, ...), see OpKind.
  llvm::SmallVector<int64_t, 4> ints;
  /// Floating-point attribute (fill value, eps, dropout rate).
  double value = 0;
  /// Boolean attribute (keepdims, causal).
  bool flag = false;
  /// The Scan node whose body holds this node, or -1 at the top level.
  int region = -1;
  /// For Scan: the body values, the final carries first, then the yields.
  llvm::SmallVector<int, 2> regionResults;
};

/// A named numeric attribute (initializer and optimizer arguments).
struct NumAttr {
  std::string name;
  double value = 0;
  bool isInt = false;
};

/// A configuration value: a number, a string or a nested dictionary.
struct ConfigValue {
  enum class Kind { Int, Float, String, Dict } kind = Kind::Int;
  int64_t i = 0;
  double f = 0;
  std::string s;
  std::vector<std::pair<std::string, ConfigValue>> dict;

  static ConfigValue ofInt(int64_t v) {
    ConfigValue c;
    c.i = v;
    return c;
  }
  static ConfigValue ofFloat(double v) {
    ConfigValue c;
    c.kind = Kind::Float;
    c.f = v;
    return c;
  }
  static ConfigValue ofString(std::string v) {
    ConfigValue c;
    c.kind = Kind::String;
    c.s = std::move(v);
    return c;
  }
};

/// A function argument of the generated `forward` function.
struct ModelArg {
  enum class Kind { Input, Label, Param, State } kind = Kind::Input;
  /// Hierarchical name: "x", "l1.W", "blocks.0.W".
  std::string name;
  TensorType type;
  /// The Arg node.
  int node = -1;
  int loc = -1;
  /// For params and states: the initializer kind and its arguments.
  std::string initKind;
  std::vector<NumAttr> initArgs;
};

/// A named result of `forward`.
struct ModelResult {
  std::string name;
  int node = -1;
  int loc = -1;
};

/// A metric the runtime computes from an output and a label.
struct Metric {
  std::string kind;
  std::string name;
  std::string output;
  std::string label;
  /// "argmax" (integer class labels) or "threshold" (same-shape targets).
  std::string mode;
  std::vector<NumAttr> args;
};

/// The checked, monomorphized form of one model.
struct CheckedModel {
  std::string name;
  llvm::SMLoc loc;
  std::vector<Node> nodes;
  std::vector<SourceLoc> locs;
  std::vector<ModelArg> args;
  /// The loss (a 0-d float tensor).
  ModelResult loss;
  std::vector<ModelResult> outputs;
  /// Final values of updated states, named like the state.
  std::vector<ModelResult> stateUpdates;
  std::vector<Metric> metrics;
  /// The training configuration; empty when the model has no train block.
  std::vector<std::pair<std::string, ConfigValue>> train;
};

//===----------------------------------------------------------------------===//
// Programs and Sema
//===----------------------------------------------------------------------===//

/// A program: the main file and everything it imports, dependencies first.
struct Program {
  struct Unit {
    std::unique_ptr<ast::Module> module;
    /// The name other files use to qualify its declarations (`nn`).
    std::string alias;
  };
  std::vector<Unit> units;
  /// Index of the main file in `units`.
  size_t mainUnit = 0;
};

/// Checks programs and produces CheckedModels.
class Sema {
public:
  explicit Sema(DiagEngine &diags) : diags(diags) {}

  /// Checks `program`: all declarations of every file and every model of the
  /// main file. Returns false if any error was reported.
  bool check(const Program &program);

  /// The checked models of the main file (valid when check() succeeded; on
  /// failure some may be missing or partial).
  std::vector<std::unique_ptr<CheckedModel>> &getModels() { return models; }

private:
  DiagEngine &diags;
  std::vector<std::unique_ptr<CheckedModel>> models;
};

} // namespace dlc::frontend

#endif // DLC_FRONTEND_SEMA_H
