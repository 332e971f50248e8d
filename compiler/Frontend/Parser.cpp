//===- Parser.cpp - the .dl parser ----------------------------------------===//
//
// Part of dlc. Implementation of the recursive-descent Parser. Every parse
// function documents the grammar rule it implements (docs/language.md has the
// whole grammar). Separators (`sep`) are line breaks and semicolons.
//
//===----------------------------------------------------------------------===//

#include "Frontend/Parser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

using namespace dlc::frontend;
using namespace dlc::frontend::ast;
using llvm::SMLoc;
using llvm::SMRange;
using llvm::StringRef;

Parser::Parser(DiagEngine &diags, unsigned bufferId)
    : diags(diags), bufferId(bufferId),
      lexer(diags.getSourceMgr().getMemoryBuffer(bufferId)->getBuffer(),
            diags) {
  tok = lexer.next();
  lastEnd = tok.getLoc();
}

Parser::NestingGuard::NestingGuard(Parser &p) : p(p) {
  ++p.nesting;
  isOk = !p.fatal && p.nesting <= kMaxNesting;
  if (!isOk && !p.fatal) {
    p.diags.error(p.tok.getLoc(),
                  llvm::Twine("nesting is too deep (more than ") +
                      llvm::Twine(kMaxNesting) + " levels)",
                  p.tok.getRange());
    p.fatal = true;
  }
}

//===----------------------------------------------------------------------===//
// Token handling
//===----------------------------------------------------------------------===//

void Parser::consume() {
  if (tok.is(TokenKind::eof))
    return;
  lastEnd = tok.getEndLoc();
  if (hasLookahead) {
    tok = lookahead;
    hasLookahead = false;
  } else {
    tok = lexer.next();
  }
  if (diags.tooManyErrors())
    fatal = true;
}

const Token &Parser::peek() {
  if (!hasLookahead) {
    lookahead = lexer.next();
    hasLookahead = true;
  }
  return lookahead;
}

bool Parser::consumeIf(TokenKind kind) {
  if (tok.isNot(kind))
    return false;
  consume();
  return true;
}

bool Parser::stop() const { return fatal || tok.is(TokenKind::eof); }

bool Parser::expect(TokenKind kind, StringRef context) {
  if (consumeIf(kind))
    return true;
  // A bad token was already diagnosed by the lexer.
  if (tok.isNot(TokenKind::error))
    diags.error(tok.getLoc(),
                llvm::Twine("expected ") + spell(kind) + " " + context +
                    ", found " + spell(tok.kind),
                tok.getRange());
  return false;
}

bool Parser::parseIdent(Ident &out, StringRef context) {
  if (tok.isNot(TokenKind::identifier)) {
    if (tok.isNot(TokenKind::error)) {
      if (getKeywordKind(tok.text) != TokenKind::identifier)
        diags.error(tok.getLoc(),
                    "expected " + context + ", found keyword '" + tok.text +
                        "' (keywords cannot be used as names)",
                    tok.getRange());
      else
        diags.error(tok.getLoc(),
                    "expected " + context + ", found " + spell(tok.kind),
                    tok.getRange());
    }
    return false;
  }
  out.name = tok.text.str();
  out.range = tok.getRange();
  consume();
  return true;
}

void Parser::continueLineBefore(llvm::ArrayRef<TokenKind> kinds) {
  while (tok.is(TokenKind::newline) && peek().is(TokenKind::newline))
    consume();
  if (tok.is(TokenKind::newline) &&
      llvm::is_contained(kinds, peek().kind))
    consume();
}

bool Parser::atSeparator() const {
  return tok.is(TokenKind::newline) || tok.is(TokenKind::semicolon);
}

