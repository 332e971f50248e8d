//===- AST.h - abstract syntax tree of the .dl language ---------*- C++ -*-===//
//
// Part of dlc. The Parser produces one ast::Module per .dl file. Nodes own
// their children through std::unique_ptr and remember their source range so
// that Sema can point diagnostics at them. Node classes use LLVM-style RTTI
// (a kind field and classof) so that llvm::isa/dyn_cast work without C++ RTTI.
//
// The parser bounds the nesting depth of expressions and blocks, so recursive
// walks (including the destructors) cannot overflow the stack.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_AST_H
#define DLC_FRONTEND_AST_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dlc::frontend::ast {

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

/// Base class of expressions.
class Expr {
public:
  /// The concrete expression classes.
  enum class Kind {
    Int,
    Float,
    String,
    Name,
    Unary,
    Binary,
    Call,
    Member,
    Index,
    Slice,
    List,
    Scan
  };

  Expr(Kind kind, llvm::SMRange range) : kind(kind), range(range) {}
  virtual ~Expr() = default;

  /// The concrete class of this node.
  Kind getKind() const { return kind; }
  /// The source range of the whole expression.
  llvm::SMRange getRange() const { return range; }
  /// The location diagnostics point at (the operator for binary
  /// expressions, the start otherwise).
  virtual llvm::SMLoc getLoc() const { return range.Start; }

private:
  Kind kind;
  llvm::SMRange range;
};

/// Owning pointer to an expression.
using ExprPtr = std::unique_ptr<Expr>;

/// An integer literal: `784`.
class IntExpr : public Expr {
public:
  IntExpr(llvm::SMRange range, int64_t value)
      : Expr(Kind::Int, range), value(value) {}
  int64_t value;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Int; }
};

/// A float literal: `1e-3`.
class FloatExpr : public Expr {
public:
  FloatExpr(llvm::SMRange range, double value)
      : Expr(Kind::Float, range), value(value) {}
  double value;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Float; }
};

/// A string literal: `"layers.dl"` (the value has its escapes resolved).
class StringExpr : public Expr {
public:
  StringExpr(llvm::SMRange range, std::string value)
      : Expr(Kind::String, range), value(std::move(value)) {}
  std::string value;
  static bool classof(const Expr *e) { return e->getKind() == Kind::String; }
};

/// A use of a name: `x`, `relu`, `Linear`.
class NameExpr : public Expr {
public:
  NameExpr(llvm::SMRange range, std::string name)
      : Expr(Kind::Name, range), name(std::move(name)) {}
  std::string name;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Name; }
};

/// Unary minus: `-x`.
class UnaryExpr : public Expr {
public:
  UnaryExpr(llvm::SMRange range, ExprPtr operand)
      : Expr(Kind::Unary, range), operand(std::move(operand)) {}
  ExprPtr operand;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Unary; }
};

/// Binary operators, in the order of the token kinds.
enum class BinaryOp { Add, Sub, Mul, Div, Mod, MatMul };

/// Returns the source spelling of `op`: "+", "@", ...
llvm::StringRef spell(BinaryOp op);

/// A binary expression: `x @ W`, `a + b`.
class BinaryExpr : public Expr {
public:
  BinaryExpr(llvm::SMRange range, BinaryOp op, llvm::SMLoc opLoc, ExprPtr lhs,
             ExprPtr rhs)
      : Expr(Kind::Binary, range), op(op), opLoc(opLoc), lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  BinaryOp op;
  llvm::SMLoc opLoc;
  ExprPtr lhs, rhs;
  llvm::SMLoc getLoc() const override { return opLoc; }
  static bool classof(const Expr *e) { return e->getKind() == Kind::Binary; }
};

/// One argument of a call: positional (`name` empty) or keyword (`axis=1`).
struct Arg {
  std::string name;
  llvm::SMLoc nameLoc;
  ExprPtr value;
};

