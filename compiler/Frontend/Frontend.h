//===- Frontend.h - the .dl front-end pipeline ------------------*- C++ -*-===//
//
// Part of dlc. One Frontend runs the front-end steps on one main file: load
// (with imports), parse, check, and generate the `dl` module. Each step is
// separately callable so that the driver can stop after any of them (`dlc
// check`, `--emit=ast`, `--emit=dl`) and later pipelines can start from the
// returned module.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_FRONTEND_FRONTEND_H
#define DLC_FRONTEND_FRONTEND_H

#include "Frontend/Diagnostics.h"
#include "Frontend/Sema.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include <string>
#include <vector>

namespace dlc::frontend {

/// Options of a front-end run.
struct FrontendOptions {
  /// Directories searched for `import name` (name.dl), in order.
  std::vector<std::string> importDirs;
  /// The model to compile when the file has several; empty means the only
  /// one.
  std::string modelName;
};

/// Reads the source file `path` ("-" for standard input) into a buffer named
/// `path`: at most `maxSize` bytes (a larger file is an error, found after
/// reading maxSize + 1 bytes at most); only regular files (a directory, a
/// device such as /dev/zero or a FIFO is refused before it is opened), and
/// standard input whatever it is.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readSourceFile(llvm::StringRef path, uint64_t maxSize);

/// Runs the front-end steps on one main file.
class Frontend {
public:
  /// The deepest chain of imports accepted.
  static constexpr unsigned kMaxImportDepth = 64;
  /// The largest source file accepted (64 MiB).
  static constexpr uint64_t kMaxFileSize = uint64_t(64) << 20;

  Frontend(DiagEngine &diags, FrontendOptions options)
      : diags(diags), options(std::move(options)) {}

  /// Loads and parses `path` and, recursively, its imports. Returns false
  /// if any error was reported.
  bool parseFile(llvm::StringRef path);
  /// Like parseFile, for an in-memory buffer (its identifier is used as the
  /// file name, also to resolve relative imports).
  bool parseBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer);
  /// Runs Sema on the parsed program. Returns false on errors.
  bool check();
  /// Generates the dl module of the selected model (see
  /// FrontendOptions::modelName). Returns null after reporting errors.
  mlir::OwningOpRef<mlir::ModuleOp> generate(mlir::MLIRContext &context);

  /// The parsed program (main file last).
  const Program &getProgram() const { return program; }
  /// The main file's AST, or null before parsing.
  const ast::Module *getMainModule() const;

private:
  bool load(std::unique_ptr<llvm::MemoryBuffer> buffer,
            const std::string &canonical, unsigned depth);
  std::string resolveImport(const ast::ImportDecl &decl,
                            llvm::StringRef importer, std::string &tried);

  DiagEngine &diags;
  FrontendOptions options;
  Program program;
  std::unique_ptr<Sema> sema;
  /// Canonical paths of files being loaded (the import stack) and loaded.
  std::vector<std::string> stack;
  llvm::StringSet<> loaded;
};

} // namespace dlc::frontend

#endif // DLC_FRONTEND_FRONTEND_H
