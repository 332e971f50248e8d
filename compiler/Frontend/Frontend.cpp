//===- Frontend.cpp - the .dl front-end pipeline --------------------------===//
//
// Part of dlc. Loading files and imports, and running the front-end steps.
//
//===----------------------------------------------------------------------===//

#include "Frontend/Frontend.h"

#include "Frontend/MLIRGen.h"
#include "Frontend/Parser.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace dlc::frontend;
using llvm::StringRef;

/// A canonical name for a file: its real path when it exists.
static std::string canonicalPath(StringRef path) {
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(path, real))
    return std::string(real);
  llvm::SmallString<256> abs(path);
  llvm::sys::fs::make_absolute(abs);
  llvm::sys::path::remove_dots(abs, /*remove_dot_dot=*/true);
  return std::string(abs);
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
dlc::frontend::readSourceFile(StringRef path, uint64_t maxSize) {
  auto tooLarge = [&] {
    return llvm::createStringError(
        std::make_error_code(std::errc::file_too_large),
        "file is too large (the limit is %llu MiB)",
        (unsigned long long)(maxSize >> 20));
  };
  llvm::sys::fs::file_t fd;
  llvm::sys::fs::file_t stdinHandle = llvm::sys::fs::getStdinHandle();
  bool isStdin = path == "-";
  if (isStdin) {
    fd = stdinHandle;
  } else {
    // Check the type first: opening a FIFO would block.
    llvm::sys::fs::file_status st;
    if (std::error_code ec = llvm::sys::fs::status(path, st))
      return llvm::errorCodeToError(ec);
    if (st.type() == llvm::sys::fs::file_type::directory_file)
      return llvm::createStringError(std::errc::is_a_directory,
                                     "is a directory");
    if (st.type() != llvm::sys::fs::file_type::regular_file)
      return llvm::createStringError(std::errc::invalid_argument,
                                     "not a regular file");
    if (st.getSize() > maxSize)
      return tooLarge();
    llvm::Expected<llvm::sys::fs::file_t> opened =
        llvm::sys::fs::openNativeFileForRead(path);
    if (!opened)
      return opened.takeError();
    fd = *opened;
  }
  // Read at most maxSize + 1 bytes: a file may grow after the check.
  llvm::SmallVector<char, 0> data;
  llvm::Error error = llvm::Error::success();
  while (data.size() <= maxSize) {
    size_t old = data.size();
    size_t chunk = std::min<uint64_t>(1 << 16, maxSize + 1 - old);
    data.resize_for_overwrite(old + chunk);
    llvm::Expected<size_t> got = llvm::sys::fs::readNativeFile(
        fd, llvm::MutableArrayRef<char>(data.data() + old, chunk));
    if (!got) {
      error = got.takeError();
      data.truncate(old);
      break;
    }
    data.truncate(old + *got);
    if (*got == 0)
      break;
  }
  if (!isStdin)
    llvm::sys::fs::closeFile(fd);
  if (error)
    return error;
  if (data.size() > maxSize)
    return tooLarge();
  return llvm::MemoryBuffer::getMemBufferCopy(
      StringRef(data.data(), data.size()), isStdin ? "<stdin>" : path);
}

bool Frontend::parseFile(StringRef path) {
  // The buffer keeps the name as given so diagnostics show the user's path.
  auto buffer = readSourceFile(path, kMaxFileSize);
  if (!buffer) {
    diags.errorNoLoc("cannot open '" + path +
                     "': " + llvm::toString(buffer.takeError()));
    return false;
  }
  return load(std::move(*buffer), canonicalPath(path), 0) && !diags.hadError();
}

bool Frontend::parseBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  std::string canonical = canonicalPath(buffer->getBufferIdentifier());
  return load(std::move(buffer), canonical, 0) && !diags.hadError();
}

const ast::Module *Frontend::getMainModule() const {
  if (program.units.empty())
    return nullptr;
  return program.units[program.mainUnit].module.get();
}

