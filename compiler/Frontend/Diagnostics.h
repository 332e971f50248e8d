//===- Diagnostics.h - front-end diagnostics --------------------*- C++ -*-===//
//
// Part of dlc. The front end reports every problem through a DiagEngine: a
// thin layer over llvm::SourceMgr that prints `file:line:col: error: message`
// with the source line and a caret/range, counts errors and stops printing
// after a limit so that hostile input cannot flood the terminal.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_DIAGNOSTICS_H
#define DLC_FRONTEND_DIAGNOSTICS_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace dlc::frontend {

/// Collects and prints the diagnostics of one front-end run.
class DiagEngine {
public:
  /// Prints to `os` using the buffers of `sourceMgr`.
  DiagEngine(llvm::SourceMgr &sourceMgr, llvm::raw_ostream &os)
      : sourceMgr(sourceMgr), os(os) {}

  /// Reports an error at `loc`, underlining `range` when it is valid.
  void error(llvm::SMLoc loc, const llvm::Twine &message,
             llvm::SMRange range = {});
  /// Reports a note (extra information attached to the previous error).
  void note(llvm::SMLoc loc, const llvm::Twine &message,
            llvm::SMRange range = {});
  /// Reports a warning; warnings do not make the run fail.
  void warning(llvm::SMLoc loc, const llvm::Twine &message,
               llvm::SMRange range = {});
  /// Reports an error that has no source location (e.g. a missing file).
  void errorNoLoc(const llvm::Twine &message);

  /// Number of errors reported so far (including suppressed ones).
  unsigned getNumErrors() const { return numErrors; }
  /// True once any error was reported.
  bool hadError() const { return numErrors != 0; }
  /// True once the error limit was reached: callers may stop early.
  bool tooManyErrors() const { return errorLimit && numErrors >= errorLimit; }
  /// Sets how many errors are printed before the rest are suppressed (0 means
  /// no limit).
  void setErrorLimit(unsigned limit) { errorLimit = limit; }

  /// The source manager the locations refer to.
  llvm::SourceMgr &getSourceMgr() { return sourceMgr; }
  /// The stream diagnostics are printed to.
  llvm::raw_ostream &getStream() { return os; }

private:
  void print(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
             const llvm::Twine &message, llvm::SMRange range);

  llvm::SourceMgr &sourceMgr;
  llvm::raw_ostream &os;
  unsigned numErrors = 0;
  unsigned errorLimit = 20;
  bool suppressing = false;
};

} // namespace dlc::frontend

#endif // DLC_FRONTEND_DIAGNOSTICS_H