void Parser::skipToStatementEnd() {
  // Unbalanced ( or [ must not swallow the line breaks that follow.
  lexer.closeOpenParens();
  int depth = 0;
  while (!stop()) {
    switch (tok.kind) {
    case TokenKind::newline:
    case TokenKind::semicolon:
      if (depth <= 0)
        return;
      break;
    case TokenKind::l_brace:
    case TokenKind::l_paren:
    case TokenKind::l_square:
      ++depth;
      break;
    case TokenKind::r_brace:
      if (depth <= 0)
        return;
      --depth;
      break;
    case TokenKind::r_paren:
    case TokenKind::r_square:
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
    consume();
  }
}

void Parser::skipToTopLevel() {
  int depth = 0;
  while (!stop()) {
    if (depth <= 0 &&
        (tok.is(TokenKind::kw_import) || tok.is(TokenKind::kw_const) ||
         tok.is(TokenKind::kw_layer) || tok.is(TokenKind::kw_model)))
      return;
    if (tok.is(TokenKind::l_brace))
      ++depth;
    else if (tok.is(TokenKind::r_brace))
      --depth;
    consume();
  }
}

bool Parser::expectStatementEnd() {
  if (atSeparator() || tok.is(TokenKind::r_brace) || tok.is(TokenKind::eof))
    return true;
  if (tok.isNot(TokenKind::error) && !fatal)
    diags.error(tok.getLoc(),
                llvm::Twine("expected end of line or ';' after the ") +
                    "statement, found " + spell(tok.kind),
                tok.getRange());
  skipToStatementEnd();
  return false;
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

/// module ::= { sep | topLevel }
std::unique_ptr<Module> Parser::parseModule() {
  auto module = std::make_unique<Module>();
  module->bufferId = bufferId;
  module->path = diags.getSourceMgr()
                     .getMemoryBuffer(bufferId)
                     ->getBufferIdentifier()
                     .str();
  while (!stop()) {
    if (atSeparator()) {
      consume();
      continue;
    }
    if (DeclPtr decl = parseTopLevel()) {
      module->decls.push_back(std::move(decl));
      if (!expectStatementEnd() && tok.is(TokenKind::r_brace))
        consume();
      continue;
    }
    skipToTopLevel();
  }
  return module;
}

/// topLevel ::= import | const | layer | model
DeclPtr Parser::parseTopLevel() {
  switch (tok.kind) {
  case TokenKind::kw_import:
    return parseImport();
  case TokenKind::kw_const:
    return parseConst();
  case TokenKind::kw_layer:
    return parseLayer();
  case TokenKind::kw_model:
    return parseModel();
  case TokenKind::error:
    consume();
    return nullptr;
  default:
    diags.error(tok.getLoc(),
                llvm::Twine("expected 'import', 'const', 'layer' or 'model' at "
                            "the top level, found ") +
                    spell(tok.kind),
                tok.getRange());
    consume();
    return nullptr;
  }
}

/// The value of string literal TEXT (quotes dropped, `\\x` read as `x`).
static std::string unquote(StringRef text) {
  text = text.drop_front().drop_back();
  std::string value;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size())
      ++i;
    value.push_back(text[i]);
  }
  return value;
}

/// import ::= 'import' (ident {'.' ident} | string)
DeclPtr Parser::parseImport() {
  SMLoc start = tok.getLoc();
  consume();
  auto decl = std::make_unique<ImportDecl>(SMRange(start, start));
  if (tok.is(TokenKind::string)) {
    decl->isPath = true;
    decl->target = unquote(tok.text);
    decl->targetRange = tok.getRange();
    consume();
  } else {
    Ident name;
    if (!parseIdent(name, "a module name or a quoted path after 'import'"))
      return nullptr;
    decl->target = name.name;
    SMLoc targetStart = name.range.Start;
    while (consumeIf(TokenKind::dot)) {
      if (!parseIdent(name, "a module name after '.'"))
        return nullptr;
      decl->target += "/" + name.name;
    }
    decl->targetRange = rangeFrom(targetStart);
  }
  decl->setRange(rangeFrom(start));
  return decl;
}

/// const ::= 'const' ident '=' expr
DeclPtr Parser::parseConst() {
  SMLoc start = tok.getLoc();
  consume();
  Ident name;
  if (!parseIdent(name, "a constant name after 'const'"))
    return nullptr;
  if (!expect(TokenKind::equal, "after the constant name"))
    return nullptr;
  ExprPtr value = parseExpr();
  if (!value)
    return nullptr;
  auto decl = std::make_unique<ConstDecl>(rangeFrom(start));
  decl->name = std::move(name);
  decl->value = std::move(value);
  return decl;
}

/// require ::= 'require' additive ('==' | '!=' | '<' | '<=' | '>' | '>=')
///             additive ',' string
DeclPtr Parser::parseRequire() {
  SMLoc start = tok.getLoc();
  consume();
  ExprPtr lhs = parseAdditive();
  if (!lhs)
    return nullptr;
  CompareOp op;
  switch (tok.kind) {
  case TokenKind::equal_equal:
    op = CompareOp::Eq;
    break;
  case TokenKind::bang_equal:
    op = CompareOp::Ne;
    break;
  case TokenKind::less:
    op = CompareOp::Lt;
    break;
  case TokenKind::less_equal:
    op = CompareOp::Le;
    break;
  case TokenKind::greater:
    op = CompareOp::Gt;
    break;
  case TokenKind::greater_equal:
    op = CompareOp::Ge;
    break;
  default:
    if (tok.isNot(TokenKind::error))
      diags.error(tok.getLoc(),
                  llvm::Twine("expected a comparison ('==', '!=', '<', '<=', "
                              "'>' or '>=') in 'require', found ") +
                      spell(tok.kind),
                  tok.getRange());
    return nullptr;
  }
  SMLoc opLoc = tok.getLoc();
  consume();
  ExprPtr rhs = parseAdditive();
  if (!rhs)
    return nullptr;
  if (!expect(TokenKind::comma, "after the condition of 'require'"))
    return nullptr;
  if (tok.isNot(TokenKind::string)) {
    if (tok.isNot(TokenKind::error))
      diags.error(tok.getLoc(),
                  llvm::Twine("expected the message of 'require' (a string "
                              "literal), found ") +
                      spell(tok.kind),
                  tok.getRange());
    return nullptr;
  }
  auto decl = std::make_unique<RequireDecl>(SMRange(start, start));
  decl->message = unquote(tok.text);
  consume();
  decl->setRange(rangeFrom(start));
  decl->lhs = std::move(lhs);
  decl->rhs = std::move(rhs);
  decl->op = op;
  decl->opLoc = opLoc;
  return decl;
}

