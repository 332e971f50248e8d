//===- FrontendFuzz.cpp - robustness test of the .dl front end ------------===//
//
// Part of dlc. Feeds the whole front end (lexer, parser, Sema, MLIRGen and
// the verifier), in process, with a fixed-seed set of hostile inputs: random
// bytes, random token soups, many mutated copies of every example and stdlib
// file (byte flips, deletions, duplications, truncations, token shuffles,
// extreme numbers) and pathological nesting. Each input must either succeed
// or produce at least one diagnostic; a crash, an assertion, a stack overflow
// or an input that takes longer than its time budget fails the test.
//
// Usage: dlc-frontend-fuzz [SEED_FILE...] (defaults to the examples and the
// stdlib of the source tree).
//
//===----------------------------------------------------------------------===//

#include "Frontend/Frontend.h"
#include "Frontend/MLIRGen.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace dlc::frontend;

namespace {

using Clock = std::chrono::steady_clock;

/// Per-input budget: generous for slow CI machines, far below a hang.
constexpr double kBudgetSeconds = 5.0;

std::atomic<int64_t> inputStartMs{-1};
std::string currentName;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             Clock::now().time_since_epoch())
      .count();
}

/// Aborts the process if one input runs far beyond its budget (a hang).
void watchdog() {
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    int64_t start = inputStartMs.load();
    if (start >= 0 && nowMs() - start > int64_t(kBudgetSeconds * 4000)) {
      std::fprintf(stderr, "FAIL: input '%s' hangs (over %.0f s)\n",
                   currentName.c_str(), kBudgetSeconds * 4);
      std::_Exit(1);
    }
  }
}

struct Stats {
  unsigned inputs = 0, accepted = 0, rejected = 0, failures = 0;
  double slowest = 0;
};

/// Runs the front end on one input; returns false on a contract violation.
bool runOne(mlir::MLIRContext &context, const std::string &name,
            const std::string &text, const std::string &stdlib, Stats &stats) {
  currentName = name;
  auto start = Clock::now();
  inputStartMs = nowMs();
  llvm::SourceMgr sourceMgr;
  std::string diagText;
  llvm::raw_string_ostream diagStream(diagText);
  DiagEngine diags(sourceMgr, diagStream);
  FrontendOptions options;
  options.importDirs.push_back(stdlib);
  Frontend frontend(diags, options);
  bool ok =
      frontend.parseBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, name));
  if (ok)
    ok = frontend.check();
  bool generated = false;
  if (ok) {
    auto module = frontend.generate(context);
    generated = static_cast<bool>(module);
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  inputStartMs = -1;
  ++stats.inputs;
  stats.slowest = std::max(stats.slowest, seconds);
  // Success, or at least one diagnostic; "no model to compile" is an error
  // too, so every failed step must have reported something.
  bool clean = generated || (ok && !diags.hadError());
  if (clean)
    ++stats.accepted;
  else
    ++stats.rejected;
  if (!clean && !diags.hadError()) {
    std::fprintf(stderr, "FAIL: input '%s' failed without a diagnostic\n",
                 name.c_str());
    ++stats.failures;
    return false;
  }
  if (seconds > kBudgetSeconds) {
    std::fprintf(stderr, "FAIL: input '%s' took %.2f s (budget %.1f s)\n",
                 name.c_str(), seconds, kBudgetSeconds);
    ++stats.failures;
    return false;
  }
  return true;
}

