# compiler/Frontend/Sources.cmake - the front end's sources, listed once for
# the main build (compiler/Frontend/CMakeLists.txt) and the sanitized build
# of the unit tests and fuzzers (test/fuzz/sanitized).
set(DLC_FRONTEND_SOURCES
  AST.cpp
  CheckedModel.cpp
  Diagnostics.cpp
  Frontend.cpp
  Lexer.cpp
  MLIRGen.cpp
  Parser.cpp
  Sema.cpp
  SemaBuiltins.cpp
  SemaCalls.cpp
  SemaDecls.cpp
  SemaExprs.cpp
  SemaStmts.cpp
  SemaTrain.cpp
)