/// A call: `relu(x)`, `softmax(x, axis=-1)`, `l1(x)`, `Linear(784, 256)`.
class CallExpr : public Expr {
public:
  CallExpr(llvm::SMRange range, ExprPtr callee, std::vector<Arg> args)
      : Expr(Kind::Call, range), callee(std::move(callee)),
        args(std::move(args)) {}
  ExprPtr callee;
  std::vector<Arg> args;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Call; }
};

/// Member access: `x.T`, `nn.Linear`.
class MemberExpr : public Expr {
public:
  MemberExpr(llvm::SMRange range, ExprPtr base, std::string member,
             llvm::SMLoc memberLoc)
      : Expr(Kind::Member, range), base(std::move(base)),
        member(std::move(member)), memberLoc(memberLoc) {}
  ExprPtr base;
  std::string member;
  llvm::SMLoc memberLoc;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Member; }
};

/// A slice inside a subscript: `start:stop:step`, each part optional.
class SliceExpr : public Expr {
public:
  SliceExpr(llvm::SMRange range, ExprPtr start, ExprPtr stop, ExprPtr step)
      : Expr(Kind::Slice, range), start(std::move(start)),
        stop(std::move(stop)), step(std::move(step)) {}
  ExprPtr start, stop, step;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Slice; }
};

/// Indexing and slicing: `x[:, 0:10]`, `x[0]`.
class IndexExpr : public Expr {
public:
  IndexExpr(llvm::SMRange range, ExprPtr base, std::vector<ExprPtr> subscripts)
      : Expr(Kind::Index, range), base(std::move(base)),
        subscripts(std::move(subscripts)) {}
  ExprPtr base;
  /// Each subscript is an index expression or a SliceExpr.
  std::vector<ExprPtr> subscripts;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Index; }
};

/// A list: `[B, 784]`, `[1, 0]`.
class ListExpr : public Expr {
public:
  ListExpr(llvm::SMRange range, std::vector<ExprPtr> elements)
      : Expr(Kind::List, range), elements(std::move(elements)) {}
  std::vector<ExprPtr> elements;
  static bool classof(const Expr *e) { return e->getKind() == Kind::List; }
};

class Stmt;
/// Owning pointer to a statement.
using StmtPtr = std::unique_ptr<Stmt>;

/// A `{ ... }` statement list.
struct Block {
  llvm::SMRange range;
  std::vector<StmtPtr> stmts;
};

/// A name bound to an expression: a scan's `x_t in x` or `h = h0`.
struct Binding {
  std::string name;
  llvm::SMRange nameRange;
  ExprPtr value;
};

/// A recurrence over a time axis:
/// `scan x_t in x along 1 carry (h = h0) { h = ...; yield h }`.
class ScanExpr : public Expr {
public:
  ScanExpr(llvm::SMRange range) : Expr(Kind::Scan, range) {}
  /// The sequences walked in lockstep (`x_t in x`).
  std::vector<Binding> sequences;
  /// `scan length T`: the number of steps of a scan without sequences (then
  /// `sequences` is empty); null otherwise.
  ExprPtr length;
  /// The time axis (`along 1`); null means axis 0.
  ExprPtr along;
  /// The loop-carried values and their initial values (`carry (h = h0)`).
  std::vector<Binding> carries;
  /// The step body; it ends with `yield`.
  Block body;
  static bool classof(const Expr *e) { return e->getKind() == Kind::Scan; }
};

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

/// A tensor type: `f32[B, 784]`, `i32[B]`, `f32[]`.
struct TypeExpr {
  std::string dtype;
  llvm::SMRange dtypeRange;
  std::vector<ExprPtr> dims;
  llvm::SMRange range;
};

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

/// Base class of statements (inside forward, fn and scan bodies).
class Stmt {
public:
  /// The concrete statement classes.
  enum class Kind { Assign, Return, Yield, Output, Loss, Metric, If };
  Stmt(Kind kind, llvm::SMRange range) : kind(kind), range(range) {}
  virtual ~Stmt() = default;
  /// The concrete class of this node.
  Kind getKind() const { return kind; }
  /// The source range of the statement.
  llvm::SMRange getRange() const { return range; }

private:
  Kind kind;
  llvm::SMRange range;
};