std::string Frontend::resolveImport(const ast::ImportDecl &decl,
                                    StringRef importer, std::string &tried) {
  if (decl.isPath) {
    llvm::SmallString<256> path(decl.target);
    if (!llvm::sys::path::is_absolute(path)) {
      path = llvm::sys::path::parent_path(importer);
      llvm::sys::path::append(path, decl.target);
    }
    tried = std::string(path);
    return llvm::sys::fs::exists(path) ? std::string(path) : std::string();
  }
  for (const std::string &dir : options.importDirs) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, decl.target + ".dl");
    tried += (tried.empty() ? "" : ", ") + std::string(path);
    if (llvm::sys::fs::exists(path) && !llvm::sys::fs::is_directory(path))
      return std::string(path);
  }
  return {};
}

bool Frontend::load(std::unique_ptr<llvm::MemoryBuffer> buffer,
                    const std::string &canonical, unsigned depth) {
  llvm::SourceMgr &sm = diags.getSourceMgr();
  std::string name = buffer->getBufferIdentifier().str();
  unsigned id = sm.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  Parser parser(diags, id);
  std::unique_ptr<ast::Module> module = parser.parseModule();
  loaded.insert(canonical);
  stack.push_back(canonical);

  for (const ast::DeclPtr &d : module->decls) {
    auto *imp = llvm::dyn_cast<ast::ImportDecl>(d.get());
    if (!imp)
      continue;
    if (diags.tooManyErrors())
      break;
    std::string tried;
    std::string path = resolveImport(*imp, name, tried);
    if (path.empty()) {
      diags.error(imp->targetRange.Start,
                  "cannot find " +
                      (imp->isPath ? "'" + imp->target + "'"
                                   : "module '" + imp->target + "'") +
                      (tried.empty() ? std::string(" (no import directories)")
                                     : " (tried " + tried + ")"),
                  imp->targetRange);
      continue;
    }
    std::string canon = canonicalPath(path);
    auto inStack = std::find(stack.begin(), stack.end(), canon);
    if (inStack != stack.end()) {
      std::string cycle;
      for (auto it = inStack; it != stack.end(); ++it)
        cycle += llvm::sys::path::filename(*it).str() + " -> ";
      cycle += llvm::sys::path::filename(canon).str();
      diags.error(imp->targetRange.Start, "import cycle: " + cycle,
                  imp->targetRange);
      continue;
    }
    if (loaded.contains(canon))
      continue; // Already loaded through another import.
    if (depth + 1 > kMaxImportDepth) {
      diags.error(imp->targetRange.Start, "imports are nested too deeply",
                  imp->targetRange);
      continue;
    }
    auto file = readSourceFile(path, kMaxFileSize);
    if (!file) {
      diags.error(imp->targetRange.Start,
                  "cannot open '" + path +
                      "': " + llvm::toString(file.takeError()),
                  imp->targetRange);
      continue;
    }
    load(std::move(*file), canon, depth + 1);
  }
  stack.pop_back();
  Program::Unit unit;
  unit.alias = llvm::sys::path::stem(name).str();
  unit.module = std::move(module);
  program.units.push_back(std::move(unit));
  // Dependencies are appended first: the main file ends up last.
  if (depth == 0)
    program.mainUnit = program.units.size() - 1;
  return true;
}

bool Frontend::check() {
  if (program.units.empty())
    return false;
  sema = std::make_unique<Sema>(diags);
  return sema->check(program) && !diags.hadError();
}

mlir::OwningOpRef<mlir::ModuleOp>
Frontend::generate(mlir::MLIRContext &context) {
  if (!sema || diags.hadError())
    return nullptr;
  auto &models = sema->getModels();
  const CheckedModel *chosen = nullptr;
  if (!options.modelName.empty()) {
    for (auto &m : models)
      if (m->name == options.modelName)
        chosen = m.get();
    if (!chosen) {
      std::string names;
      for (auto &m : models)
        names += (names.empty() ? "" : ", ") + m->name;
      diags.errorNoLoc("no model named '" + options.modelName + "'" +
                       (names.empty() ? std::string(" (the file has none)")
                                      : " (the file has " + names + ")"));
      return nullptr;
    }
  } else if (models.size() == 1) {
    chosen = models.front().get();
  } else if (models.empty()) {
    diags.errorNoLoc("the file declares no model to compile (layers alone "
                     "are checked with 'dlc check')");
    return nullptr;
  } else {
    std::string names;
    for (auto &m : models)
      names += (names.empty() ? "" : ", ") + m->name;
    diags.errorNoLoc("the file declares several models (" + names +
                     "); choose one with --model=NAME");
    return nullptr;
  }
  return generateMLIR(context, *chosen, diags);
}
