//===- gradcheck.cpp - generated gradients against finite differences ----===//
//
// Part of dlc's gradient-check suite (test/GradCheck, docs/autodiff.md).
// Built once per case, against the object and header `dlc compile` wrote
// for a module with `dl.model = "gc"`:
//
//   dlc compile grad-op.mlir -o op.o                       # op.o + op.h
//   c++ -include op.h -I test/e2e gradcheck.cpp op.o -o op.exe
//   op.exe [SPEC...]
//
// The case's model function returns a scalar loss L(params, inputs, labels).
// The harness fills every parameter (the `gc_state_tensors` table) and every
// input and label (`gc_eval_args`) with seeded random values, calls the
// compiled `gc_grad` once, and compares each parameter's gradient (read
// from the gradient buffer at the offsets of `gc_grad_tensors`) with central
// finite differences of the compiled `gc_eval`, element by element:
//
//   fd_i = (L(x + h_i e_i) - L(x - h_i e_i)) / ((x_i + h_i) - (x_i - h_i)),
//   h_i = h * max(1, |x_i|),
//
// and requires |g_i - fd_i| <= tol * (1 + |fd_i|) for every element. Both
// sides run generated code only: no gradient formula is written here.
//
// Also checked: grad's loss equals eval's (to 1e-12 relative); grad writes
// every gradient element (the buffer starts as NaN) and nothing past the
// gradient, state or workspace buffers; grad leaves the state unchanged; a
// case is not degenerate (some finite difference of each checked parameter
// is nonzero), except for parameters listed in `zero=`, whose generated
// gradient must be exactly 0 (and so must their finite differences).
// Integer parameters are not perturbed; their gradient must be exactly 0.
// A parameter given an `expect.NAME=` list is compared with those values
// instead of finite differences: at a point where the loss is not
// differentiable (the ties of max), finite differences mean nothing and the
// gradient is a convention (torch.amax's: shared equally among the maxima),
// whose values the case states.
//
// SPECs:
//   NAME=uniform:LO,HI        float tensor NAME uniform in [LO, HI)
//                             (default for floats: uniform:-2,2)
//   NAME=grid:S,O,KMIN,KMAX   O + k S + j, k a uniform integer in
//                             [KMIN, KMAX], j uniform in [-S/8, S/8]: keeps
//                             values at least 3S/8 away from the points
//                             O + S/2 + k S (kinks: relu at 0 with O = S/2;
//                             maximum(a, b) ties with O = S/2 for a, 0 for b)
//   NAME=distinct:S           a random permutation of the points
//                             (k - (n-1)/2) S + j (j as above): all n
//                             elements at least 3S/4 apart (max without ties)
//   NAME=int:LO,HI            integers uniform in [LO, HI] (labels, classes;
//                             required for integer tensors)
//   NAME=values:V1,V2,...     exactly these values, row-major, one per element
//   expect.NAME=G1,G2,...     NAME's gradient must be these values, one per
//                             element, within 1e-15 (1 + |G|) (no finite
//                             differences for NAME)
//   seed=N                    the random draw (default 1)
//   h=H                       finite-difference step (default 1e-6)
//   tol=T                     tolerance (default 1e-6)
//   zero=NAME[,NAME...]       these parameters' gradients must be exactly 0
//
// Exit status 0 iff every check passes; one summary line per parameter.
//
//===----------------------------------------------------------------------===//

#include "harness.h" // test/e2e: Buffer, Invoker, Random

#include <cmath>
#include <map>
#include <string>
#include <vector>

#if !defined(GC_STATE_BYTES) || !defined(GC_GRADS_BYTES)
#error "compile with -include the header dlc wrote for a module whose " \
       "dl.model is \"gc\", with at least one parameter"
#endif