/// A name and where it is written.
struct Ident {
  std::string name;
  llvm::SMRange range;
};

/// `h = relu(x)` or `h, c = cell(x, h, c)`.
class AssignStmt : public Stmt {
public:
  AssignStmt(llvm::SMRange range) : Stmt(Kind::Assign, range) {}
  std::vector<Ident> targets;
  ExprPtr value;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Assign; }
};

/// `return e1, e2` (in fn) or `yield e1, e2` (in scan).
class ValuesStmt : public Stmt {
public:
  ValuesStmt(Kind kind, llvm::SMRange range) : Stmt(kind, range) {}
  std::vector<ExprPtr> values;
  static bool classof(const Stmt *s) {
    return s->getKind() == Kind::Return || s->getKind() == Kind::Yield;
  }
};

/// `output logits` or `output probs = softmax(logits)`.
class OutputStmt : public Stmt {
public:
  OutputStmt(llvm::SMRange range) : Stmt(Kind::Output, range) {}
  Ident name;
  /// Null when the output names an existing value.
  ExprPtr value;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Output; }
};

/// `loss cross_entropy(logits, y)`.
class LossStmt : public Stmt {
public:
  LossStmt(llvm::SMRange range) : Stmt(Kind::Loss, range) {}
  ExprPtr value;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Loss; }
};

/// `metric accuracy(logits, y)`.
class MetricStmt : public Stmt {
public:
  MetricStmt(llvm::SMRange range) : Stmt(Kind::Metric, range) {}
  /// The metric as a call expression.
  ExprPtr call;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::Metric; }
};

/// `if training { ... } else { ... }`: the first block in training, the
/// second in inference; or `if C { ... } else { ... }` with C a compile-time
/// integer (nonzero: the first block).
class IfStmt : public Stmt {
public:
  IfStmt(llvm::SMRange range) : Stmt(Kind::If, range) {}
  /// The condition; null for `training`.
  ExprPtr cond;
  /// Where the condition is written.
  llvm::SMRange condRange;
  Block thenBlock;
  /// Empty when there is no `else`.
  Block elseBlock;
  static bool classof(const Stmt *s) { return s->getKind() == Kind::If; }
};

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

/// Base class of declarations: top-level items and members of layers and
/// models.
class Decl {
public:
  /// The concrete declaration classes.
  enum class Kind {
    Import,
    Const,
    Require,
    Layer,
    Model,
    Param,
    Input,
    Instance,
    Fn,
    Forward,
    Train
  };
  Decl(Kind kind, llvm::SMRange range) : kind(kind), range(range) {}
  virtual ~Decl() = default;
  /// The concrete class of this node.
  Kind getKind() const { return kind; }
  /// The source range of the declaration.
  llvm::SMRange getRange() const { return range; }
  /// Updates the source range once the parser knows where the node ends.
  void setRange(llvm::SMRange r) { range = r; }

private:
  Kind kind;
  llvm::SMRange range;
};

/// Owning pointer to a declaration.
using DeclPtr = std::unique_ptr<Decl>;

/// `import nn` (a stdlib module) or `import "path/other.dl"`.
class ImportDecl : public Decl {
public:
  ImportDecl(llvm::SMRange range) : Decl(Kind::Import, range) {}
  /// True for `import "path"`, false for `import name`.
  bool isPath = false;
  /// The module name or the path as written (escapes resolved).
  std::string target;
  llvm::SMRange targetRange;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Import; }
};

/// `const B = 64`.
class ConstDecl : public Decl {
public:
  ConstDecl(llvm::SMRange range) : Decl(Kind::Const, range) {}
  Ident name;
  ExprPtr value;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Const; }
};

