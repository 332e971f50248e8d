//===- dlc.cpp - the dlc compiler driver ----------------------------------===//
//
// Part of dlc. The command-line driver:
//
//   dlc check FILE.dl                    parse and check, exit 0 or 1
//   dlc compile FILE.dl [--emit=KIND]    write one representation; the
//                                        default, an object, comes with
//                                        its C header beside it
//
// `--emit` is a table (kEmitKinds): each stage of the pipeline is one entry
// plus one case in `run`. FILE may also be `.mlir` text in the dl dialect,
// which starts the pipeline after the front end.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLDialect.h"
#include "Frontend/Frontend.h"
#include "Frontend/MLIRGen.h"
#include "Pipelines/Compile.h"
#include "Pipelines/Pipelines.h"
#include "Target/HeaderEmitter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <iterator>
#include <optional>
#include <string>
#include <vector>

using namespace dlc::frontend;
using llvm::StringRef;

namespace {

/// What `dlc compile` writes.
enum class EmitKind {
  AST,
  DL,
  DLEntries,
  Linalg,
  LLVMDialect,
  MemoryPlan,
  LLVM,
  Asm,
  Obj
};

/// One `--emit` choice.
struct EmitKindInfo {
  EmitKind kind;
  const char *name;
  /// Extension of the default output file.
  const char *extension;
  const char *help;
};

const EmitKindInfo kEmitKinds[] = {
    {EmitKind::AST, "ast", ".ast", "the parsed syntax tree (before checking)"},
    {EmitKind::DL, "dl", ".mlir",
     "the checked model in the dl dialect (MLIR text)"},
    {EmitKind::DLEntries, "dl-train", ".mlir",
     "the model's entry points in dl after autodiff and optimizer "
     "expansion (forward, eval, grad, train_step, apply)"},
    {EmitKind::Linalg, "linalg", ".mlir",
     "after lowering to linalg on tensors, with fusion"},
    {EmitKind::LLVMDialect, "llvm-dialect", ".mlir",
     "after tiling, vectorization, bufferization: the LLVM dialect"},
    {EmitKind::MemoryPlan, "memory-plan", ".txt",
     "each function's workspace plan: peak vs. the sum of its buffers"},
    {EmitKind::LLVM, "llvm", ".ll", "optimized LLVM IR"},
    {EmitKind::Asm, "asm", ".s", "target assembly"},
    {EmitKind::Obj, "obj", ".o",
     "an object file, and the C header beside it (FILE.h)"},
};

const char *const kToolHelp =
    R"(OVERVIEW: dlc - ahead-of-time compiler for .dl deep-learning models

USAGE: dlc <command> [options] FILE.dl

COMMANDS:
  check      Parse and check FILE.dl; exit 0 when clean, 1 with diagnostics
  compile    Compile FILE.dl and write the representation chosen by --emit
  build      Compile FILE.dl and link a ready trainer executable with dlrt

GENERAL OPTIONS:
  -h, --help     Show this help (or a command's help: dlc <command> --help)
  --version      Show the version

Run 'dlc <command> --help' for the options of a command.
)";

const char *const kCommonOptions =
    R"(  -I DIR, -IDIR     Add DIR to the directories searched by 'import name'
                    (searched before the directory of FILE.dl and the
                    standard library)
  --model=NAME      Choose the model when FILE.dl declares several
  --max-errors=N    Stop after N errors (default 20, 0 = no limit)
  -h, --help        Show this help
)";

const char *const kDenormalsOption =
    R"(  --denormals=MODE  flush (default): the entry points run with subnormal
                    floats flushed to zero, the caller's mode restored on
                    return (as TensorFlow; no slow subnormal arithmetic);
                    keep: IEEE subnormals, in the caller's mode
  --parallel=MODE   auto (default): kernels with enough work split their
                    tile loops over the threads the caller hands the
                    model (MODEL_set_parallel_for; dlrt's trainer: its
                    --threads); off: serial code only
)";

