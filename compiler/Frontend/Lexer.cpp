//===- Lexer.cpp - the .dl lexer ------------------------------------------===//
//
// Part of dlc. Implementation of the Lexer.
//
//===----------------------------------------------------------------------===//

#include "Frontend/Lexer.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace dlc::frontend;
using llvm::SMLoc;
using llvm::StringRef;

StringRef dlc::frontend::spell(TokenKind kind) {
  switch (kind) {
  case TokenKind::eof:
    return "end of file";
  case TokenKind::error:
    return "invalid token";
  case TokenKind::newline:
    return "end of line";
  case TokenKind::identifier:
    return "identifier";
  case TokenKind::integer:
    return "integer literal";
  case TokenKind::floating:
    return "float literal";
  case TokenKind::string:
    return "string literal";
  case TokenKind::kw_import:
    return "'import'";
  case TokenKind::kw_const:
    return "'const'";
  case TokenKind::kw_layer:
    return "'layer'";
  case TokenKind::kw_model:
    return "'model'";
  case TokenKind::kw_param:
    return "'param'";
  case TokenKind::kw_state:
    return "'state'";
  case TokenKind::kw_fn:
    return "'fn'";
  case TokenKind::kw_return:
    return "'return'";
  case TokenKind::kw_input:
    return "'input'";
  case TokenKind::kw_label:
    return "'label'";
  case TokenKind::kw_forward:
    return "'forward'";
  case TokenKind::kw_train:
    return "'train'";
  case TokenKind::kw_output:
    return "'output'";
  case TokenKind::kw_loss:
    return "'loss'";
  case TokenKind::kw_metric:
    return "'metric'";
  case TokenKind::kw_scan:
    return "'scan'";
  case TokenKind::kw_in:
    return "'in'";
  case TokenKind::kw_along:
    return "'along'";
  case TokenKind::kw_carry:
    return "'carry'";
  case TokenKind::kw_yield:
    return "'yield'";
  case TokenKind::kw_if:
    return "'if'";
  case TokenKind::kw_else:
    return "'else'";
  case TokenKind::kw_training:
    return "'training'";
  case TokenKind::l_paren:
    return "'('";
  case TokenKind::r_paren:
    return "')'";
  case TokenKind::l_square:
    return "'['";
  case TokenKind::r_square:
    return "']'";
  case TokenKind::l_brace:
    return "'{'";
  case TokenKind::r_brace:
    return "'}'";
  case TokenKind::comma:
    return "','";
  case TokenKind::colon:
    return "':'";
  case TokenKind::semicolon:
    return "';'";
  case TokenKind::dot:
    return "'.'";
  case TokenKind::equal:
    return "'='";
  case TokenKind::plus:
    return "'+'";
  case TokenKind::minus:
    return "'-'";
  case TokenKind::star:
    return "'*'";
  case TokenKind::slash:
    return "'/'";
  case TokenKind::at:
    return "'@'";
  case TokenKind::arrow:
    return "'->'";
  case TokenKind::percent:
    return "'%'";
  case TokenKind::equal_equal:
    return "'=='";
  case TokenKind::bang_equal:
    return "'!='";
  case TokenKind::less:
    return "'<'";
  case TokenKind::less_equal:
    return "'<='";
  case TokenKind::greater:
    return "'>'";
  case TokenKind::greater_equal:
    return "'>='";
  case TokenKind::kw_require:
    return "'require'";
  }
  return "token";
}