/// A comparison of a `require`.
enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge };
/// Returns the source spelling of `op`: "==", "<", ...
llvm::StringRef spell(CompareOp op);

/// `require d % heads == 0, "heads must divide d"`: a condition on a layer's
/// (or model's) constants, checked where it is instantiated.
class RequireDecl : public Decl {
public:
  RequireDecl(llvm::SMRange range) : Decl(Kind::Require, range) {}
  ExprPtr lhs, rhs;
  CompareOp op = CompareOp::Eq;
  llvm::SMLoc opLoc;
  /// The message, escapes resolved.
  std::string message;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Require; }
};

/// `param W: f32[a, b] = glorot()` or `state m: f32[C] = zeros()`.
class ParamDecl : public Decl {
public:
  ParamDecl(llvm::SMRange range) : Decl(Kind::Param, range) {}
  bool isState = false;
  Ident name;
  TypeExpr type;
  /// The initializer call; null when omitted (a parse error).
  ExprPtr init;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Param; }
};

/// `input x: f32[B, 784]` or `label y: i32[B]`.
class InputDecl : public Decl {
public:
  InputDecl(llvm::SMRange range) : Decl(Kind::Input, range) {}
  bool isLabel = false;
  Ident name;
  TypeExpr type;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Input; }
};

/// `l1 = Linear(784, 256)` or `blocks = repeat(6, Block(512))`.
class InstanceDecl : public Decl {
public:
  InstanceDecl(llvm::SMRange range) : Decl(Kind::Instance, range) {}
  Ident name;
  ExprPtr value;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Instance; }
};

/// One argument of a layer's `fn`: `x: f32[N, fan_in]`.
struct FnArg {
  Ident name;
  TypeExpr type;
};

/// A layer's application function: `fn(x: f32[N, a]) -> f32[N, b] { ... }`.
class FnDecl : public Decl {
public:
  FnDecl(llvm::SMRange range) : Decl(Kind::Fn, range) {}
  std::vector<FnArg> args;
  std::vector<TypeExpr> results;
  Block body;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Fn; }
};

/// A model's `forward { ... }` block.
class ForwardDecl : public Decl {
public:
  ForwardDecl(llvm::SMRange range) : Decl(Kind::Forward, range) {}
  Block body;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Forward; }
};

/// One `key value` entry of a train block: `optimizer adam(lr = 1e-3)`.
struct TrainItem {
  Ident key;
  ExprPtr value;
};

/// A model's `train { ... }` block.
class TrainDecl : public Decl {
public:
  TrainDecl(llvm::SMRange range) : Decl(Kind::Train, range) {}
  std::vector<TrainItem> items;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Train; }
};

/// A declared scalar parameter of a layer: `fan_in: int`.
struct LayerParam {
  Ident name;
  /// "int" or "float".
  Ident type;
  /// The default (`momentum: float = 0.1`), a constant expression; null when
  /// the argument is required.
  ExprPtr defaultValue;
};

/// `layer Name(params) { members }`.
class LayerDecl : public Decl {
public:
  LayerDecl(llvm::SMRange range) : Decl(Kind::Layer, range) {}
  Ident name;
  std::vector<LayerParam> params;
  std::vector<DeclPtr> members;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Layer; }
};

/// `model name { members }`.
class ModelDecl : public Decl {
public:
  ModelDecl(llvm::SMRange range) : Decl(Kind::Model, range) {}
  Ident name;
  std::vector<DeclPtr> members;
  static bool classof(const Decl *d) { return d->getKind() == Kind::Model; }
};

/// One parsed .dl file.
struct Module {
  /// The path the file was opened with.
  std::string path;
  /// The SourceMgr buffer holding the file.
  unsigned bufferId = 0;
  std::vector<DeclPtr> decls;
};

/// Prints `module` as an indented tree (the `--emit=ast` format).
void print(const Module &module, llvm::raw_ostream &os);

} // namespace dlc::frontend::ast

#endif // DLC_FRONTEND_AST_H