/// Vocabulary for token soups and token insertions.
const char *const kTokens[] = {"import",
                               "const",
                               "layer",
                               "model",
                               "param",
                               "state",
                               "fn",
                               "return",
                               "input",
                               "label",
                               "forward",
                               "train",
                               "output",
                               "loss",
                               "metric",
                               "scan",
                               "in",
                               "along",
                               "carry",
                               "yield",
                               "x",
                               "y",
                               "W",
                               "N",
                               "B",
                               "Linear",
                               "repeat",
                               "relu",
                               "softmax",
                               "sum",
                               "mean",
                               "reshape",
                               "transpose",
                               "cross_entropy",
                               "conv2d",
                               "concat",
                               "zeros",
                               "glorot",
                               "f32",
                               "i32",
                               "f64",
                               "int",
                               "float",
                               "nn",
                               "(",
                               ")",
                               "[",
                               "]",
                               "{",
                               "}",
                               ",",
                               ":",
                               ";",
                               ".",
                               "=",
                               "+",
                               "-",
                               "*",
                               "/",
                               "@",
                               "->",
                               "\n",
                               "0",
                               "1",
                               "-1",
                               "64",
                               "784",
                               "1e-3",
                               "9223372036854775807",
                               "99999999999999999999",
                               "1e999",
                               "\"nn.dl\"",
                               ".T",
                               "axis",
                               "keepdims",
                               "//",
                               "/*",
                               "*/",
                               "\"",
                               "\\",
                               "adam",
                               "sgd",
                               "batch",
                               "epochs",
                               "accuracy"};

std::string randomTokens(std::mt19937_64 &rng, size_t count) {
  std::string s;
  std::uniform_int_distribution<size_t> pick(0, std::size(kTokens) - 1);
  for (size_t i = 0; i < count; ++i) {
    s += kTokens[pick(rng)];
    s += ' ';
  }
  return s;
}