/// layer ::= 'layer' ident '(' [layerParam {',' layerParam} [',']] ')'
///           '{' members '}'
/// layerParam ::= ident ':' ('int' | 'float') ['=' expr]
DeclPtr Parser::parseLayer() {
  SMLoc start = tok.getLoc();
  consume();
  Ident name;
  if (!parseIdent(name, "a layer name after 'layer'"))
    return nullptr;
  if (!expect(TokenKind::l_paren, "after the layer name"))
    return nullptr;
  std::vector<LayerParam> params;
  while (tok.isNot(TokenKind::r_paren)) {
    LayerParam param;
    if (!parseIdent(param.name, "a layer parameter name") ||
        !expect(TokenKind::colon, "after the layer parameter name") ||
        !parseIdent(param.type, "'int' or 'float'"))
      return nullptr;
    if (consumeIf(TokenKind::equal) && !(param.defaultValue = parseExpr()))
      return nullptr;
    params.push_back(std::move(param));
    if (!consumeIf(TokenKind::comma))
      break;
  }
  if (!expect(TokenKind::r_paren, "after the layer parameters"))
    return nullptr;
  auto decl = std::make_unique<LayerDecl>(SMRange(start, start));
  decl->name = std::move(name);
  decl->params = std::move(params);
  if (!parseMembers(decl->members))
    return nullptr;
  auto result = std::make_unique<LayerDecl>(rangeFrom(start));
  result->name = std::move(decl->name);
  result->params = std::move(decl->params);
  result->members = std::move(decl->members);
  return result;
}

/// model ::= 'model' ident '{' members '}'
DeclPtr Parser::parseModel() {
  SMLoc start = tok.getLoc();
  consume();
  Ident name;
  if (!parseIdent(name, "a model name after 'model'"))
    return nullptr;
  std::vector<DeclPtr> members;
  if (!parseMembers(members))
    return nullptr;
  auto decl = std::make_unique<ModelDecl>(rangeFrom(start));
  decl->name = std::move(name);
  decl->members = std::move(members);
  return decl;
}

/// members ::= '{' { sep | member } '}'
bool Parser::parseMembers(std::vector<DeclPtr> &members) {
  NestingGuard guard(*this);
  if (!guard.ok())
    return false;
  if (!expect(TokenKind::l_brace, "to open the body"))
    return false;
  while (!stop() && tok.isNot(TokenKind::r_brace)) {
    if (atSeparator()) {
      consume();
      continue;
    }
    if (DeclPtr member = parseMember()) {
      members.push_back(std::move(member));
      expectStatementEnd();
    } else {
      skipToStatementEnd();
    }
  }
  return expect(TokenKind::r_brace, "to close the body");
}

/// member ::= param | input | const | require | instance | fn | forward | train
DeclPtr Parser::parseMember() {
  switch (tok.kind) {
  case TokenKind::kw_require:
    return parseRequire();
  case TokenKind::kw_param:
  case TokenKind::kw_state:
    return parseParam();
  case TokenKind::kw_input:
  case TokenKind::kw_label:
    return parseInput();
  case TokenKind::kw_const:
    return parseConst();
  case TokenKind::kw_fn:
    return parseFn();
  case TokenKind::kw_forward:
    return parseForward();
  case TokenKind::kw_train:
    return parseTrain();
  case TokenKind::identifier:
    if (peek().is(TokenKind::equal))
      return parseInstance();
    [[fallthrough]];
  default:
    if (tok.isNot(TokenKind::error))
      diags.error(tok.getLoc(),
                  llvm::Twine("expected a member: 'param', 'state', 'const', "
                              "'require', 'input', 'label', 'fn', 'forward', "
                              "'train' or 'name = Layer(...)', found ") +
                      spell(tok.kind),
                  tok.getRange());
    return nullptr;
  }
}

