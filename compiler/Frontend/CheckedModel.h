//===- CheckedModel.h - the checked model, Sema's result --------*- C++ -*-===//
//
// Part of dlc. The contract between Sema and MLIRGen: one CheckedModel per
// model, a flat, fully typed graph of nodes (each one future `dl` op) with
// the model's arguments, results, metrics and training configuration.
// MLIRGen translates it to MLIR one node at a time and never re-checks
// anything.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_CHECKEDMODEL_H
#define DLC_FRONTEND_CHECKEDMODEL_H

#include "dlrt/abi.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <optional>
#include <string>
#include <utility>
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

/// Operations of the checked graph (OpKinds.def). Each becomes one `dl` op
/// (or a short sequence); the pending ones have no `dl` op yet and MLIRGen
/// reports them as not supported.
enum class OpKind {
#define NODE(Kind, spelling) Kind,
#include "Frontend/OpKinds.def"
};

/// The names of node attributes (Node::attrs), declared once.
namespace attr {
/// Arg: the index of its ModelArg.
inline constexpr llvm::StringLiteral kArg = "arg";
/// Fill: the value (a float).
inline constexpr llvm::StringLiteral kValue = "value";
/// Reductions: the reduced axes, and whether they are kept (a flag).
inline constexpr llvm::StringLiteral kAxes = "axes";
inline constexpr llvm::StringLiteral kKeepDims = "keepdims";
/// Transpose: the permutation.
inline constexpr llvm::StringLiteral kPerm = "perm";
/// Softmax, LogSoftmax, Concat, Scan: the axis.
inline constexpr llvm::StringLiteral kAxis = "axis";
/// Slice: per dimension start, size, step, keep.
inline constexpr llvm::StringLiteral kSlices = "slices";
/// Convolution and pooling windows.
inline constexpr llvm::StringLiteral kSize = "size";
inline constexpr llvm::StringLiteral kStride = "stride";
inline constexpr llvm::StringLiteral kPadding = "padding";
inline constexpr llvm::StringLiteral kDilation = "dilation";
inline constexpr llvm::StringLiteral kGroups = "groups";
/// Normalizations: epsilon (a float).
inline constexpr llvm::StringLiteral kEps = "eps";
/// Dropout: the rate (a float).
inline constexpr llvm::StringLiteral kP = "p";
/// CrossEntropy: the label of positions that do not count (when given).
inline constexpr llvm::StringLiteral kIgnoreIndex = "ignore_index";
/// Attention: causal masking (a flag).
inline constexpr llvm::StringLiteral kCausal = "causal";
/// Scan: the number of sequences, of carries, and the length.
inline constexpr llvm::StringLiteral kScan = "scan";
/// ScanArg: the index among the sequences, then carries; ScanResult: the
/// index among the scan's results (the final carries, then the stacks).
inline constexpr llvm::StringLiteral kIndex = "index";
} // namespace attr

/// A named attribute of a node: integers, or a float.
struct NodeAttr {
  llvm::StringRef name;
  llvm::SmallVector<int64_t, 2> ints;
  double f = 0;

  static NodeAttr ofInts(llvm::StringRef name, llvm::ArrayRef<int64_t> v) {
    return {name, llvm::SmallVector<int64_t, 2>(v.begin(), v.end()), 0};
  }
  static NodeAttr ofInt(llvm::StringRef name, int64_t v) {
    return {name, {v}, 0};
  }
  static NodeAttr ofFloat(llvm::StringRef name, double v) {
    return {name, {}, v};
  }
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
  /// Named attributes (OpKinds.def says which kind has which).
  llvm::SmallVector<NodeAttr, 1> attrs;
  /// The Scan node whose body holds this node, or -1 at the top level.
  int region = -1;
  /// For Scan: the body values, the final carries first, then the yields.
  llvm::SmallVector<int, 2> regionResults;

  /// The attribute `name`, or null.
  const NodeAttr *find(llvm::StringRef name) const {
    for (const NodeAttr &a : attrs)
      if (a.name == name)
        return &a;
    return nullptr;
  }
  /// The integers of attribute `name` (empty when absent).
  llvm::ArrayRef<int64_t> ints(llvm::StringRef name) const {
    const NodeAttr *a = find(name);
    return a ? llvm::ArrayRef<int64_t>(a->ints) : llvm::ArrayRef<int64_t>();
  }
  /// The first integer of attribute `name` (0 when absent).
  int64_t getInt(llvm::StringRef name) const {
    llvm::ArrayRef<int64_t> v = ints(name);
    return v.empty() ? 0 : v.front();
  }
  /// Whether the flag `name` is set.
  bool getFlag(llvm::StringRef name) const { return getInt(name) != 0; }
  /// The float attribute `name` (0 when absent).
  double getFloat(llvm::StringRef name) const {
    const NodeAttr *a = find(name);
    return a ? a->f : 0;
  }
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
  /// "argmax" (integer class labels), "sequence" (sequence_accuracy: all
  /// positions of an example right at once) or "threshold" (same-shape
  /// targets).
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

} // namespace dlc::frontend

#endif // DLC_FRONTEND_CHECKEDMODEL_H
