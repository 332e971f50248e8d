//===- Sema.h - semantic analysis of .dl programs ---------------*- C++ -*-===//
//
// Part of dlc. Sema resolves every name, evaluates constants, instantiates
// (monomorphizes) layers, binds dimension variables and checks every shape
// and element type of every model in a program. Its result is one
// CheckedModel per model (CheckedModel.h, the contract with MLIRGen). The
// checker itself is private to the Sema*.cpp files (SemaInternal.h).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_SEMA_H
#define DLC_FRONTEND_SEMA_H

#include "Frontend/AST.h"
#include "Frontend/CheckedModel.h"
#include "Frontend/Diagnostics.h"

#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dlc::frontend {

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
