//===- AST.cpp - AST printing ---------------------------------------------===//
//
// Part of dlc. Prints an ast::Module as an indented tree, one node per line
// (`dlc compile --emit=ast`).
//
//===----------------------------------------------------------------------===//

#include "Frontend/AST.h"

#include "llvm/Support/Casting.h"

using namespace dlc::frontend::ast;
using llvm::cast;
using llvm::dyn_cast;
using llvm::raw_ostream;
using llvm::StringRef;

StringRef dlc::frontend::ast::spell(CompareOp op) {
  switch (op) {
  case CompareOp::Eq:
    return "==";
  case CompareOp::Ne:
    return "!=";
  case CompareOp::Lt:
    return "<";
  case CompareOp::Le:
    return "<=";
  case CompareOp::Gt:
    return ">";
  case CompareOp::Ge:
    return ">=";
  }
  llvm_unreachable("every comparison is spelled");
}

StringRef dlc::frontend::ast::spell(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::Mod:
    return "%";
  case BinaryOp::MatMul:
    return "@";
  }
  return "?";
}

namespace {
/// Writes the tree with two spaces of indentation per level.
class Printer {
public:
  explicit Printer(raw_ostream &os) : os(os) {}

  void module(const Module &m) {
    line() << "Module \"" << m.path << "\"\n";
    Indent in(*this);
    for (const DeclPtr &d : m.decls)
      decl(*d);
  }

private:
  struct Indent {
    Indent(Printer &p) : p(p) { ++p.depth; }
    ~Indent() { --p.depth; }
    Printer &p;
  };

  raw_ostream &line() { return os.indent(2 * depth); }

  void type(const TypeExpr &t) {
    line() << "Type " << t.dtype << " rank " << t.dims.size() << "\n";
    Indent in(*this);
    for (const ExprPtr &d : t.dims)
      expr(*d);
  }

  void block(const Block &b) {
    for (const StmtPtr &s : b.stmts)
      stmt(*s);
  }

  void decl(const Decl &d) {
    switch (d.getKind()) {
    case Decl::Kind::Import: {
      auto &i = cast<ImportDecl>(d);
      line() << "Import " << (i.isPath ? "path \"" : "module \"") << i.target
             << "\"\n";
      return;
    }
    case Decl::Kind::Const: {
      auto &c = cast<ConstDecl>(d);
      line() << "Const " << c.name.name << "\n";
      Indent in(*this);
      expr(*c.value);
      return;
    }
    case Decl::Kind::Require: {
      auto &r = cast<RequireDecl>(d);
      line() << "Require " << spell(r.op) << " \"" << r.message << "\"\n";
      Indent in(*this);
      expr(*r.lhs);
      expr(*r.rhs);
      return;
    }
    case Decl::Kind::Layer: {
      auto &l = cast<LayerDecl>(d);
      line() << "Layer " << l.name.name << "(";
      for (size_t i = 0; i < l.params.size(); ++i)
        os << (i ? ", " : "") << l.params[i].name.name << ": "
           << l.params[i].type.name;
      os << ")\n";
      Indent in(*this);
      for (const DeclPtr &m : l.members)
        decl(*m);
      return;
    }
    case Decl::Kind::Model: {
      auto &m = cast<ModelDecl>(d);
      line() << "Model " << m.name.name << "\n";
      Indent in(*this);
      for (const DeclPtr &member : m.members)
        decl(*member);
      return;
    }
    case Decl::Kind::Param: {
      auto &p = cast<ParamDecl>(d);
      line() << (p.isState ? "State " : "Param ") << p.name.name << "\n";
      Indent in(*this);
      type(p.type);
      line() << "Init\n";
      Indent in2(*this);
      expr(*p.init);
      return;
    }
    case Decl::Kind::Input: {
      auto &i = cast<InputDecl>(d);
      line() << (i.isLabel ? "Label " : "Input ") << i.name.name << "\n";
      Indent in(*this);
      type(i.type);
      return;
    }
    case Decl::Kind::Instance: {
      auto &i = cast<InstanceDecl>(d);
      line() << "Instance " << i.name.name << "\n";
      Indent in(*this);
      expr(*i.value);
      return;
    }
    case Decl::Kind::Fn: {
      auto &f = cast<FnDecl>(d);
      line() << "Fn\n";
      Indent in(*this);
      for (const FnArg &a : f.args) {
        line() << "Arg " << a.name.name << "\n";
        Indent in2(*this);
        type(a.type);
      }
      for (const TypeExpr &r : f.results) {
        line() << "Result\n";
        Indent in2(*this);
        type(r);
      }
      line() << "Body\n";
      Indent in2(*this);
      block(f.body);
      return;
    }
    case Decl::Kind::Forward: {
      line() << "Forward\n";
      Indent in(*this);
      block(cast<ForwardDecl>(d).body);
      return;
    }
    case Decl::Kind::Train: {
      line() << "Train\n";
      Indent in(*this);
      for (const TrainItem &item : cast<TrainDecl>(d).items) {
        line() << "Setting " << item.key.name << "\n";
        Indent in2(*this);
        expr(*item.value);
      }
      return;
    }
    }
  }