TokenKind dlc::frontend::getKeywordKind(StringRef text) {
  return llvm::StringSwitch<TokenKind>(text)
      .Case("import", TokenKind::kw_import)
      .Case("const", TokenKind::kw_const)
      .Case("require", TokenKind::kw_require)
      .Case("layer", TokenKind::kw_layer)
      .Case("model", TokenKind::kw_model)
      .Case("param", TokenKind::kw_param)
      .Case("state", TokenKind::kw_state)
      .Case("fn", TokenKind::kw_fn)
      .Case("return", TokenKind::kw_return)
      .Case("input", TokenKind::kw_input)
      .Case("label", TokenKind::kw_label)
      .Case("forward", TokenKind::kw_forward)
      .Case("train", TokenKind::kw_train)
      .Case("output", TokenKind::kw_output)
      .Case("loss", TokenKind::kw_loss)
      .Case("metric", TokenKind::kw_metric)
      .Case("scan", TokenKind::kw_scan)
      .Case("in", TokenKind::kw_in)
      .Case("along", TokenKind::kw_along)
      .Case("carry", TokenKind::kw_carry)
      .Case("yield", TokenKind::kw_yield)
      .Case("if", TokenKind::kw_if)
      .Case("else", TokenKind::kw_else)
      .Case("training", TokenKind::kw_training)
      .Default(TokenKind::identifier);
}

Lexer::Lexer(StringRef buffer, DiagEngine &diags)
    : cur(buffer.begin()), end(buffer.end()), diags(diags) {}

static bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool isDigit(char c) { return c >= '0' && c <= '9'; }
static bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

/// True for bytes that can start a token or are blanks: anything else is an
/// invalid character.
static bool isValidStart(char c) {
  return isIdentStart(c) || isDigit(c) ||
         llvm::StringRef("()[]{},:;.=+-*/@%<>\" \t\r\n\f\v").contains(c);
}

void Lexer::closeOpenParens() {
  while (!brackets.empty() && brackets.back() != '{')
    brackets.pop_back();
}

bool Lexer::newlinesSignificant() const {
  return brackets.empty() || brackets.back() == '{';
}

void Lexer::skipTrivia() {
  while (cur < end) {
    char c = *cur;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++cur;
      continue;
    }
    if (c == '\n') {
      if (newlinesSignificant())
        return;
      ++cur;
      continue;
    }
    if (c == '/' && cur + 1 < end && cur[1] == '/') {
      while (cur < end && *cur != '\n')
        ++cur;
      continue;
    }
    if (c == '/' && cur + 1 < end && cur[1] == '*') {
      const char *start = cur;
      cur += 2;
      while (cur + 1 < end && !(cur[0] == '*' && cur[1] == '/'))
        ++cur;
      if (cur + 1 >= end) {
        cur = end;
        diags.error(
            SMLoc::getFromPointer(start), "unterminated block comment",
            {SMLoc::getFromPointer(start), SMLoc::getFromPointer(start + 2)});
        return;
      }
      cur += 2;
      continue;
    }
    return;
  }
}