namespace {

using e2e::Buffer;

[[noreturn]] void usage(const std::string &why) {
  std::fprintf(stderr, "error: %s\n", why.c_str());
  std::exit(2);
}

std::vector<double> numbers(const std::string &s) {
  std::vector<double> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t comma = s.find(',', pos);
    if (comma == std::string::npos)
      comma = s.size();
    out.push_back(std::stod(s.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Elements of typed memory, as doubles
//===----------------------------------------------------------------------===//

double loadAt(const void *base, dlc_dtype t, int64_t i) {
  switch (t) {
  case DLC_F32:
    return static_cast<const float *>(base)[i];
  case DLC_F64:
    return static_cast<const double *>(base)[i];
  case DLC_I32:
    return static_cast<const int32_t *>(base)[i];
  case DLC_I64:
    return double(static_cast<const int64_t *>(base)[i]);
  default:
    break;
  }
  usage("unsupported dtype " + std::to_string(int(t)));
}

void storeAt(void *base, dlc_dtype t, int64_t i, double v) {
  switch (t) {
  case DLC_F32:
    static_cast<float *>(base)[i] = float(v);
    return;
  case DLC_F64:
    static_cast<double *>(base)[i] = v;
    return;
  case DLC_I32:
    static_cast<int32_t *>(base)[i] = int32_t(v);
    return;
  case DLC_I64:
    static_cast<int64_t *>(base)[i] = int64_t(v);
    return;
  default:
    break;
  }
  usage("unsupported dtype " + std::to_string(int(t)));
}

std::string shapeStr(const dlc_tensor_info &t) {
  std::string s = "[";
  for (int32_t d = 0; d < t.rank; ++d)
    s += (d ? "x" : "") + std::to_string(t.shape[d]);
  return s + "]";
}

//===----------------------------------------------------------------------===//
// Random fills
//===----------------------------------------------------------------------===//

struct Options {
  std::map<std::string, std::string> fills;
  std::map<std::string, std::vector<double>> expected;
  std::vector<std::string> zero;
  uint64_t seed = 1;
  double h = 1e-6, tol = 1e-6;

  bool isZero(const std::string &name) const {
    for (const std::string &z : zero)
      if (z == name)
        return true;
    return false;
  }
};

/// Fills tensor `t` at `base` following its SPEC (or the default).
void fill(void *base, const dlc_tensor_info &t, const Options &opts,
          e2e::Random &rng) {
  int64_t n = e2e::elementsOf(t);
  auto it = opts.fills.find(t.name);
  std::string spec = it != opts.fills.end() ? it->second : "";
  if (spec.empty()) {
    if (!e2e::isFloat(t.dtype))
      usage(std::string("integer tensor '") + t.name +
            "' needs a fill: " + t.name + "=int:LO,HI");
    spec = "uniform:-2,2";
  }
  size_t colon = spec.find(':');
  std::string kind = spec.substr(0, colon);
  std::vector<double> a = colon == std::string::npos
                              ? std::vector<double>{}
                              : numbers(spec.substr(colon + 1));
  auto want = [&](size_t count) {
    if (a.size() != count)
      usage("bad fill '" + spec + "' for '" + t.name + "'");
  };
  if (kind == "uniform") {
    want(2);
    for (int64_t i = 0; i < n; ++i)
      storeAt(base, t.dtype, i, rng.uniform(a[0], a[1]));
  } else if (kind == "grid") {
    want(4);
    for (int64_t i = 0; i < n; ++i) {
      double k = double(rng.integer(int64_t(a[2]), int64_t(a[3])));
      double j = rng.uniform(-a[0] / 8, a[0] / 8);
      storeAt(base, t.dtype, i, a[1] + k * a[0] + j);
    }
  } else if (kind == "distinct") {
    want(1);
    std::vector<int64_t> perm(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
      perm[size_t(i)] = i;
    for (int64_t i = n - 1; i > 0; --i) // Fisher-Yates
      std::swap(perm[size_t(i)], perm[size_t(rng.integer(0, i))]);
    for (int64_t i = 0; i < n; ++i) {
      double j = rng.uniform(-a[0] / 8, a[0] / 8);
      storeAt(base, t.dtype, i,
              (double(perm[size_t(i)]) - double(n - 1) / 2) * a[0] + j);
    }
  } else if (kind == "values") {
    want(size_t(n));
    for (int64_t i = 0; i < n; ++i)
      storeAt(base, t.dtype, i, a[size_t(i)]);
  } else if (kind == "int") {
    want(2);
    if (e2e::isFloat(t.dtype))
      usage(std::string("'") + t.name + "' is not an integer tensor");
    for (int64_t i = 0; i < n; ++i)
      storeAt(base, t.dtype, i,
              double(rng.integer(int64_t(a[0]), int64_t(a[1]))));
  } else {
    usage("unknown fill '" + spec + "'");
  }
}

//===----------------------------------------------------------------------===//
// Calling eval and grad
//===----------------------------------------------------------------------===//

constexpr size_t kEvalArgs = sizeof(gc_eval_args) / sizeof(gc_eval_args[0]);
constexpr size_t kGradArgs = sizeof(gc_grad_args) / sizeof(gc_grad_args[0]);
constexpr size_t kParams =
    sizeof(gc_state_tensors) / sizeof(gc_state_tensors[0]);
constexpr size_t kGrads = sizeof(gc_grad_tensors) / sizeof(gc_grad_tensors[0]);

/// The buffers of one run: state, gradients, workspace, inputs and labels
/// (by name, shared by eval and grad), and each function's results.
struct Model {
  Buffer state{GC_STATE_BYTES};
  Buffer grads{GC_GRADS_BYTES};
  Buffer workspace{
      std::max<size_t>(GC_EVAL_WORKSPACE_BYTES, GC_GRAD_WORKSPACE_BYTES)};
  std::map<std::string, Buffer> inputs;
  std::vector<Buffer> evalResults, gradResults;

  /// The pointers of `args` (inputs by name, results in order), after
  /// `leading` and before the workspace.
  std::vector<void *> pointers(std::vector<void *> leading,
                               const dlc_tensor_info *args, size_t n,
                               std::vector<Buffer> &results) {
    std::vector<void *> ptrs = std::move(leading);
    if (results.empty())
      for (size_t i = 0; i < n; ++i)
        if (!e2e::isInput(args[i]))
          results.emplace_back(size_t(args[i].bytes));
    size_t r = 0;
    for (size_t i = 0; i < n; ++i)
      ptrs.push_back(e2e::isInput(args[i]) ? inputs.at(args[i].name).data()
                                           : results[r++].data());
    ptrs.push_back(workspace.data());
    return ptrs;
  }

  static double lossOf(const dlc_tensor_info *args, size_t n,
                       const std::vector<Buffer> &results) {
    size_t r = 0;
    for (size_t i = 0; i < n; ++i) {
      if (e2e::isInput(args[i]))
        continue;
      if (args[i].kind == DLC_LOSS)
        return loadAt(results[r].data(), args[i].dtype, 0);
      ++r;
    }
    usage("no loss among the results");
  }

  double eval() {
    std::vector<void *> ptrs =
        pointers({state.data()}, gc_eval_args, kEvalArgs, evalResults);
    e2e::Invoker<decltype(&gc_eval)>::call(&gc_eval, ptrs.data());
    return lossOf(gc_eval_args, kEvalArgs, evalResults);
  }

  double grad() {
    std::vector<void *> ptrs = pointers({state.data(), grads.data()},
                                        gc_grad_args, kGradArgs, gradResults);
    e2e::Invoker<decltype(&gc_grad)>::call(&gc_grad, ptrs.data());
    return lossOf(gc_grad_args, kGradArgs, gradResults);
  }

  bool guardsIntact() const {
    bool ok =
        state.guardIntact() && grads.guardIntact() && workspace.guardIntact();
    for (const auto &kv : inputs)
      ok &= kv.second.guardIntact();
    for (const Buffer &b : evalResults)
      ok &= b.guardIntact();
    for (const Buffer &b : gradResults)
      ok &= b.guardIntact();
    return ok;
  }
};

const dlc_tensor_info *gradientOf(const char *name) {
  for (size_t i = 0; i < kGrads; ++i)
    if (std::string(gc_grad_tensors[i].name) == name)
      return &gc_grad_tensors[i];
  return nullptr;
}

} // namespace

int main(int argc, char **argv) {
  static_assert(
      e2e::Invoker<decltype(&gc_eval)>::arity == kEvalArgs + 2,
      "gc_eval: state, one pointer per tensor of gc_eval_args, workspace");
  static_assert(e2e::Invoker<decltype(&gc_grad)>::arity == kGradArgs + 3,
                "gc_grad: state, gradients, one pointer per tensor of "
                "gc_grad_args, workspace");
  if (!e2e::Invoker<decltype(&gc_eval)>::check("gc_eval", gc_eval_args,
                                               kEvalArgs, /*hasState=*/true))
    return 1;

  Options opts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    if (eq == std::string::npos)
      usage("expected NAME=VALUE, got '" + arg + "'");
    std::string key = arg.substr(0, eq), value = arg.substr(eq + 1);
    if (key == "seed")
      opts.seed = std::stoull(value);
    else if (key == "h")
      opts.h = std::stod(value);
    else if (key == "tol")
      opts.tol = std::stod(value);
    else if (key == "zero") {
      size_t pos = 0;
      while (pos < value.size()) {
        size_t comma = value.find(',', pos);
        if (comma == std::string::npos)
          comma = value.size();
        opts.zero.push_back(value.substr(pos, comma - pos));
        pos = comma + 1;
      }
    } else if (key.rfind("expect.", 0) == 0)
      opts.expected[key.substr(7)] = numbers(value);
    else
      opts.fills[key] = value;
  }

  // Every fill and zero= names a tensor of the model.
  auto known = [](const std::string &name) {
    for (size_t i = 0; i < kParams; ++i)
      if (name == gc_state_tensors[i].name)
        return true;
    for (size_t i = 0; i < kEvalArgs; ++i)
      if (name == gc_eval_args[i].name && e2e::isInput(gc_eval_args[i]))
        return true;
    return false;
  };
  for (const auto &kv : opts.fills)
    if (!known(kv.first))
      usage("no parameter or input named '" + kv.first + "'");
  for (const std::string &z : opts.zero)
    if (!known(z))
      usage("no parameter named '" + z + "'");
  for (const auto &kv : opts.expected) {
    const dlc_tensor_info *t = nullptr;
    for (size_t i = 0; i < kParams; ++i)
      if (kv.first == gc_state_tensors[i].name)
        t = &gc_state_tensors[i];
    if (!t)
      usage("no parameter named '" + kv.first + "'");
    if (int64_t(kv.second.size()) != e2e::elementsOf(*t))
      usage("expect." + kv.first + " needs " +
            std::to_string(e2e::elementsOf(*t)) + " values");
  }

  Model model;
  e2e::Random rng(opts.seed);
  unsigned char *stateBytes = model.state.as<unsigned char>();
  for (size_t p = 0; p < kParams; ++p) {
    const dlc_tensor_info &t = gc_state_tensors[p];
    if (t.kind != DLC_PARAM)
      usage(std::string("unexpected state tensor '") + t.name + "'");
    fill(stateBytes + t.offset, t, opts, rng);
  }
  for (size_t i = 0; i < kEvalArgs; ++i) {
    const dlc_tensor_info &t = gc_eval_args[i];
    if (!e2e::isInput(t))
      continue;
    Buffer b(size_t(t.bytes));
    fill(b.data(), t, opts, rng);
    model.inputs.emplace(t.name, std::move(b));
  }

  // The generated gradient, on a NaN-filled gradient buffer.
  std::vector<unsigned char> before(stateBytes, stateBytes + GC_STATE_BYTES);
  std::memset(model.grads.data(), 0xFF, GC_GRADS_BYTES);
  double gradLoss = model.grad();
  bool ok = true;
  if (std::memcmp(before.data(), stateBytes, GC_STATE_BYTES) != 0) {
    std::fprintf(stderr, "error: grad wrote to the state buffer\n");
    ok = false;
  }
  double loss = model.eval();
  std::printf("loss: eval %.17g, grad %.17g\n", loss, gradLoss);
  if (!(std::fabs(loss - gradLoss) <= 1e-12 * (1 + std::fabs(loss)))) {
    std::fprintf(stderr, "error: grad's loss differs from eval's\n");
    ok = false;
  }

  // Finite differences, parameter by parameter.
  for (size_t p = 0; p < kParams; ++p) {
    const dlc_tensor_info &t = gc_state_tensors[p];
    const dlc_tensor_info *gt = gradientOf(t.name);
    if (!gt || gt->dtype != t.dtype || e2e::shapeOf(*gt) != e2e::shapeOf(t)) {
      std::fprintf(stderr,
                   "error: no gradient of '%s' with its shape and "
                   "dtype in gc_grad_tensors\n",
                   t.name);
      ok = false;
      continue;
    }
    void *x = stateBytes + t.offset;
    const void *g = model.grads.as<unsigned char>() + gt->offset;
    int64_t n = e2e::elementsOf(t);
    bool zero = opts.isZero(t.name) || !e2e::isFloat(t.dtype);
    auto expected = opts.expected.find(t.name);
    if (expected != opts.expected.end()) {
      double maxErr = 0;
      int64_t bad = 0;
      for (int64_t i = 0; i < n; ++i) {
        double gi = loadAt(g, gt->dtype, i), want = expected->second[size_t(i)];
        double err = std::fabs(gi - want);
        if (!(err <= 1e-15 * (1 + std::fabs(want))) && ++bad <= 5)
          std::fprintf(stderr,
                       "  mismatch %s[%lld]: generated %.17g, expected "
                       "%.17g (err %.3g)\n",
                       t.name, (long long)i, gi, want, err);
        maxErr = std::max(maxErr, std::isnan(err) ? INFINITY : err);
      }
      std::printf("grad %s %s: %s %lld elements, max |g - expected| %.3g\n",
                  t.name, shapeStr(t).c_str(), bad ? "FAIL" : "ok",
                  (long long)n, maxErr);
      if (bad) {
        std::fprintf(stderr,
                     "error: %s: %lld of %lld gradient elements "
                     "differ from the expected values\n",
                     t.name, (long long)bad, (long long)n);
        ok = false;
      }
      continue;
    }
    double maxErr = 0, worst = 0, maxFd = 0, maxG = 0;
    int64_t bad = 0;
    for (int64_t i = 0; i < n; ++i) {
      double gi = loadAt(g, gt->dtype, i);
      double fd = 0;
      if (e2e::isFloat(t.dtype)) {
        double x0 = loadAt(x, t.dtype, i);
        double step = opts.h * std::max(1.0, std::fabs(x0));
        storeAt(x, t.dtype, i, x0 + step);
        double xp = loadAt(x, t.dtype, i); // the point actually evaluated
        double lp = model.eval();
        storeAt(x, t.dtype, i, x0 - step);
        double xm = loadAt(x, t.dtype, i);
        double lm = model.eval();
        storeAt(x, t.dtype, i, x0);
        fd = (lp - lm) / (xp - xm);
      }
      double err = std::fabs(gi - fd);
      double bound = zero ? 0.0 : opts.tol * (1 + std::fabs(fd));
      bool good = zero ? (gi == 0 && fd == 0) : err <= bound; // NaN: false
      if (!good && ++bad <= 5)
        std::fprintf(stderr,
                     "  mismatch %s[%lld]: generated %.17g, finite "
                     "difference %.17g (err %.3g, bound %.3g)\n",
                     t.name, (long long)i, gi, fd, err, bound);
      if (std::isnan(err))
        err = INFINITY;
      maxErr = std::max(maxErr, err);
      if (bound > 0)
        worst = std::max(worst, err / bound);
      maxFd = std::max(maxFd, std::fabs(fd));
      maxG = std::max(maxG, std::fabs(gi));
    }
    if (zero)
      std::printf("grad %s %s: %s %lld elements, exactly zero: max |g| %.3g, "
                  "max |fd| %.3g\n",
                  t.name, shapeStr(t).c_str(), bad ? "FAIL" : "ok",
                  (long long)n, maxG, maxFd);
    else
      std::printf("grad %s %s: %s %lld elements, max |g - fd| %.3g, worst "
                  "|g - fd| / (tol (1 + |fd|)) %.3g, max |fd| %.3g\n",
                  t.name, shapeStr(t).c_str(), bad ? "FAIL" : "ok",
                  (long long)n, maxErr, worst, maxFd);
    if (bad) {
      std::fprintf(stderr, "error: %s: %lld of %lld gradient elements wrong\n",
                   t.name, (long long)bad, (long long)n);
      ok = false;
    }
    if (!zero && maxFd == 0) {
      std::fprintf(stderr,
                   "error: degenerate case: the loss does not depend "
                   "on '%s'\n",
                   t.name);
      ok = false;
    }
  }

  if (!model.guardsIntact()) {
    std::fprintf(stderr, "error: a buffer was written past its end\n");
    ok = false;
  }
  return ok ? 0 : 1;
}