/// One random mutation of `text`.
std::string mutate(std::mt19937_64 &rng, std::string text) {
  auto below = [&](size_t n) {
    return n == 0 ? size_t(0)
                  : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  unsigned rounds = 1 + below(4);
  for (unsigned r = 0; r < rounds; ++r) {
    size_t n = text.size();
    switch (below(10)) {
    case 0: // Flip bytes.
      for (unsigned k = 0, m = 1 + below(8); k < m && n; ++k)
        text[below(n)] ^= static_cast<char>(1u << below(8));
      break;
    case 1: // Delete a range.
      if (n) {
        size_t at = below(n);
        text.erase(at, below(std::min<size_t>(n - at, 64)) + 1);
      }
      break;
    case 2: { // Duplicate a range.
      if (!n)
        break;
      size_t at = below(n), len = below(std::min<size_t>(n - at, 200)) + 1;
      text.insert(below(n + 1), text.substr(at, len));
      break;
    }
    case 3: // Truncate.
      text.resize(below(n + 1));
      break;
    case 4: { // Insert random bytes (including NUL).
      std::string junk;
      for (unsigned k = 0, m = 1 + below(16); k < m; ++k)
        junk.push_back(static_cast<char>(below(256)));
      text.insert(below(n + 1), junk);
      break;
    }
    case 5: { // Swap two whitespace-separated tokens.
      std::vector<std::pair<size_t, size_t>> words;
      for (size_t i = 0; i < n;) {
        while (i < n && std::isspace(static_cast<unsigned char>(text[i])))
          ++i;
        size_t b = i;
        while (i < n && !std::isspace(static_cast<unsigned char>(text[i])))
          ++i;
        if (i > b)
          words.push_back({b, i - b});
      }
      if (words.size() < 2)
        break;
      auto a = words[below(words.size())], b = words[below(words.size())];
      if (a.first > b.first)
        std::swap(a, b);
      if (a.first + a.second > b.first)
        break;
      std::string wa = text.substr(a.first, a.second);
      std::string wb = text.substr(b.first, b.second);
      text.replace(b.first, b.second, wa);
      text.replace(a.first, a.second, wb);
      break;
    }
    case 6: // Insert a token.
      text.insert(below(n + 1), " " + randomTokens(rng, 1 + below(3)));
      break;
    case 7: { // Replace a number with an extreme one.
      static const char *const extremes[] = {"0",
                                             "-1",
                                             "1000000000",
                                             "4294967296",
                                             "9223372036854775807",
                                             "99999999999999999999999",
                                             "1e308",
                                             "1e-320",
                                             "2147483648",
                                             "65536"};
      for (size_t tries = 0; tries < 8 && n; ++tries) {
        size_t at = below(n);
        if (std::isdigit(static_cast<unsigned char>(text[at]))) {
          size_t end = at;
          while (end < n && std::isdigit(static_cast<unsigned char>(text[end])))
            ++end;
          text.replace(at, end - at, extremes[below(std::size(extremes))]);
          break;
        }
      }
      break;
    }
    case 8: { // Wrap a range in brackets or drop a bracket.
      static const char *const brackets[] = {"(", ")", "[", "]", "{", "}"};
      text.insert(below(n + 1), brackets[below(6)]);
      break;
    }
    default: { // Replace a line with a copy of another line.
      std::vector<size_t> starts{0};
      for (size_t i = 0; i < n; ++i)
        if (text[i] == '\n')
          starts.push_back(i + 1);
      size_t a = starts[below(starts.size())], b = starts[below(starts.size())];
      size_t aEnd = text.find('\n', a), bEnd = text.find('\n', b);
      if (aEnd == std::string::npos || bEnd == std::string::npos)
        break;
      std::string line = text.substr(b, bEnd - b);
      text.replace(a, aEnd - a, line);
      break;
    }
    }
  }
  return text;
}

/// Inputs that stress recursion limits and size caps.
std::vector<std::pair<std::string, std::string>> pathological() {
  std::vector<std::pair<std::string, std::string>> v;
  auto rep = [](const std::string &s, size_t n) {
    std::string r;
    r.reserve(s.size() * n);
    for (size_t i = 0; i < n; ++i)
      r += s;
    return r;
  };
  const std::string head = "model m {\n input x: f32[2, 3]\n forward {\n";
  const std::string tail = "\n }\n}\n";
  v.push_back({"parens", rep("(", 100000)});
  v.push_back({"squares", rep("[", 100000)});
  v.push_back({"braces", rep("{", 100000)});
  v.push_back({"closers", rep(")]}", 50000)});
  v.push_back({"deep-expr", head + " h = " + rep("(", 100000) + "x" +
                                rep(")", 100000) + "\n loss mean(h)" + tail});
  v.push_back(
      {"neg-chain", head + " loss " + rep("-", 100000) + "mean(x)" + tail});
  v.push_back({"add-chain", head + " h = x" + rep(" + x", 100000) +
                                "\n loss mean(h)" + tail});
  v.push_back({"call-chain", head + " h = " + rep("relu(", 50000) + "x" +
                                 rep(")", 50000) + "\n loss mean(h)" + tail});
  v.push_back({"member-chain",
               head + " h = x" + rep(".T", 100000) + "\n loss mean(h)" + tail});
  v.push_back({"many-statements",
               head + rep(" h = relu(x)\n", 20000) + " loss mean(h)" + tail});
  v.push_back({"huge-dims", "model m {\n input x: f32[1000000000, "
                            "1000000000, 1000000000]\n forward { loss "
                            "mean(x) }\n}\n"});
  v.push_back({"overflow-const", "const A = 9223372036854775807\nconst B = A "
                                 "* A + 1\nmodel m { input x: f32[B] "
                                 "forward { loss mean(x) } }\n"});
  v.push_back({"huge-repeat",
               "layer L(n: int) { param W: f32[n, n] = zeros()\n fn(x: "
               "f32[N, n]) -> f32[N, n] { return x @ W } }\nlayer R(n: int) "
               "{ a = repeat(4096, L(n))\n fn(x: f32[N, n]) -> f32[N, n] { "
               "return a(x) } }\nmodel m { input x: f32[2, 4]\n r = "
               "repeat(4096, R(4))\n forward { loss mean(r(x)) } }\n"});
  v.push_back({"self-instantiation",
               "layer L(n: int) { inner = L(n)\n fn(x: f32[N, n]) -> f32[N, "
               "n] { return inner(x) } }\nmodel m { input x: f32[2, 4]\n l = "
               "L(4)\n forward { loss mean(l(x)) } }\n"});
  v.push_back({"deep-layers",
               "layer L0(n: int) { fn(x: f32[N, n]) -> f32[N, n] { return "
               "relu(x) } }\n" +
                   [&] {
                     std::string s;
                     for (int i = 1; i < 40; ++i)
                       s += "layer L" + std::to_string(i) + "(n: int) { a = L" +
                            std::to_string(i - 1) +
                            "(n)\n fn(x: f32[N, n]) -> f32[N, n] { return "
                            "a(a(x)) } }\n";
                     return s;
                   }() +
                   "model m { input x: f32[2, 4]\n l = L39(4)\n forward { "
                   "loss mean(l(x)) } }\n"});
  v.push_back({"nul-bytes", std::string(1000, '\0')});
  v.push_back({"import-self", "import \"fuzz-self.dl\"\n"});
  v.push_back({"import-missing", "import does_not_exist\nimport "
                                 "\"/nonexistent/x.dl\"\n"});
  v.push_back({"empty", ""});
  v.push_back({"huge-literals", "const A = 1e99999\nconst B = "
                                "123456789012345678901234567890\n"});
  return v;
}

} // namespace