void printCheckHelp(llvm::raw_ostream &os) {
  os << "OVERVIEW: dlc check - parse FILE.dl and check names, shapes and "
        "types\n\n"
     << "USAGE: dlc check [options] FILE.dl\n\n"
     << "Exits 0 when the file is clean and 1 after printing diagnostics as\n"
     << "'file:line:col: error: message' with the source line and a caret.\n\n"
     << "OPTIONS:\n"
     << kCommonOptions;
}

void printCompileHelp(llvm::raw_ostream &os) {
  os << "OVERVIEW: dlc compile - compile FILE.dl\n\n"
     << "USAGE: dlc compile [options] FILE.dl\n\n"
     << "OPTIONS:\n"
     << "  --emit=KIND       What to write (default: from -o's extension,\n"
     << "                    .o obj, .s asm, .ll llvm, .mlir dl; dl for\n"
     << "                    '-o -'; else obj):\n";
  for (const EmitKindInfo &k : kEmitKinds)
    os << "                      " << k.name
       << std::string(14 - std::min<size_t>(13, std::strlen(k.name)), ' ')
       << k.help << "\n";
  os << "  -o FILE           Write to FILE ('-' for standard output); the\n"
     << "                    default is FILE.dl's stem plus the kind's\n"
     << "                    extension, in the current directory; an\n"
     << "                    object's header is written beside it (.h)\n"
     << "                    when FILE is a regular file\n"
     << "  --header=FILE     Write an object's C header to FILE\n"
     << "  --target=TRIPLE   Generate code for TRIPLE (default: the host),\n"
     << "                    e.g. x86_64-linux-gnu, aarch64-linux-gnu\n"
     << "  --mcpu=CPU        Tune for CPU (default: the host's with the host\n"
     << "                    triple, else generic), e.g. znver4, x86-64-v3\n"
     << "                    (AVX2), neoverse-n1. FILE may also be .mlir text\n"
     << "                    in the dl dialect\n"
     << kDenormalsOption << kCommonOptions;
}

void printBuildHelp(llvm::raw_ostream &os) {
  os << "OVERVIEW: dlc build - compile FILE.dl into a trainer executable\n\n"
     << "USAGE: dlc build [options] FILE.dl -o TRAINER\n\n"
     << "Compiles the model for the host, instantiates dlrt's trainer glue "
        "for\n"
     << "it and links both with dlrt using the C++ compiler $CXX (default "
        "c++).\n"
     << "Run './TRAINER --help' for the trainer's commands (train, eval,\n"
     << "predict).\n\n"
     << "OPTIONS:\n"
     << "  -o FILE           The executable (default: FILE.dl's stem)\n"
     << "  --mcpu=CPU        Tune for CPU (default: the host's)\n"
     << "  --mpi             Link dlrt's MPI communicator: the trainer runs\n"
     << "                    under 'mpirun -np N', training on N processes\n"
     << "                    (data parallel; needs dlc built with MPI)\n"
     << kDenormalsOption << kCommonOptions;
}

/// Options of one invocation.
struct Invocation {
  std::string command;
  std::string input;
  std::string output;
  /// --header: where an object's header goes (default: beside a regular
  /// output file).
  std::string header;
  /// Null until --emit or the output's extension decides (see run()).
  const EmitKindInfo *emit = nullptr;
  dlc::CodegenRequest target;
  FrontendOptions frontend;
  /// build --mpi: link dlrt_mpi and MPI.
  bool mpi = false;
  unsigned maxErrors = 20;
};

/// Prints `message` as a usage error and returns exit code 1.
int usageError(const llvm::Twine &message) {
  llvm::errs() << "dlc: error: " << message << "\n";
  llvm::errs() << "Run 'dlc --help' for usage.\n";
  return 1;
}