/// param ::= ('param' | 'state') ident ':' type '=' expr
DeclPtr Parser::parseParam() {
  SMLoc start = tok.getLoc();
  bool isState = tok.is(TokenKind::kw_state);
  consume();
  auto decl = std::make_unique<ParamDecl>(SMRange(start, start));
  if (!parseIdent(decl->name, isState ? "a state name" : "a parameter name") ||
      !expect(TokenKind::colon, "before the type") || !parseType(decl->type))
    return nullptr;
  if (!expect(TokenKind::equal,
              "and an initializer such as 'zeros()' after the type"))
    return nullptr;
  ExprPtr init = parseExpr();
  if (!init)
    return nullptr;
  auto result = std::make_unique<ParamDecl>(rangeFrom(start));
  result->isState = isState;
  result->name = std::move(decl->name);
  result->type = std::move(decl->type);
  result->init = std::move(init);
  return result;
}

/// input ::= ('input' | 'label') ident ':' type
DeclPtr Parser::parseInput() {
  SMLoc start = tok.getLoc();
  bool isLabel = tok.is(TokenKind::kw_label);
  consume();
  Ident name;
  TypeExpr type;
  if (!parseIdent(name, isLabel ? "a label name" : "an input name") ||
      !expect(TokenKind::colon, "before the type") || !parseType(type))
    return nullptr;
  auto decl = std::make_unique<InputDecl>(rangeFrom(start));
  decl->isLabel = isLabel;
  decl->name = std::move(name);
  decl->type = std::move(type);
  return decl;
}

/// instance ::= ident '=' expr
DeclPtr Parser::parseInstance() {
  SMLoc start = tok.getLoc();
  Ident name;
  if (!parseIdent(name, "a name") ||
      !expect(TokenKind::equal, "after the name"))
    return nullptr;
  ExprPtr value = parseExpr();
  if (!value)
    return nullptr;
  auto decl = std::make_unique<InstanceDecl>(rangeFrom(start));
  decl->name = std::move(name);
  decl->value = std::move(value);
  return decl;
}

/// fn ::= 'fn' '(' [fnArg {',' fnArg} [',']] ')' '->' results block
/// fnArg ::= ident ':' type
/// results ::= type | '(' type {',' type} ')'
DeclPtr Parser::parseFn() {
  SMLoc start = tok.getLoc();
  consume();
  auto decl = std::make_unique<FnDecl>(SMRange(start, start));
  if (!expect(TokenKind::l_paren, "after 'fn'"))
    return nullptr;
  while (tok.isNot(TokenKind::r_paren) && !stop()) {
    FnArg arg;
    if (!parseIdent(arg.name, "an argument name") ||
        !expect(TokenKind::colon, "after the argument name") ||
        !parseType(arg.type))
      return nullptr;
    decl->args.push_back(std::move(arg));
    if (!consumeIf(TokenKind::comma))
      break;
  }
  if (!expect(TokenKind::r_paren, "after the arguments"))
    return nullptr;
  continueLineBefore(TokenKind::arrow);
  if (!expect(TokenKind::arrow, "and the result type after the arguments"))
    return nullptr;
  if (consumeIf(TokenKind::l_paren)) {
    do {
      TypeExpr type;
      if (!parseType(type))
        return nullptr;
      decl->results.push_back(std::move(type));
    } while (consumeIf(TokenKind::comma) && tok.isNot(TokenKind::r_paren));
    if (!expect(TokenKind::r_paren, "after the result types"))
      return nullptr;
  } else {
    TypeExpr type;
    if (!parseType(type))
      return nullptr;
    decl->results.push_back(std::move(type));
  }
  Block body;
  if (!parseBlock(body))
    return nullptr;
  auto result = std::make_unique<FnDecl>(rangeFrom(start));
  result->args = std::move(decl->args);
  result->results = std::move(decl->results);
  result->body = std::move(body);
  return result;
}

/// forward ::= 'forward' block
DeclPtr Parser::parseForward() {
  SMLoc start = tok.getLoc();
  consume();
  Block body;
  if (!parseBlock(body))
    return nullptr;
  auto decl = std::make_unique<ForwardDecl>(rangeFrom(start));
  decl->body = std::move(body);
  return decl;
}

/// train ::= 'train' '{' { sep | ident expr } '}'
DeclPtr Parser::parseTrain() {
  SMLoc start = tok.getLoc();
  consume();
  NestingGuard guard(*this);
  if (!guard.ok() || !expect(TokenKind::l_brace, "after 'train'"))
    return nullptr;
  std::vector<TrainItem> items;
  while (!stop() && tok.isNot(TokenKind::r_brace)) {
    if (atSeparator()) {
      consume();
      continue;
    }
    TrainItem item;
    if (!parseIdent(item.key, "a training setting such as 'optimizer', "
                              "'batch' or 'epochs'")) {
      skipToStatementEnd();
      continue;
    }
    if (atSeparator() || tok.is(TokenKind::r_brace)) {
      diags.error(tok.getLoc(),
                  "expected a value after '" + item.key.name + "'",
                  item.key.range);
      continue;
    }
    item.value = parseExpr();
    if (!item.value) {
      skipToStatementEnd();
      continue;
    }
    items.push_back(std::move(item));
    expectStatementEnd();
  }
  if (!expect(TokenKind::r_brace, "to close the train block"))
    return nullptr;
  auto decl = std::make_unique<TrainDecl>(rangeFrom(start));
  decl->items = std::move(items);
  return decl;
}