int main(int argc, char **argv) {
  std::string srcRoot = DLC_SOURCE_DIR;
  std::string stdlib = srcRoot + "/stdlib";
  std::vector<std::string> seeds;
  for (int i = 1; i < argc; ++i)
    seeds.push_back(argv[i]);
  if (seeds.empty()) {
    std::error_code ec;
    for (const std::string &dir : {srcRoot + "/examples", stdlib}) {
      for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
           it.increment(ec))
        if (llvm::sys::path::extension(it->path()) == ".dl")
          seeds.push_back(it->path());
    }
    std::sort(seeds.begin(), seeds.end());
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "FAIL: no seed files\n");
    return 1;
  }
  std::thread(watchdog).detach();
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  loadFrontendDialects(context);
  Stats stats;
  std::mt19937_64 rng(0xd1c5eed);
  auto runNamed = [&](const std::string &name, const std::string &text) {
    runOne(context, name, text, stdlib, stats);
  };

  // Unmodified seeds must be accepted (they are the examples and stdlib).
  for (const std::string &path : seeds) {
    auto buf = llvm::MemoryBuffer::getFile(path);
    if (!buf) {
      std::fprintf(stderr, "FAIL: cannot read seed %s\n", path.c_str());
      return 1;
    }
    unsigned before = stats.rejected;
    runNamed(path, (*buf)->getBuffer().str());
    if (stats.rejected != before &&
        llvm::sys::path::parent_path(path).ends_with("examples")) {
      std::fprintf(stderr, "FAIL: example %s is rejected\n", path.c_str());
      ++stats.failures;
    }
  }
  // Random bytes and token soups.
  for (unsigned i = 0; i < 300; ++i) {
    std::string s(std::uniform_int_distribution<size_t>(0, 3000)(rng), '\0');
    for (char &c : s)
      c = static_cast<char>(rng());
    runNamed("random-bytes-" + std::to_string(i) + ".dl", s);
  }
  for (unsigned i = 0; i < 300; ++i)
    runNamed(
        "token-soup-" + std::to_string(i) + ".dl",
        randomTokens(rng, std::uniform_int_distribution<size_t>(1, 400)(rng)));
  // Mutated seeds; the name keeps the seed's directory so that relative
  // imports still resolve.
  for (const std::string &path : seeds) {
    std::string text =
        llvm::MemoryBuffer::getFile(path).get()->getBuffer().str();
    for (unsigned i = 0; i < 1000; ++i)
      runNamed(path, mutate(rng, text));
  }
  for (auto &[name, text] : pathological())
    runNamed(name + ".dl", text);

  std::printf("frontend fuzz: %u inputs (%u accepted, %u rejected with "
              "diagnostics), slowest %.3f s, %u failures\n",
              stats.inputs, stats.accepted, stats.rejected, stats.slowest,
              stats.failures);
  return stats.failures ? 1 : 0;
}