/// The directory holding the standard library: the installed one next to
/// the executable if present, else the source tree's.
std::string stdlibDir(const char *argv0) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&stdlibDir));
  if (!exe.empty()) {
    llvm::SmallString<256> installed(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(installed, "..", "share", "dlc", "stdlib");
    if (llvm::sys::fs::is_directory(installed))
      return std::string(installed);
  }
  return DLC_STDLIB_DIR;
}

/// Parses the options after the command; returns an exit code to stop with.
std::optional<int> parseOptions(llvm::ArrayRef<const char *> argv,
                                Invocation &inv) {
  // `build` takes the options of `compile` (its --emit is always an object).
  bool isCompile = inv.command == "compile" || inv.command == "build";
  for (size_t i = 0; i < argv.size(); ++i) {
    StringRef arg = argv[i];
    auto value = [&](StringRef flag) -> std::optional<std::string> {
      // "--flag=value", "-Xvalue" or "--flag value".
      if (arg.size() > flag.size() && arg.starts_with(flag)) {
        StringRef rest = arg.drop_front(flag.size());
        if (flag.starts_with("--")) {
          if (!rest.consume_front("="))
            return std::nullopt;
        }
        return rest.str();
      }
      if (arg == flag && i + 1 < argv.size())
        return std::string(argv[++i]);
      return std::nullopt;
    };
    if (arg == "-h" || arg == "--help" || arg == "-help") {
      if (inv.command == "build")
        printBuildHelp(llvm::outs());
      else if (isCompile)
        printCompileHelp(llvm::outs());
      else
        printCheckHelp(llvm::outs());
      return 0;
    }
    if (arg == "-" || !arg.starts_with("-")) {
      if (!inv.input.empty())
        return usageError("more than one input file: '" + inv.input +
                          "' and '" + arg + "'");
      inv.input = arg.str();
      continue;
    }
    if (arg == "-I" || (arg.starts_with("-I") && arg.size() > 2)) {
      std::optional<std::string> v = value("-I");
      if (!v)
        return usageError("'-I' needs a directory");
      inv.frontend.importDirs.push_back(*v);
      continue;
    }
    if (arg == "--model" || arg.starts_with("--model=")) {
      std::optional<std::string> v = value("--model");
      if (!v || v->empty())
        return usageError("'--model' needs a model name");
      inv.frontend.modelName = *v;
      continue;
    }
    if (arg == "--max-errors" || arg.starts_with("--max-errors=")) {
      std::optional<std::string> v = value("--max-errors");
      unsigned n = 0;
      if (!v || StringRef(*v).getAsInteger(10, n))
        return usageError("'--max-errors' needs a number");
      inv.maxErrors = n;
      continue;
    }
    if (isCompile &&
        (arg == "-o" || (arg.starts_with("-o") && arg.size() > 2))) {
      std::optional<std::string> v = value("-o");
      if (!v)
        return usageError("'-o' needs a file name ('-' for standard output)");
      inv.output = *v;
      continue;
    }
    if (inv.command == "compile" &&
        (arg == "--header" || arg.starts_with("--header="))) {
      std::optional<std::string> v = value("--header");
      if (!v || v->empty())
        return usageError("'--header' needs a file name");
      inv.header = *v;
      continue;
    }
    if (isCompile && (arg == "--target" || arg.starts_with("--target="))) {
      std::optional<std::string> v = value("--target");
      if (!v || v->empty())
        return usageError("'--target' needs a target triple");
      inv.target.triple = *v;
      continue;
    }
    if (isCompile &&
        (arg == "--denormals" || arg.starts_with("--denormals="))) {
      std::optional<std::string> v = value("--denormals");
      if (!v || (*v != "flush" && *v != "keep"))
        return usageError("'--denormals' needs 'flush' or 'keep'");
      inv.target.flushDenormals = *v == "flush";
      continue;
    }
    if (isCompile && (arg == "--parallel" || arg.starts_with("--parallel="))) {
      std::optional<std::string> v = value("--parallel");
      if (!v || (*v != "auto" && *v != "off"))
        return usageError("'--parallel' needs 'auto' or 'off'");
      inv.target.parallel = *v == "auto";
      continue;
    }
    if (inv.command == "build" && arg == "--mpi") {
      inv.mpi = true;
      continue;
    }
    if (isCompile && (arg == "--mcpu" || arg.starts_with("--mcpu="))) {
      std::optional<std::string> v = value("--mcpu");
      if (!v || v->empty())
        return usageError("'--mcpu' needs a CPU name");
      inv.target.cpu = *v;
      continue;
    }
    if (isCompile && (arg == "--emit" || arg.starts_with("--emit="))) {
      std::optional<std::string> v = value("--emit");
      if (!v)
        return usageError("'--emit' needs a kind");
      inv.emit = nullptr;
      std::string kinds;
      for (const EmitKindInfo &k : kEmitKinds) {
        kinds += (kinds.empty() ? "" : ", ") + std::string(k.name);
        if (*v == k.name)
          inv.emit = &k;
      }
      if (!inv.emit)
        return usageError("unknown --emit kind '" + *v + "' (expected one of " +
                          kinds + ")");
      continue;
    }
    return usageError("unknown option '" + arg + "' for 'dlc " + inv.command +
                      "'");
  }
  if (inv.input.empty())
    return usageError("no input file (usage: dlc " + inv.command +
                      " [options] FILE.dl)");
  return std::nullopt;
}

