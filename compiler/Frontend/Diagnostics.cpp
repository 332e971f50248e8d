//===- Diagnostics.cpp - front-end diagnostics ----------------------------===//
//
// Part of dlc. Implementation of DiagEngine.
//
//===----------------------------------------------------------------------===//

#include "Frontend/Diagnostics.h"

using namespace dlc::frontend;

void DiagEngine::print(llvm::SMLoc loc, llvm::SourceMgr::DiagKind kind,
                       const llvm::Twine &message, llvm::SMRange range) {
  if (suppressing)
    return;
  // A range is only printed when both ends lie in the buffer of `loc`.
  llvm::SmallVector<llvm::SMRange, 1> ranges;
  if (loc.isValid() && range.isValid()) {
    unsigned buf = sourceMgr.FindBufferContainingLoc(loc);
    if (buf && sourceMgr.FindBufferContainingLoc(range.Start) == buf &&
        sourceMgr.FindBufferContainingLoc(range.End) == buf &&
        range.Start.getPointer() <= range.End.getPointer())
      ranges.push_back(range);
  }
  if (loc.isValid() && !sourceMgr.FindBufferContainingLoc(loc))
    loc = llvm::SMLoc();
  if (!loc.isValid()) {
    llvm::SMDiagnostic diag("dlc", kind, message.str());
    diag.print(nullptr, os, /*ShowColors=*/false);
    return;
  }
  sourceMgr.PrintMessage(os, loc, kind, message, ranges);
}

void DiagEngine::error(llvm::SMLoc loc, const llvm::Twine &message,
                       llvm::SMRange range) {
  ++numErrors;
  if (errorLimit && numErrors > errorLimit) {
    if (!suppressing) {
      os << "dlc: error: too many errors emitted, stopping now\n";
      suppressing = true;
    }
    return;
  }
  print(loc, llvm::SourceMgr::DK_Error, message, range);
}

void DiagEngine::note(llvm::SMLoc loc, const llvm::Twine &message,
                      llvm::SMRange range) {
  print(loc, llvm::SourceMgr::DK_Note, message, range);
}

void DiagEngine::warning(llvm::SMLoc loc, const llvm::Twine &message,
                         llvm::SMRange range) {
  print(loc, llvm::SourceMgr::DK_Warning, message, range);
}

void DiagEngine::errorNoLoc(const llvm::Twine &message) {
  error(llvm::SMLoc(), message);
}
