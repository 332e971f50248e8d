//===- Token.h - tokens of the .dl language ---------------------*- C++ -*-===//
//
// Part of dlc. The token kinds produced by the Lexer and consumed by the
// Parser. A token is a kind plus the source text it covers.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_TOKEN_H
#define DLC_FRONTEND_TOKEN_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

namespace dlc::frontend {

/// Every kind of token of the .dl language.
enum class TokenKind {
  // Markers.
  eof,
  error,   ///< A malformed token (already diagnosed by the lexer).
  newline, ///< A statement separator: a line break outside ( ) and [ ].
  // Literals and names.
  identifier,
  integer,
  floating,
  string,
  // Keywords.
  kw_import,
  kw_const,
  kw_layer,
  kw_model,
  kw_param,
  kw_state,
  kw_fn,
  kw_return,
  kw_input,
  kw_label,
  kw_forward,
  kw_train,
  kw_output,
  kw_loss,
  kw_metric,
  kw_scan,
  kw_in,
  kw_along,
  kw_carry,
  kw_yield,
  kw_if,
  kw_else,
  kw_training,
  kw_require,
  // Punctuation.
  l_paren,
  r_paren,
  l_square,
  r_square,
  l_brace,
  r_brace,
  comma,
  colon,
  semicolon,
  dot,
  equal,
  plus,
  minus,
  star,
  slash,
  at,
  arrow,
  percent,
  // Comparisons (`require` only).
  equal_equal,
  bang_equal,
  less,
  less_equal,
  greater,
  greater_equal,
};

/// Returns a printable spelling of `kind` for diagnostics ("'('",
/// "identifier").
llvm::StringRef spell(TokenKind kind);

/// One token: its kind and the exact source text (which locates it).
struct Token {
  TokenKind kind = TokenKind::eof;
  llvm::StringRef text;

  /// True if the token has kind `k`.
  bool is(TokenKind k) const { return kind == k; }
  /// True if the token does not have kind `k`.
  bool isNot(TokenKind k) const { return kind != k; }
  /// The location of the first character.
  llvm::SMLoc getLoc() const {
    return llvm::SMLoc::getFromPointer(text.data());
  }
  /// The location just past the last character.
  llvm::SMLoc getEndLoc() const {
    return llvm::SMLoc::getFromPointer(text.data() + text.size());
  }
  /// The range covered by the token.
  llvm::SMRange getRange() const { return {getLoc(), getEndLoc()}; }
};

} // namespace dlc::frontend

#endif // DLC_FRONTEND_TOKEN_H