Token Lexer::next() {
  skipTrivia();
  if (cur >= end)
    return Token{TokenKind::eof, StringRef(end, 0)};
  const char *start = cur;
  char c = *cur++;
  if (c == '\n') {
    // Collapse a run of blank lines (and trivia between them) into one token.
    while (true) {
      skipTrivia();
      if (cur < end && *cur == '\n')
        ++cur;
      else
        break;
    }
    return Token{TokenKind::newline, StringRef(start, 1)};
  }
  if (isIdentStart(c))
    return lexIdentifier(start);
  if (isDigit(c))
    return lexNumber(start);
  switch (c) {
  case '"':
    return lexString(start);
  case '(':
  case '[':
  case '{':
    // Bound the bracket stack; deeper nesting is diagnosed by the parser.
    if (brackets.size() < 100000)
      brackets.push_back(c);
    return make(c == '('   ? TokenKind::l_paren
                : c == '[' ? TokenKind::l_square
                           : TokenKind::l_brace,
                start);
  case ')':
  case ']':
  case '}':
    if (c == '}') {
      // A brace closes everything opened inside it.
      while (!brackets.empty() && brackets.back() != '{')
        brackets.pop_back();
      if (!brackets.empty())
        brackets.pop_back();
    } else if (!brackets.empty() && brackets.back() != '{') {
      brackets.pop_back();
    }
    return make(c == ')'   ? TokenKind::r_paren
                : c == ']' ? TokenKind::r_square
                           : TokenKind::r_brace,
                start);
  case ',':
    return make(TokenKind::comma, start);
  case ':':
    return make(TokenKind::colon, start);
  case ';':
    return make(TokenKind::semicolon, start);
  case '.':
    return make(TokenKind::dot, start);
  case '=':
    if (cur < end && *cur == '=') {
      ++cur;
      return make(TokenKind::equal_equal, start);
    }
    return make(TokenKind::equal, start);
  case '!':
    if (cur < end && *cur == '=') {
      ++cur;
      return make(TokenKind::bang_equal, start);
    }
    break;
  case '<':
  case '>': {
    bool eq = cur < end && *cur == '=';
    if (eq)
      ++cur;
    return make(c == '<' ? (eq ? TokenKind::less_equal : TokenKind::less)
                         : (eq ? TokenKind::greater_equal : TokenKind::greater),
                start);
  }
  case '%':
    return make(TokenKind::percent, start);
  case '+':
    return make(TokenKind::plus, start);
  case '-':
    if (cur < end && *cur == '>') {
      ++cur;
      return make(TokenKind::arrow, start);
    }
    return make(TokenKind::minus, start);
  case '*':
    return make(TokenKind::star, start);
  case '/':
    return make(TokenKind::slash, start);
  case '@':
    return make(TokenKind::at, start);
  default:
    break;
  }
  // A run of invalid bytes is one error token and one diagnostic.
  while (cur < end && !isValidStart(*cur))
    ++cur;
  std::string shown;
  unsigned char uc = static_cast<unsigned char>(c);
  if (uc >= 0x20 && uc < 0x7f)
    shown = std::string("'") + c + "'";
  else
    shown = llvm::formatv("'\\x{0:x-2}'", static_cast<unsigned>(uc)).str();
  diags.error(SMLoc::getFromPointer(start),
              llvm::Twine("invalid character ") + shown + " in source",
              {SMLoc::getFromPointer(start), SMLoc::getFromPointer(cur)});
  return make(TokenKind::error, start);
}

Token Lexer::lexIdentifier(const char *start) {
  while (cur < end && isIdentChar(*cur))
    ++cur;
  Token tok = make(TokenKind::identifier, start);
  tok.kind = getKeywordKind(tok.text);
  return tok;
}

Token Lexer::lexNumber(const char *start) {
  while (cur < end && isDigit(*cur))
    ++cur;
  bool isFloat = false;
  // A fraction needs a digit after the dot so that `1.T` stays `1` `.` `T`.
  if (cur + 1 < end && *cur == '.' && isDigit(cur[1])) {
    isFloat = true;
    ++cur;
    while (cur < end && isDigit(*cur))
      ++cur;
  }
  if (cur < end && (*cur == 'e' || *cur == 'E')) {
    const char *expStart = cur;
    ++cur;
    if (cur < end && (*cur == '+' || *cur == '-'))
      ++cur;
    if (cur >= end || !isDigit(*cur)) {
      diags.error(SMLoc::getFromPointer(expStart),
                  "expected digits in the exponent of a number",
                  {SMLoc::getFromPointer(start), SMLoc::getFromPointer(cur)});
      return make(TokenKind::error, start);
    }
    while (cur < end && isDigit(*cur))
      ++cur;
    isFloat = true;
  }
  if (cur < end && isIdentStart(*cur)) {
    const char *bad = cur;
    while (cur < end && isIdentChar(*cur))
      ++cur;
    diags.error(SMLoc::getFromPointer(bad), "invalid suffix on a number",
                {SMLoc::getFromPointer(start), SMLoc::getFromPointer(cur)});
    return make(TokenKind::error, start);
  }
  return make(isFloat ? TokenKind::floating : TokenKind::integer, start);
}

Token Lexer::lexString(const char *start) {
  while (cur < end && *cur != '"' && *cur != '\n') {
    if (*cur == '\\' && cur + 1 < end && cur[1] != '\n')
      ++cur;
    ++cur;
  }
  if (cur >= end || *cur != '"') {
    diags.error(SMLoc::getFromPointer(start), "unterminated string literal",
                {SMLoc::getFromPointer(start), SMLoc::getFromPointer(cur)});
    return make(TokenKind::error, start);
  }
  ++cur;
  return make(TokenKind::string, start);
}
