//===- Parser.h - the .dl parser --------------------------------*- C++ -*-===//
//
// Part of dlc. A recursive-descent parser from tokens to an ast::Module. It
// reports syntax errors through the DiagEngine and recovers at statement and
// declaration boundaries so that one run reports several errors. Nesting is
// bounded (kMaxNesting) so that hostile input cannot overflow the stack.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_PARSER_H
#define DLC_FRONTEND_PARSER_H

#include "Frontend/AST.h"
#include "Frontend/Diagnostics.h"
#include "Frontend/Lexer.h"

namespace dlc::frontend {

/// Parses one buffer of a SourceMgr into an ast::Module.
class Parser {
public:
  /// The deepest nesting of expressions, blocks and brackets accepted.
  static constexpr unsigned kMaxNesting = 256;

  /// Parses buffer `bufferId` of the DiagEngine's SourceMgr.
  Parser(DiagEngine &diags, unsigned bufferId);

  /// Parses the whole buffer. Always returns a module (possibly partial);
  /// check the DiagEngine for errors.
  std::unique_ptr<ast::Module> parseModule();

private:
  // Token handling.
  void consume();
  const Token &peek();
  bool consumeIf(TokenKind kind);
  bool expect(TokenKind kind, llvm::StringRef context);
  bool parseIdent(ast::Ident &out, llvm::StringRef context);
  bool atSeparator() const;
  /// Consumes a line break (or several) when the next token is one of KINDS,
  /// which cannot start a statement: the construct goes on on the next line.
  void continueLineBefore(llvm::ArrayRef<TokenKind> kinds);
  bool stop() const;
  void skipToStatementEnd();
  void skipToTopLevel();
  bool expectStatementEnd();
  llvm::SMLoc prevEnd() const { return lastEnd; }
  llvm::SMRange rangeFrom(llvm::SMLoc start) const { return {start, lastEnd}; }

  // Declarations.
  ast::DeclPtr parseTopLevel();
  ast::DeclPtr parseImport();
  ast::DeclPtr parseConst();
  ast::DeclPtr parseRequire();
  ast::DeclPtr parseLayer();
  ast::DeclPtr parseModel();
  bool parseMembers(std::vector<ast::DeclPtr> &members);
  ast::DeclPtr parseMember();
  ast::DeclPtr parseParam();
  ast::DeclPtr parseInput();
  ast::DeclPtr parseInstance();
  ast::DeclPtr parseFn();
  ast::DeclPtr parseForward();
  ast::DeclPtr parseTrain();
  bool parseType(ast::TypeExpr &type);

  // Statements.
  bool parseBlock(ast::Block &block);
  ast::StmtPtr parseStmt();

  // Expressions.
  ast::ExprPtr parseExpr();
  ast::ExprPtr parseAdditive();
  ast::ExprPtr parseMultiplicative();
  ast::ExprPtr parseUnary();
  ast::ExprPtr parsePostfix();
  ast::ExprPtr parsePrimary();
  ast::ExprPtr parseScan();
  ast::ExprPtr parseSubscript();
  bool parseCallArgs(std::vector<ast::Arg> &args);
  bool parseExprList(std::vector<ast::ExprPtr> &out, TokenKind close);

  /// RAII nesting counter; `ok()` is false (and an error reported once) when
  /// the limit is exceeded.
  class NestingGuard {
  public:
    NestingGuard(Parser &p);
    ~NestingGuard() { --p.nesting; }
    bool ok() const { return isOk; }

  private:
    Parser &p;
    bool isOk;
  };

  DiagEngine &diags;
  unsigned bufferId;
  Lexer lexer;
  Token tok;
  Token lookahead;
  bool hasLookahead = false;
  llvm::SMLoc lastEnd;
  unsigned nesting = 0;
  /// Set when parsing must stop (nesting limit, too many errors).
  bool fatal = false;
};

} // namespace dlc::frontend

#endif // DLC_FRONTEND_PARSER_H