  void stmt(const Stmt &s) {
    switch (s.getKind()) {
    case Stmt::Kind::Assign: {
      auto &a = cast<AssignStmt>(s);
      line() << "Assign";
      for (const Ident &t : a.targets)
        os << " " << t.name;
      os << "\n";
      Indent in(*this);
      expr(*a.value);
      return;
    }
    case Stmt::Kind::Return:
    case Stmt::Kind::Yield: {
      line() << (s.getKind() == Stmt::Kind::Return ? "Return\n" : "Yield\n");
      Indent in(*this);
      for (const ExprPtr &v : cast<ValuesStmt>(s).values)
        expr(*v);
      return;
    }
    case Stmt::Kind::Output: {
      auto &o = cast<OutputStmt>(s);
      line() << "Output " << o.name.name << "\n";
      Indent in(*this);
      if (o.value)
        expr(*o.value);
      return;
    }
    case Stmt::Kind::Loss: {
      line() << "Loss\n";
      Indent in(*this);
      expr(*cast<LossStmt>(s).value);
      return;
    }
    case Stmt::Kind::Metric: {
      line() << "Metric\n";
      Indent in(*this);
      expr(*cast<MetricStmt>(s).call);
      return;
    }
    case Stmt::Kind::If: {
      auto &i = cast<IfStmt>(s);
      line() << (i.cond ? "If\n" : "If training\n");
      Indent in(*this);
      if (i.cond)
        expr(*i.cond);
      line() << "Then\n";
      {
        Indent in2(*this);
        block(i.thenBlock);
      }
      line() << "Else\n";
      Indent in2(*this);
      block(i.elseBlock);
      return;
    }
    }
  }

  void expr(const Expr &e) {
    switch (e.getKind()) {
    case Expr::Kind::Int:
      line() << "Int " << cast<IntExpr>(e).value << "\n";
      return;
    case Expr::Kind::Float:
      line() << "Float " << cast<FloatExpr>(e).value << "\n";
      return;
    case Expr::Kind::String:
      line() << "String \"" << cast<StringExpr>(e).value << "\"\n";
      return;
    case Expr::Kind::Name:
      line() << "Name " << cast<NameExpr>(e).name << "\n";
      return;
    case Expr::Kind::Unary: {
      line() << "Neg\n";
      Indent in(*this);
      expr(*cast<UnaryExpr>(e).operand);
      return;
    }
    case Expr::Kind::Binary: {
      auto &b = cast<BinaryExpr>(e);
      line() << "Binary '" << spell(b.op) << "'\n";
      Indent in(*this);
      expr(*b.lhs);
      expr(*b.rhs);
      return;
    }
    case Expr::Kind::Call: {
      auto &c = cast<CallExpr>(e);
      line() << "Call\n";
      Indent in(*this);
      expr(*c.callee);
      for (const Arg &a : c.args) {
        if (a.name.empty()) {
          expr(*a.value);
        } else {
          line() << "Keyword " << a.name << "\n";
          Indent in2(*this);
          expr(*a.value);
        }
      }
      return;
    }
    case Expr::Kind::Member: {
      auto &m = cast<MemberExpr>(e);
      line() << "Member ." << m.member << "\n";
      Indent in(*this);
      expr(*m.base);
      return;
    }
    case Expr::Kind::Index: {
      auto &i = cast<IndexExpr>(e);
      line() << "Index\n";
      Indent in(*this);
      expr(*i.base);
      for (const ExprPtr &s : i.subscripts)
        expr(*s);
      return;
    }
    case Expr::Kind::Slice: {
      auto &s = cast<SliceExpr>(e);
      line() << "Slice\n";
      Indent in(*this);
      for (const ExprPtr *part : {&s.start, &s.stop, &s.step}) {
        if (*part)
          expr(**part);
        else
          line() << "Default\n";
      }
      return;
    }
    case Expr::Kind::List: {
      line() << "List\n";
      Indent in(*this);
      for (const ExprPtr &el : cast<ListExpr>(e).elements)
        expr(*el);
      return;
    }
    case Expr::Kind::Scan: {
      auto &s = cast<ScanExpr>(e);
      line() << "Scan\n";
      Indent in(*this);
      for (const Binding &b : s.sequences) {
        line() << "Sequence " << b.name << "\n";
        Indent in2(*this);
        expr(*b.value);
      }
      if (s.length) {
        line() << "Length\n";
        Indent in2(*this);
        expr(*s.length);
      }
      if (s.along) {
        line() << "Along\n";
        Indent in2(*this);
        expr(*s.along);
      }
      for (const Binding &b : s.carries) {
        line() << "Carry " << b.name << "\n";
        Indent in2(*this);
        expr(*b.value);
      }
      line() << "Body\n";
      Indent in2(*this);
      block(s.body);
      return;
    }
    }
  }

  raw_ostream &os;
  unsigned depth = 0;
};
} // namespace

void dlc::frontend::ast::print(const Module &module, raw_ostream &os) {
  Printer(os).module(module);
}