/// The codegen stage an emit kind stops at.
std::optional<dlc::CodegenStage> codegenStage(EmitKind kind) {
  switch (kind) {
  case EmitKind::Linalg:
    return dlc::CodegenStage::Linalg;
  case EmitKind::LLVMDialect:
    return dlc::CodegenStage::LLVMDialect;
  case EmitKind::MemoryPlan:
    return dlc::CodegenStage::MemoryPlan;
  case EmitKind::LLVM:
    return dlc::CodegenStage::LLVMIR;
  case EmitKind::Asm:
    return dlc::CodegenStage::Assembly;
  case EmitKind::Obj:
    return dlc::CodegenStage::Object;
  default:
    return std::nullopt;
  }
}

/// Every dialect, interface model and translation the pipelines use.
void registerDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<dlc::dl::DLDialect>();
}

/// Opens `path` for writing ("-" is standard output); null after an error.
std::unique_ptr<llvm::ToolOutputFile> openOutput(const std::string &path) {
  std::error_code ec;
  auto out =
      std::make_unique<llvm::ToolOutputFile>(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    llvm::errs() << "dlc: error: cannot write '" << path
                 << "': " << ec.message() << "\n";
    return nullptr;
  }
  return out;
}

/// The first of `candidates` that exists, or the last one.
std::string firstExisting(llvm::ArrayRef<std::string> candidates) {
  for (const std::string &c : candidates)
    if (llvm::sys::fs::exists(c))
      return c;
  return candidates.back();
}

