//===- FrontendFuzzer.cpp - libFuzzer target: the .dl front end -----------===//
//
// Part of dlc. Parses the input as a .dl file (imports resolve against the
// source tree's stdlib), runs Sema and, when Sema accepts it, MLIRGen and
// the verifier. The contract of test/unit/FrontendFuzz.cpp holds for every
// input: success, or at least one diagnostic; never a crash, an assertion,
// a sanitizer report or a failure without a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "Frontend/Frontend.h"
#include "Frontend/MLIRGen.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace dlc::frontend;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *c = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    loadFrontendDialects(*c);
    return c;
  }();
  llvm::SourceMgr sourceMgr;
  std::string diagText;
  llvm::raw_string_ostream diagStream(diagText);
  DiagEngine diags(sourceMgr, diagStream);
  FrontendOptions options;
  options.importDirs.push_back(DLC_SOURCE_DIR "/stdlib");
  Frontend frontend(diags, options);
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  bool ok = frontend.parseBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz-input.dl"));
  if (ok)
    ok = frontend.check();
  bool generated = false;
  if (ok) {
    // Only a file with one model (or none, an error) gets this far with an
    // empty FrontendOptions::modelName.
    auto module = frontend.generate(*context);
    generated = static_cast<bool>(module);
  }
  bool clean = generated || (ok && !diags.hadError());
  if (!clean && !diags.hadError()) {
    std::fprintf(stderr, "dlc fuzz: the front end failed without a "
                         "diagnostic\n");
    std::abort();
  }
  return 0;
}
