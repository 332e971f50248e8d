//===- Lexer.h - the .dl lexer ----------------------------------*- C++ -*-===//
//
// Part of dlc. Splits a .dl buffer into tokens. The lexer never reads past
// the end of its buffer (embedded NUL bytes are ordinary bad characters) and
// reports malformed input (bad characters, unterminated comments and strings,
// malformed numbers) through the DiagEngine, returning an `error` token.
//
// Line breaks are significant: they end statements, except inside ( ) and
// [ ], where expressions may span lines.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_LEXER_H
#define DLC_FRONTEND_LEXER_H

#include "Frontend/Diagnostics.h"
#include "Frontend/Token.h"

#include "llvm/ADT/SmallVector.h"

namespace dlc::frontend {

/// Tokenizes one buffer.
class Lexer {
public:
  /// Lexes `buffer`; diagnostics go to `diags`.
  Lexer(llvm::StringRef buffer, DiagEngine &diags);

  /// Returns the next token; returns `eof` forever at the end.
  Token next();

  /// Forgets the ( and [ opened since the innermost {, so that line breaks
  /// end statements again. The parser calls this when it abandons a
  /// statement with unbalanced brackets.
  void closeOpenParens();

private:
  Token make(TokenKind kind, const char *start) const {
    return Token{kind, llvm::StringRef(start, cur - start)};
  }
  Token lexIdentifier(const char *start);
  Token lexNumber(const char *start);
  Token lexString(const char *start);
  /// Skips blanks and comments; stops at a significant newline.
  void skipTrivia();
  /// True if line breaks currently end statements.
  bool newlinesSignificant() const;

  const char *cur;
  const char *end;
  DiagEngine &diags;
  /// Open brackets: '(' and '[' make line breaks insignificant, '{' makes them
  /// significant again.
  llvm::SmallVector<char, 16> brackets;
};

/// Returns the keyword kind for `text`, or `identifier`.
TokenKind getKeywordKind(llvm::StringRef text);

} // namespace dlc::frontend

#endif // DLC_FRONTEND_LEXER_H