/// type ::= dtype '[' [expr {',' expr} [',']] ']'
bool Parser::parseType(TypeExpr &type) {
  SMLoc start = tok.getLoc();
  Ident dtype;
  if (!parseIdent(dtype, "a tensor type such as 'f32[B, 784]'"))
    return false;
  type.dtype = dtype.name;
  type.dtypeRange = dtype.range;
  if (tok.isNot(TokenKind::l_square)) {
    diags.error(tok.getLoc(),
                "expected '[' and the dimensions after the element type '" +
                    dtype.name + "' (write '" + dtype.name +
                    "[]' for a scalar)",
                tok.getRange());
    return false;
  }
  consume();
  if (!parseExprList(type.dims, TokenKind::r_square))
    return false;
  type.range = rangeFrom(start);
  return true;
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

/// block ::= '{' { sep | stmt } '}'
bool Parser::parseBlock(Block &block) {
  NestingGuard guard(*this);
  if (!guard.ok())
    return false;
  SMLoc start = tok.getLoc();
  if (!expect(TokenKind::l_brace, "to open the block"))
    return false;
  while (!stop() && tok.isNot(TokenKind::r_brace)) {
    if (atSeparator()) {
      consume();
      continue;
    }
    if (StmtPtr stmt = parseStmt()) {
      block.stmts.push_back(std::move(stmt));
      expectStatementEnd();
    } else {
      skipToStatementEnd();
    }
  }
  if (!expect(TokenKind::r_brace, "to close the block"))
    return false;
  block.range = rangeFrom(start);
  return true;
}

/// stmt ::= ident {',' ident} '=' expr
///        | ('return' | 'yield') expr {',' expr}
///        | 'output' ident ['=' expr]
///        | 'loss' expr
///        | 'metric' expr
///        | 'if' ('training' | expr) block ['else' block]
StmtPtr Parser::parseStmt() {
  SMLoc start = tok.getLoc();
  switch (tok.kind) {
  case TokenKind::kw_if: {
    consume();
    SMLoc condStart = tok.getLoc();
    ExprPtr cond;
    if (!consumeIf(TokenKind::kw_training) && !(cond = parseExpr()))
      return nullptr;
    SMRange condRange = rangeFrom(condStart);
    Block thenBlock, elseBlock;
    if (!parseBlock(thenBlock))
      return nullptr;
    if (consumeIf(TokenKind::kw_else) && !parseBlock(elseBlock))
      return nullptr;
    auto stmt = std::make_unique<IfStmt>(rangeFrom(start));
    stmt->cond = std::move(cond);
    stmt->condRange = condRange;
    stmt->thenBlock = std::move(thenBlock);
    stmt->elseBlock = std::move(elseBlock);
    return stmt;
  }
  case TokenKind::kw_else:
    diags.error(tok.getLoc(),
                "'else' must follow the '}' of its 'if' on the same line",
                tok.getRange());
    return nullptr;
  case TokenKind::kw_return:
  case TokenKind::kw_yield: {
    Stmt::Kind kind =
        tok.is(TokenKind::kw_return) ? Stmt::Kind::Return : Stmt::Kind::Yield;
    consume();
    std::vector<ExprPtr> values;
    // A bare `yield` (a scan's final carries) ends at the statement's end.
    bool bare = kind == Stmt::Kind::Yield &&
                (atSeparator() || tok.is(TokenKind::r_brace));
    while (!bare) {
      ExprPtr value = parseExpr();
      if (!value)
        return nullptr;
      values.push_back(std::move(value));
      if (!consumeIf(TokenKind::comma))
        break;
    }
    auto stmt = std::make_unique<ValuesStmt>(kind, rangeFrom(start));
    stmt->values = std::move(values);
    return stmt;
  }
  case TokenKind::kw_output: {
    consume();
    Ident name;
    if (!parseIdent(name, "an output name after 'output'"))
      return nullptr;
    ExprPtr value;
    if (consumeIf(TokenKind::equal)) {
      value = parseExpr();
      if (!value)
        return nullptr;
    }
    auto stmt = std::make_unique<OutputStmt>(rangeFrom(start));
    stmt->name = std::move(name);
    stmt->value = std::move(value);
    return stmt;
  }
  case TokenKind::kw_loss: {
    consume();
    ExprPtr value = parseExpr();
    if (!value)
      return nullptr;
    auto stmt = std::make_unique<LossStmt>(rangeFrom(start));
    stmt->value = std::move(value);
    return stmt;
  }
  case TokenKind::kw_metric: {
    consume();
    ExprPtr call = parseExpr();
    if (!call)
      return nullptr;
    auto stmt = std::make_unique<MetricStmt>(rangeFrom(start));
    stmt->call = std::move(call);
    return stmt;
  }
  case TokenKind::identifier: {
    TokenKind next = peek().kind;
    if (next == TokenKind::equal || next == TokenKind::comma) {
      std::vector<Ident> targets;
      do {
        Ident target;
        if (!parseIdent(target, "a name to assign"))
          return nullptr;
        targets.push_back(std::move(target));
      } while (consumeIf(TokenKind::comma));
      if (!expect(TokenKind::equal, "after the assigned names"))
        return nullptr;
      ExprPtr value = parseExpr();
      if (!value)
        return nullptr;
      auto stmt = std::make_unique<AssignStmt>(rangeFrom(start));
      stmt->targets = std::move(targets);
      stmt->value = std::move(value);
      return stmt;
    }
    // An expression on its own computes a value nobody uses.
    ExprPtr value = parseExpr();
    if (value)
      diags.error(value->getRange().Start,
                  "the value of this expression is unused; assign it to a "
                  "name ('h = ...'), or use 'return', 'output' or 'loss'",
                  value->getRange());
    return nullptr;
  }
  case TokenKind::error:
    return nullptr;
  default:
    diags.error(tok.getLoc(),
                llvm::Twine("expected a statement (an assignment, 'return', "
                            "'yield', 'output', 'loss', 'metric' or 'if'), "
                            "found ") +
                    spell(tok.kind),
                tok.getRange());
    return nullptr;
  }
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

/// expr ::= additive
ExprPtr Parser::parseExpr() {
  NestingGuard guard(*this);
  if (!guard.ok())
    return nullptr;
  return parseAdditive();
}

/// additive ::= multiplicative {('+' | '-') multiplicative}
ExprPtr Parser::parseAdditive() {
  SMLoc start = tok.getLoc();
  ExprPtr lhs = parseMultiplicative();
  unsigned chain = 0;
  while (lhs && (tok.is(TokenKind::plus) || tok.is(TokenKind::minus))) {
    // Each link of a chain nests the tree one level deeper.
    ++chain;
    ++nesting;
    if (nesting > kMaxNesting && !fatal) {
      diags.error(tok.getLoc(),
                  llvm::Twine("expression is too long (more "
                              "than ") +
                      llvm::Twine(kMaxNesting) + " nested operations)",
                  tok.getRange());
      fatal = true;
    }
    if (fatal) {
      lhs = nullptr;
      break;
    }
    BinaryOp op = tok.is(TokenKind::plus) ? BinaryOp::Add : BinaryOp::Sub;
    SMLoc opLoc = tok.getLoc();
    consume();
    ExprPtr rhs = parseMultiplicative();
    if (!rhs) {
      lhs = nullptr;
      break;
    }
    lhs = std::make_unique<BinaryExpr>(rangeFrom(start), op, opLoc,
                                       std::move(lhs), std::move(rhs));
  }
  nesting -= chain;
  return lhs;
}

/// multiplicative ::= unary {('*' | '/' | '%' | '@') unary}
ExprPtr Parser::parseMultiplicative() {
  SMLoc start = tok.getLoc();
  ExprPtr lhs = parseUnary();
  unsigned chain = 0;
  while (lhs && (tok.is(TokenKind::star) || tok.is(TokenKind::slash) ||
                 tok.is(TokenKind::percent) || tok.is(TokenKind::at))) {
    ++chain;
    ++nesting;
    if (nesting > kMaxNesting && !fatal) {
      diags.error(tok.getLoc(),
                  llvm::Twine("expression is too long (more "
                              "than ") +
                      llvm::Twine(kMaxNesting) + " nested operations)",
                  tok.getRange());
      fatal = true;
    }
    if (fatal) {
      lhs = nullptr;
      break;
    }
    BinaryOp op = tok.is(TokenKind::star)      ? BinaryOp::Mul
                  : tok.is(TokenKind::slash)   ? BinaryOp::Div
                  : tok.is(TokenKind::percent) ? BinaryOp::Mod
                                               : BinaryOp::MatMul;
    SMLoc opLoc = tok.getLoc();
    consume();
    ExprPtr rhs = parseUnary();
    if (!rhs) {
      lhs = nullptr;
      break;
    }
    lhs = std::make_unique<BinaryExpr>(rangeFrom(start), op, opLoc,
                                       std::move(lhs), std::move(rhs));
  }
  nesting -= chain;
  return lhs;
}

/// unary ::= '-' unary | postfix
ExprPtr Parser::parseUnary() {
  NestingGuard guard(*this);
  if (!guard.ok())
    return nullptr;
  if (tok.is(TokenKind::minus)) {
    SMLoc start = tok.getLoc();
    consume();
    ExprPtr operand = parseUnary();
    if (!operand)
      return nullptr;
    return std::make_unique<UnaryExpr>(rangeFrom(start), std::move(operand));
  }
  return parsePostfix();
}

/// postfix ::= primary { '(' args ')' | '[' subscripts ']' | '.' ident }
ExprPtr Parser::parsePostfix() {
  SMLoc start = tok.getLoc();
  ExprPtr expr = parsePrimary();
  unsigned chain = 0;
  while (expr && !fatal) {
    if (tok.is(TokenKind::l_paren) || tok.is(TokenKind::l_square) ||
        tok.is(TokenKind::dot)) {
      ++chain;
      ++nesting;
      if (nesting > kMaxNesting) {
        diags.error(tok.getLoc(), "expression is nested too deeply",
                    tok.getRange());
        fatal = true;
        expr = nullptr;
        break;
      }
    }
    if (consumeIf(TokenKind::l_paren)) {
      std::vector<Arg> args;
      if (!parseCallArgs(args)) {
        expr = nullptr;
        break;
      }
      expr = std::make_unique<CallExpr>(rangeFrom(start), std::move(expr),
                                        std::move(args));
    } else if (consumeIf(TokenKind::l_square)) {
      std::vector<ExprPtr> subscripts;
      if (tok.is(TokenKind::r_square)) {
        diags.error(tok.getLoc(), "expected at least one subscript",
                    tok.getRange());
        expr = nullptr;
        break;
      }
      bool ok = true;
      do {
        if (tok.is(TokenKind::r_square))
          break;
        ExprPtr sub = parseSubscript();
        if (!sub) {
          ok = false;
          break;
        }
        subscripts.push_back(std::move(sub));
      } while (consumeIf(TokenKind::comma));
      if (!ok || !expect(TokenKind::r_square, "after the subscripts")) {
        expr = nullptr;
        break;
      }
      expr = std::make_unique<IndexExpr>(rangeFrom(start), std::move(expr),
                                         std::move(subscripts));
    } else if (consumeIf(TokenKind::dot)) {
      Ident member;
      if (!parseIdent(member, "a member name after '.'")) {
        expr = nullptr;
        break;
      }
      expr = std::make_unique<MemberExpr>(rangeFrom(start), std::move(expr),
                                          member.name, member.range.Start);
    } else {
      break;
    }
  }
  nesting -= chain;
  return expr;
}

/// subscript ::= expr | [expr] ':' [expr] [':' [expr]]
ExprPtr Parser::parseSubscript() {
  SMLoc start = tok.getLoc();
  ExprPtr first;
  if (tok.isNot(TokenKind::colon)) {
    first = parseExpr();
    if (!first)
      return nullptr;
    if (tok.isNot(TokenKind::colon))
      return first;
  }
  consume(); // ':'
  auto atEnd = [&] {
    return tok.is(TokenKind::colon) || tok.is(TokenKind::comma) ||
           tok.is(TokenKind::r_square);
  };
  ExprPtr stop, step;
  if (!atEnd()) {
    stop = parseExpr();
    if (!stop)
      return nullptr;
  }
  if (consumeIf(TokenKind::colon) && !atEnd()) {
    step = parseExpr();
    if (!step)
      return nullptr;
  }
  return std::make_unique<SliceExpr>(rangeFrom(start), std::move(first),
                                     std::move(stop), std::move(step));
}

/// args ::= [arg {',' arg} [',']] ')'
/// arg ::= [ident '='] expr
bool Parser::parseCallArgs(std::vector<Arg> &args) {
  while (tok.isNot(TokenKind::r_paren) && !stop()) {
    Arg arg;
    if (tok.is(TokenKind::identifier) && peek().is(TokenKind::equal)) {
      arg.name = tok.text.str();
      arg.nameLoc = tok.getLoc();
      consume();
      consume();
    }
    arg.value = parseExpr();
    if (!arg.value)
      return false;
    args.push_back(std::move(arg));
    if (!consumeIf(TokenKind::comma))
      break;
  }
  return expect(TokenKind::r_paren, "to close the argument list");
}

/// exprList ::= [expr {',' expr} [',']] close
bool Parser::parseExprList(std::vector<ExprPtr> &out, TokenKind close) {
  while (tok.isNot(close) && !stop()) {
    ExprPtr e = parseExpr();
    if (!e)
      return false;
    out.push_back(std::move(e));
    if (!consumeIf(TokenKind::comma))
      break;
  }
  return expect(close, "to close the list");
}

/// primary ::= integer | float | string | ident | '(' expr ')'
///           | '[' exprList ']' | scan
ExprPtr Parser::parsePrimary() {
  SMLoc start = tok.getLoc();
  switch (tok.kind) {
  case TokenKind::integer: {
    uint64_t value = 0;
    if (tok.text.getAsInteger(10, value) ||
        value > static_cast<uint64_t>(INT64_MAX)) {
      diags.error(start, "integer literal is too large", tok.getRange());
      consume();
      return nullptr;
    }
    consume();
    return std::make_unique<IntExpr>(rangeFrom(start),
                                     static_cast<int64_t>(value));
  }
  case TokenKind::floating: {
    std::string text = tok.text.str();
    errno = 0;
    double value = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(value)) {
      diags.error(start, "float literal is out of range", tok.getRange());
      consume();
      return nullptr;
    }
    consume();
    return std::make_unique<FloatExpr>(rangeFrom(start), value);
  }
  case TokenKind::string: {
    std::string value = tok.text.drop_front().drop_back().str();
    consume();
    return std::make_unique<StringExpr>(rangeFrom(start), std::move(value));
  }
  case TokenKind::identifier: {
    std::string name = tok.text.str();
    consume();
    return std::make_unique<NameExpr>(rangeFrom(start), std::move(name));
  }
  case TokenKind::l_paren: {
    consume();
    ExprPtr inner = parseExpr();
    if (!inner || !expect(TokenKind::r_paren, "to close the parenthesis"))
      return nullptr;
    return inner;
  }
  case TokenKind::l_square: {
    consume();
    std::vector<ExprPtr> elements;
    if (!parseExprList(elements, TokenKind::r_square))
      return nullptr;
    return std::make_unique<ListExpr>(rangeFrom(start), std::move(elements));
  }
  case TokenKind::kw_scan:
    return parseScan();
  case TokenKind::kw_training:
    diags.error(start,
                "'training' is only a condition: 'if training { ... } else "
                "{ ... }'",
                tok.getRange());
    return nullptr;
  case TokenKind::error:
    consume();
    return nullptr;
  default:
    diags.error(start,
                llvm::Twine("expected an expression, found ") + spell(tok.kind),
                tok.getRange());
    return nullptr;
  }
}

/// scan ::= 'scan' ( ident 'in' expr {',' ident 'in' expr} | 'length' expr )
///          ['along' expr]
///          ['carry' '(' ident '=' expr {',' ident '=' expr} ')'] block
/// (`length` is not reserved: `scan length in x` walks x.)
ExprPtr Parser::parseScan() {
  SMLoc start = tok.getLoc();
  consume();
  auto scan = std::make_unique<ScanExpr>(SMRange(start, start));
  if (tok.is(TokenKind::identifier) && tok.text == "length" &&
      peek().isNot(TokenKind::kw_in)) {
    consume();
    scan->length = parseExpr();
    if (!scan->length)
      return nullptr;
  } else {
    do {
      Binding seq;
      Ident name;
      if (!parseIdent(name, "the name of the per-step slice after 'scan'") ||
          !expect(TokenKind::kw_in, "after the per-step slice name"))
        return nullptr;
      seq.name = name.name;
      seq.nameRange = name.range;
      seq.value = parseExpr();
      if (!seq.value)
        return nullptr;
      scan->sequences.push_back(std::move(seq));
    } while (consumeIf(TokenKind::comma));
  }
  // The header may go on over line breaks before 'along', 'carry' and '{'.
  static constexpr TokenKind header[] = {
      TokenKind::kw_along, TokenKind::kw_carry, TokenKind::l_brace};
  continueLineBefore(header);
  if (consumeIf(TokenKind::kw_along)) {
    scan->along = parseExpr();
    if (!scan->along)
      return nullptr;
    continueLineBefore(header);
  }
  if (consumeIf(TokenKind::kw_carry)) {
    if (!expect(TokenKind::l_paren, "after 'carry'"))
      return nullptr;
    do {
      Binding carry;
      Ident name;
      if (!parseIdent(name, "a carried value name") ||
          !expect(TokenKind::equal, "and its initial value after the name"))
        return nullptr;
      carry.name = name.name;
      carry.nameRange = name.range;
      carry.value = parseExpr();
      if (!carry.value)
        return nullptr;
      scan->carries.push_back(std::move(carry));
    } while (consumeIf(TokenKind::comma));
    if (!expect(TokenKind::r_paren, "after the carried values"))
      return nullptr;
  }
  continueLineBefore(header);
  Block body;
  if (!parseBlock(body))
    return nullptr;
  auto result = std::make_unique<ScanExpr>(rangeFrom(start));
  result->sequences = std::move(scan->sequences);
  result->length = std::move(scan->length);
  result->along = std::move(scan->along);
  result->carries = std::move(scan->carries);
  result->body = std::move(body);
  return result;
}