/// `dlc build`: compiles `module` to an object and header in a temporary
/// directory, instantiates dlrt's trainer glue for it and links the three
/// with dlrt into `output` using $CXX. Uses the installed runtime next to
/// the executable if present, else the build tree's.
int buildTrainer(mlir::ModuleOp module, const Invocation &inv,
                 const std::string &output, const char *argv0) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&stdlibDir));
  llvm::SmallString<256> prefix(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(prefix, "..");
  auto under = [&](std::initializer_list<StringRef> parts) {
    llvm::SmallString<256> p(prefix);
    for (StringRef part : parts)
      llvm::sys::path::append(p, part);
    return std::string(p);
  };
  std::string includeDir =
      firstExisting({under({"include", "dlrt"}), DLC_RUNTIME_INCLUDE_DIR "/dlrt"});
  includeDir = std::string(llvm::sys::path::parent_path(includeDir));
  std::string library =
      firstExisting({under({"lib", "libdlrt.a"}), DLC_RUNTIME_LIBRARY});
  // --mpi: dlrt_mpi beside dlrt, and the MPI libraries dlc was built with.
  std::string mpiLibrary;
  if (inv.mpi) {
    if (!DLC_HAVE_MPI) {
      llvm::errs() << "dlc: error: '--mpi': this dlc was built without MPI "
                      "(install libopenmpi-dev and reconfigure dlc)\n";
      return 1;
    }
    mpiLibrary = firstExisting(
        {under({"lib", "libdlrt_mpi.a"}), DLC_RUNTIME_MPI_LIBRARY});
  }
  std::string glueTemplate = firstExisting(
      {under({"share", "dlc", "templates", "trainer_main.cpp.in"}),
       DLC_TRAINER_TEMPLATE});

  auto modelAttr = module->getAttrOfType<mlir::StringAttr>("dl.model");
  if (!modelAttr) {
    llvm::errs() << "dlc: error: 'dlc build' needs a model (a .dl file with "
                    "a model declaration)\n";
    return 1;
  }
  std::string model = dlc::cIdentifier(modelAttr.getValue());

  llvm::SmallString<256> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("dlc-build", dir)) {
    llvm::errs() << "dlc: error: cannot create a temporary directory: "
                 << ec.message() << "\n";
    return 1;
  }
  auto path = [&](StringRef name) {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };
  // Everything in the temporary directory goes away on every path out.
  struct Cleanup {
    llvm::SmallString<256> dir;
    ~Cleanup() { llvm::sys::fs::remove_directories(dir); }
  } cleanup{dir};

  std::string objPath = path("model.o"), headerPath = path(model + ".h");
  {
    std::unique_ptr<llvm::ToolOutputFile> obj = openOutput(objPath);
    std::unique_ptr<llvm::ToolOutputFile> header = openOutput(headerPath);
    if (!obj || !header)
      return 1;
    if (llvm::Error e = dlc::compileModule(
            module, inv.target, dlc::CodegenStage::Object, obj->os(),
            &header->os(), model, llvm::sys::path::filename(inv.input))) {
      llvm::errs() << "dlc: error: " << llvm::toString(std::move(e)) << "\n";
      return 1;
    }
    obj->keep();
    header->keep();
  }

  // The glue: the template with the model's names filled in.
  auto templ = llvm::MemoryBuffer::getFile(glueTemplate);
  if (!templ) {
    llvm::errs() << "dlc: error: cannot read the trainer template '"
                 << glueTemplate << "': " << templ.getError().message()
                 << "\n";
    return 1;
  }
  std::string glue = (*templ)->getBuffer().str();
  std::string upperModel = StringRef(model).upper();
  for (auto [key, value] :
       {std::pair<std::string, std::string>{"@DLC_MODEL_HEADER@", headerPath},
        {"@DLC_MODEL_NAME@", model},
        {"@DLC_MODEL_UPPER@", upperModel}})
    for (size_t at = glue.find(key); at != std::string::npos;
         at = glue.find(key, at + value.size()))
      glue.replace(at, key.size(), value);
  std::string gluePath = path("main.cpp");
  {
    std::unique_ptr<llvm::ToolOutputFile> out = openOutput(gluePath);
    if (!out)
      return 1;
    out->os() << glue;
    out->keep();
  }

  const char *cxxEnv = std::getenv("CXX");
  std::string cxxName = cxxEnv && *cxxEnv ? cxxEnv : "c++";
  llvm::ErrorOr<std::string> cxx = llvm::sys::findProgramByName(cxxName);
  if (!cxx) {
    llvm::errs() << "dlc: error: cannot find the C++ compiler '" << cxxName
                 << "' (set CXX)\n";
    return 1;
  }
  std::string includeFlag = "-I" + includeDir;
  llvm::SmallVector<StringRef> args = {*cxx, "-std=c++17", "-O2", includeFlag};
  llvm::SmallVector<StringRef> mpiLibs;
  if (inv.mpi) {
    args.push_back("-DDLRT_MPI=1");
    StringRef(DLC_MPI_LIBRARIES).split(mpiLibs, ';', -1, false);
  }
  args.append({gluePath, objPath});
  if (inv.mpi)
    args.push_back(mpiLibrary);
  args.push_back(library);
  args.append(mpiLibs.begin(), mpiLibs.end());
  args.append({"-lz", "-lm", "-pthread", "-o", output});
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*cxx, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    llvm::errs() << "dlc: error: linking the trainer failed"
                 << (message.empty() ? "" : ": " + message) << "\n";
    return 1;
  }
  return 0;
}

/// The kind to emit when --emit is not given: the one whose extension the
/// output has, dl text for standard output, else an object.
const EmitKindInfo *defaultEmitKind(StringRef output) {
  auto find = [](EmitKind kind) {
    for (const EmitKindInfo &k : kEmitKinds)
      if (k.kind == kind)
        return &k;
    llvm_unreachable("every kind is in the table");
  };
  if (output == "-")
    return find(EmitKind::DL);
  StringRef ext = llvm::sys::path::extension(output);
  return find(llvm::StringSwitch<EmitKind>(ext)
                  .Case(".mlir", EmitKind::DL)
                  .Case(".ast", EmitKind::AST)
                  .Case(".ll", EmitKind::LLVM)
                  .Case(".s", EmitKind::Asm)
                  .Default(EmitKind::Obj));
}

/// Runs the front end up to what the command needs and writes the result.
int run(Invocation &inv, const char *argv0) {
  llvm::SourceMgr sourceMgr;
  DiagEngine diags(sourceMgr, llvm::errs());
  diags.setErrorLimit(inv.maxErrors);
  if (!inv.emit || inv.command == "build")
    inv.emit = defaultEmitKind(inv.command == "build" ? "x.o" : inv.output);
  if (!inv.header.empty() && inv.emit->kind != EmitKind::Obj)
    return usageError("'--header' goes with an object file (--emit=obj)");
  bool isMLIR = StringRef(inv.input).ends_with(".mlir");
  if (isMLIR && inv.emit->kind == EmitKind::AST)
    return usageError("--emit=ast needs a .dl input, not '" + inv.input + "'");

  mlir::DialectRegistry registry;
  registerDialects(registry);
  mlir::MLIRContext context(registry);
  // Diagnostics are for users of the .dl file: its location, never the IR of
  // the op (MLIR appends it by default).
  context.printOpOnDiagnostic(false);
  mlir::SourceMgrDiagnosticHandler mlirDiags(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module;

  std::optional<Frontend> frontend;
  if (isMLIR) {
    // dl text: the pipeline starts after the front end.
    context.loadDialect<dlc::dl::DLDialect>();
    auto buffer = readSourceFile(inv.input, Frontend::kMaxFileSize);
    if (!buffer) {
      diags.errorNoLoc("cannot open '" + inv.input +
                       "': " + llvm::toString(buffer.takeError()));
      return 1;
    }
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
    if (!module)
      return 1;
    if (inv.command == "check")
      return 0;
  } else {
    // `import name` looks in -I directories, next to the file, then stdlib.
    llvm::SmallString<256> fileDir(llvm::sys::path::parent_path(inv.input));
    if (fileDir.empty())
      fileDir = ".";
    inv.frontend.importDirs.push_back(std::string(fileDir));
    inv.frontend.importDirs.push_back(stdlibDir(argv0));
    frontend.emplace(diags, inv.frontend);

    bool parsed = inv.input == "-"
                      ? [&] {
                          auto buf = readSourceFile("-", Frontend::kMaxFileSize);
                          if (!buf) {
                            diags.errorNoLoc("cannot read standard input: " +
                                             llvm::toString(buf.takeError()));
                            return false;
                          }
                          return frontend->parseBuffer(std::move(*buf));
                        }()
                      : frontend->parseFile(inv.input);
    if (inv.command == "check")
      return parsed && frontend->check() ? 0 : 1;
    if (!parsed)
      return 1;
    if (inv.emit->kind != EmitKind::AST) {
      if (!frontend->check())
        return 1;
      loadFrontendDialects(context);
      module = frontend->generate(context);
      if (!module)
        return 1;
    }
  }

  // compile
  std::string outPath = inv.output;
  StringRef stem = llvm::sys::path::stem(inv.input);
  if (stem.empty() || inv.input == "-")
    stem = "out";
  if (inv.command == "build")
    return buildTrainer(*module, inv, outPath.empty() ? stem.str() : outPath,
                        argv0);
  if (outPath.empty())
    outPath = stem.str() + inv.emit->extension;
  std::unique_ptr<llvm::ToolOutputFile> out = openOutput(outPath);
  if (!out)
    return 1;

  std::optional<dlc::CodegenStage> stage = codegenStage(inv.emit->kind);
  if (stage) {
    // The header goes where --header says, else beside an object written
    // to a regular file (not beside standard output or a device such as
    // /dev/null).
    std::unique_ptr<llvm::ToolOutputFile> header;
    llvm::SmallString<256> headerPath(inv.header);
    if (headerPath.empty() && inv.emit->kind == EmitKind::Obj &&
        outPath != "-") {
      llvm::sys::fs::file_status st;
      bool special = !llvm::sys::fs::status(outPath, st) &&
                     st.type() != llvm::sys::fs::file_type::regular_file;
      if (!special) {
        headerPath = outPath;
        llvm::sys::path::replace_extension(headerPath, ".h");
      }
    }
    if (!headerPath.empty()) {
      header = openOutput(std::string(headerPath));
      if (!header)
        return 1;
    }
    auto modelAttr = (*module)->getAttrOfType<mlir::StringAttr>("dl.model");
    std::string model = modelAttr ? modelAttr.str() : stem.str();
    if (llvm::Error e = dlc::compileModule(
            *module, inv.target, *stage, out->os(),
            header ? &header->os() : nullptr, model,
            llvm::sys::path::filename(inv.input))) {
      llvm::errs() << "dlc: error: " << llvm::toString(std::move(e)) << "\n";
      return 1;
    }
    if (header)
      header->keep();
    out->keep();
    return 0;
  }

  switch (inv.emit->kind) {
  case EmitKind::AST:
    ast::print(*frontend->getMainModule(), out->os());
    break;
  case EmitKind::DLEntries: {
    mlir::PassManager pm(&context);
    dlc::buildDLEntryPointsPipeline(pm);
    if (mlir::failed(pm.run(*module)))
      return 1;
    [[fallthrough]];
  }
  case EmitKind::DL: {
    mlir::OpPrintingFlags flags;
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
    module->print(out->os(), flags);
    out->os() << "\n";
    break;
  }
  default:
    llvm_unreachable("codegen kinds are handled above");
  }
  out->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (argc < 2) {
    llvm::errs() << kToolHelp;
    return 1;
  }
  StringRef command = argv[1];
  if (command == "-h" || command == "--help" || command == "-help" ||
      command == "help") {
    llvm::outs() << kToolHelp;
    return 0;
  }
  if (command == "--version") {
    llvm::outs() << "dlc 0.1 (MLIR " << MLIR_VERSION_STRING << ")\n";
    return 0;
  }
  if (command != "check" && command != "compile" && command != "build") {
    if (command.starts_with("-"))
      return usageError("expected a command ('check' or 'compile') before '" +
                        command + "'");
    return usageError("unknown command '" + command +
                      "' (expected 'check', 'compile' or 'build')");
  }
  Invocation inv;
  inv.command = command.str();
  if (std::optional<int> code = parseOptions(
          llvm::ArrayRef<const char *>(argv + 2, argv + argc), inv))
    return *code;
  return run(inv, argv[0]);
}
