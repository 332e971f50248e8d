//===- harness.cpp - run one compiled dl function against the reference ---===//
//
// Part of dlc's e2e tests. Built once per test file:
//
//   dlc compile case.mlir -o case.o                  # case.o + case.h
//   %e2e_entries case.h > case.entries               # E2E_ENTRY(fn, FN) lines
//   c++ -include case.h -DE2E_ENTRIES='"case.entries"' harness.cpp case.o
//
// and run once per function:
//
//   case.exe ENTRY OP [ATTR...]
//
// ENTRY is a function of the object; OP names the reference computation
// (reference() below): a dl op's name (add, ..., matmul, sum, softmax,
// cross_entropy, one_hot, fill, constant, ...) or a composition (dense,
// dense_relu, matmul_relu, affine_relu, add_constant, mul_fill,
// maximum_fill, minimum_fill); ATTRs are
// its attributes and options:
//
//   axes=0,2 keepdims     reductions          perm=2,0,1   transpose
//   stride=2,1 padding=1,0 dilation=1,2 groups=2     conv2d and its gradients
//   kernel=3,2 stride=2 padding=1                    pooling and its gradients
//   p=0.25 stream=3       dropout (its seed and step inputs get integers)
//   eps=1e-5              batch_norm and its gradient, layer_norm
//   ties                  float inputs drawn from {-1, -0.5, 0, 0.5, 1}
//   axis=1                softmax-likes       value=2.5    fill
//   values=1,2,3          constant (one value: a splat)
//   range=LO,HI           float inputs uniform in [LO, HI) instead of the
//                         op's default range
//   nan                   every fifth element of each float input (from the
//                         second on) is NaN; the reference propagates it
//                         (relu, maximum, minimum, max, cast)
//   seed=N                another random draw (default: from ENTRY's name)
//
// Inputs come from the descriptor table (`<fn>_args`), filled with seeded
// random values in a range that suits the op (log and sqrt get positive
// inputs, labels lie in [0, C), ...). Outputs start as NaN, the workspace
// as garbage (or NULL when its size is 0). After the call the harness
// checks that no input changed, that nothing was written past any buffer,
// compares every output with the reference of reference.h within its stated
// tolerance, then calls again on differently poisoned outputs and workspace
// and requires bit-identical results. Exit status 0 iff all checks pass.
//
//===----------------------------------------------------------------------===//

#include "harness.h"

#include <algorithm>
#include <cmath>
#include <string>

#ifndef E2E_ENTRIES
#error "compile with -DE2E_ENTRIES='\"FILE\"', FILE listing E2E_ENTRY(fn, FN)"
#endif

namespace {

using e2e::Buffer;
using ref::Expected;
using ref::Shape;
using ref::Tensor;

/// One entry point of the object under test.
struct Entry {
  const char *name;
  const dlc_tensor_info *args;
  size_t numArgs;
  size_t workspaceBytes;
  bool (*check)();
  void (*call)(void *const *);
};

#define E2E_ENTRY(fn, FN)                                                      \
  Entry{#fn,                                                                   \
        fn##_args,                                                             \
        sizeof(fn##_args) / sizeof(fn##_args[0]),                              \
        FN##_WORKSPACE_BYTES,                                                  \
        [] {                                                                   \
          return e2e::Invoker<decltype(&fn)>::check(                           \
              #fn, fn##_args, sizeof(fn##_args) / sizeof(fn##_args[0]),        \
              /*hasState=*/false);                                             \
        },                                                                     \
        [](void *const *ptrs) { e2e::Invoker<decltype(&fn)>::call(&fn, ptrs); }},

const Entry kEntries[] = {
#include E2E_ENTRIES
};

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

struct Attrs {
  std::vector<std::pair<std::string, std::string>> values;

  const std::string *find(const std::string &k) const {
    for (const auto &kv : values)
      if (kv.first == k)
        return &kv.second;
    return nullptr;
  }
  bool has(const std::string &k) const { return find(k) != nullptr; }
  const std::string &get(const std::string &k) const {
    if (const std::string *v = find(k))
      return *v;
    std::fprintf(stderr, "error: the reference needs attribute '%s'\n",
                 k.c_str());
    std::exit(2);
  }
  std::vector<double> list(const std::string &k) const {
    std::vector<double> out;
    std::string s = get(k);
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t comma = s.find(',', pos);
      if (comma == std::string::npos)
        comma = s.size();
      if (comma > pos)
        out.push_back(std::stod(s.substr(pos, comma - pos)));
      pos = comma + 1;
    }
    return out;
  }
  std::vector<int64_t> ints(const std::string &k) const {
    std::vector<int64_t> out;
    for (double d : list(k))
      out.push_back(int64_t(d));
    return out;
  }
  double number(const std::string &k) const { return std::stod(get(k)); }
};

//===----------------------------------------------------------------------===//
// Inputs
//===----------------------------------------------------------------------===//

/// How to draw one float input of `op`.
struct Draw {
  enum Kind { Uniform, LogMagnitude, Quantized, WithZeros } kind = Uniform;
  double lo = -4, hi = 4;
};

Draw drawFor(const std::string &op, size_t index) {
  Draw d;
  if (op == "log")
    return {Draw::LogMagnitude, 1e-4, 1e4};
  if (op == "sqrt")
    return {Draw::LogMagnitude, 1e-20, 1e20};
  // From underflow to near overflow (88.72; above 88.5 the approximation's
  // error grows to about 5 u).
  if (op == "exp")
    return {Draw::Uniform, -100, 88};
  if (op == "tanh" || op == "sigmoid")
    return {Draw::LogMagnitude, 1e-6, 100};
  if (op == "erf" || op == "gelu" || op == "gelu_tanh")
    return {Draw::Uniform, -6, 6};
  if (op == "div" && index == 1)
    return {Draw::LogMagnitude, 0.25, 4};
  if (op == "step" || op == "sign" || op == "relu" || op == "maximum_fill" ||
      op == "minimum_fill")
    return {Draw::WithZeros, -4, 4};
  if (op == "floor") // multiples of 1/4: exact integers, also negative
    return {Draw::Quantized, -8, 8};
  if (op == "sin" || op == "cos")
    return {Draw::Uniform, -20, 20};
  if (op == "maximum" || op == "minimum")
    return {Draw::Quantized, -2, 2};
  if (op == "matmul" || op == "dense" || op == "dense_relu" ||
      op == "matmul_relu")
    return {Draw::Uniform, -1, 1};
  if (op == "softmax" || op == "log_softmax" || op == "cross_entropy")
    return {Draw::Uniform, -8, 8};
  return d;
}

double drawOne(e2e::Random &rng, const Draw &d) {
  switch (d.kind) {
  case Draw::Uniform:
    return rng.uniform(d.lo, d.hi);
  case Draw::LogMagnitude: { // random sign unless the range is positive only
    double m = std::exp(rng.uniform(std::log(d.lo), std::log(d.hi)));
    return rng.uniform(0, 1) < 0.5 ? m : -m;
  }
  case Draw::Quantized: // multiples of 1/4: many ties, and +-0
    return std::round(rng.uniform(d.lo, d.hi) * 4) / 4;
  case Draw::WithZeros: {
    double r = rng.uniform(0, 1);
    if (r < 0.125)
      return 0.0;
    if (r < 0.25)
      return -0.0;
    return rng.uniform(d.lo, d.hi);
  }
  }
  return 0;
}

/// Fills the inputs of `entry` for `op`.
std::vector<Buffer> makeInputs(const Entry &entry, const std::string &op,
                               const Attrs &attrs, e2e::Random &rng) {
  std::vector<Buffer> bufs;
  // Classes of a label tensor: the last dim of the first float input
  // (cross_entropy's logits).
  int64_t classes = 0;
  for (size_t i = 0; i < entry.numArgs && !classes; ++i)
    if (e2e::isInput(entry.args[i]) && e2e::isFloat(entry.args[i].dtype) &&
        entry.args[i].rank > 0)
      classes = entry.args[i].shape[entry.args[i].rank - 1];
  if (op == "one_hot")
    for (size_t i = 0; i < entry.numArgs; ++i)
      if (!e2e::isInput(entry.args[i]))
        classes = entry.args[i].shape[entry.args[i].rank - 1];
  // Ids of an embedding: the table's rows (the first input's, or the
  // gradient's).
  if (op == "embedding" || op == "embedding_backward")
    for (size_t i = 0; i < entry.numArgs; ++i)
      if (op == "embedding" ? e2e::isInput(entry.args[i])
                            : !e2e::isInput(entry.args[i])) {
        classes = entry.args[i].shape[0];
        break;
      }
  size_t index = 0;
  for (size_t i = 0; i < entry.numArgs; ++i) {
    const dlc_tensor_info &t = entry.args[i];
    if (!e2e::isInput(t))
      continue;
    Buffer b(t.bytes);
    Draw d = drawFor(op, index);
    if (attrs.has("range")) {
      std::vector<double> r = attrs.list("range");
      d = {Draw::Uniform, r.at(0), r.at(1)};
    }
    bool positive = op == "log" || op == "sqrt";
    for (int64_t k = 0; k < e2e::elementsOf(t); ++k) {
      double v;
      if (!e2e::isFloat(t.dtype))
        v = op == "cross_entropy" ? double(rng.integer(0, classes - 1))
            : op == "one_hot" || op == "embedding" ||
                    op == "embedding_backward"
                ? double(rng.integer(-2, classes + 1))
                                  : double(rng.integer(-100, 100));
      else {
        v = drawOne(rng, d);
        if (positive)
          v = std::fabs(v);
        if (op == "sqrt" && k == 0)
          v = 0.0; // sqrt(0) = 0 exactly
        if (t.dtype == DLC_F32)
          v = double(float(v));
        if (op == "dropout" && index > 0) // seed, step: integers < 2^24
          v = double(rng.integer(0, (1 << 24) - 1));
        if (attrs.has("ties"))
          v = 0.5 * std::round(2.0 * std::clamp(v, -1.0, 1.0));
        if (attrs.has("nan") && k % 5 == 1)
          v = NAN;
      }
      e2e::store(b, t.dtype, k, v);
    }
    bufs.push_back(std::move(b));
    ++index;
  }
  return bufs;
}

//===----------------------------------------------------------------------===//
// The reference of each OP
//===----------------------------------------------------------------------===//

/// r = a + b (same shape) with the addition's rounding.
Expected plus(Expected a, const Expected &b) {
  Expected r = ref::binary(a.value, b.value,
                           [](double x, double y) { return x + y; },
                           ref::kRounded);
  for (size_t i = 0; i < r.tol.size(); ++i) {
    Shape idx = ref::unravel(int64_t(i), r.value.shape);
    r.tol[i] += a.tol[ref::broadcastIndex(a.value.shape, r.value.shape, idx)] +
                b.tol[ref::broadcastIndex(b.value.shape, r.value.shape, idx)];
  }
  return r;
}

/// An input without error, as an Expected.
Expected exact(const Tensor &t) {
  Expected e(t.shape);
  e.value = t;
  return e;
}

/// relu is 1-Lipschitz: the error bound carries over.
Expected relu(Expected a) {
  for (double &v : a.value.v)
    v = ref::relu(v);
  return a;
}

/// Integer results are exact: drop the float tolerances.
Expected exactIfInt(Expected e, dlc_dtype t) {
  if (!e2e::isFloat(t))
    std::fill(e.tol.begin(), e.tol.end(), 0.0);
  return e;
}

std::vector<Expected> reference(const std::string &op, const Attrs &attrs,
                                const std::vector<Tensor> &in,
                                const std::vector<const dlc_tensor_info *> &out) {
  auto need = [&](size_t inputs, size_t outputs) {
    if (in.size() != inputs || out.size() != outputs) {
      std::fprintf(stderr,
                   "error: '%s' takes %zu inputs and %zu outputs, the entry "
                   "has %zu and %zu\n",
                   op.c_str(), inputs, outputs, in.size(), out.size());
      std::exit(2);
    }
  };
  // Elementwise ops: the function and the allowed relative and absolute
  // error (see reference.h).
  struct Elementwise {
    const char *name;
    double (*f1)(double);
    double (*f2)(double, double);
    double rel, abs;
  };
  static const Elementwise elementwise[] = {
      {"add", nullptr, [](double a, double b) { return a + b; }, ref::kRounded, 0},
      {"sub", nullptr, [](double a, double b) { return a - b; }, ref::kRounded, 0},
      {"mul", nullptr, [](double a, double b) { return a * b; }, ref::kRounded, 0},
      {"div", nullptr, [](double a, double b) { return a / b; }, ref::kRounded, 0},
      {"maximum", nullptr, ref::maximum, 0, 0},
      {"minimum", nullptr, ref::minimum, 0, 0},
      {"neg", [](double x) { return -x; }, nullptr, 0, 0},
      {"relu", ref::relu, nullptr, 0, 0},
      {"step", ref::step, nullptr, 0, 0},
      {"sign", ref::sign, nullptr, 0, 0},
      {"floor", [](double x) { return std::floor(x); }, nullptr, 0, 0},
      {"sqrt", [](double x) { return std::sqrt(x); }, nullptr, ref::kRounded, 0},
      {"exp", [](double x) { return std::exp(x); }, nullptr, ref::kExpRel,
       ref::kTinyAbs},
      {"log", [](double x) { return std::log(x); }, nullptr, ref::kLogRel,
       ref::kLogAbs},
      {"tanh", [](double x) { return std::tanh(x); }, nullptr, ref::kTanhRel, 0},
      {"sigmoid", ref::sigmoid, nullptr, ref::kSigmoidRel, ref::kTinyAbs},
      {"erf", [](double x) { return std::erf(x); }, nullptr, ref::kErfRel,
       ref::kErfAbs},
      {"gelu", ref::gelu, nullptr, ref::kGeluRel, ref::kGeluAbs},
      {"gelu_tanh", ref::geluTanh, nullptr, ref::kGeluRel, ref::kGeluAbs},
  };
  for (const Elementwise &e : elementwise) {
    if (op != e.name)
      continue;
    if (e.f2) {
      need(2, 1);
      return {exactIfInt(ref::binary(in[0], in[1], e.f2, e.rel), out[0]->dtype)};
    }
    need(1, 1);
    return {exactIfInt(ref::unary(in[0], e.f1, e.rel, e.abs), out[0]->dtype)};
  }
  if (op == "sin" || op == "cos") {
    need(1, 1);
    return {op == "sin" ? ref::trig(in[0], [](double x) { return std::sin(x); })
                        : ref::trig(in[0], [](double x) { return std::cos(x); })};
  }
  if (op == "one_hot") {
    need(1, 1);
    return {ref::oneHot(in[0], out[0]->shape[out[0]->rank - 1])};
  }
  if (op == "argmax") {
    need(1, 1);
    return {ref::argmax(in[0], int64_t(attrs.number("axis")))};
  }
  if (op == "slice") {
    need(1, 1);
    return {ref::slice(in[0], attrs.ints("offsets"), e2e::shapeOf(*out[0]),
                       attrs.ints("strides"))};
  }
  if (op == "slice_backward") {
    need(1, 1);
    return {ref::sliceBackward(in[0], e2e::shapeOf(*out[0]),
                               attrs.ints("offsets"), attrs.ints("strides"))};
  }
  if (op == "concat") {
    std::vector<ref::Tensor> parts(in.begin(), in.end());
    return {ref::concat(parts, int64_t(attrs.number("axis")))};
  }
  if (op == "embedding") {
    need(2, 1);
    return {ref::embedding(in[0], in[1])};
  }
  if (op == "embedding_backward") {
    need(2, 1);
    return {ref::embeddingBackward(in[0], in[1], out[0]->shape[0])};
  }
  if (op == "cast") { // rounded to nearest even to the result's type: exact
    need(1, 1);
    dlc_dtype to = out[0]->dtype;
    Expected e = exact(in[0]);
    for (double &v : e.value.v)
      v = to == DLC_F16    ? e2e::roundToF16(v)
          : to == DLC_BF16 ? e2e::roundToBF16(v)
          : to == DLC_F32  ? double(float(v))
                           : v;
    return {e};
  }
  if (op == "matmul") {
    need(2, 1);
    return {ref::matmul(in[0], in[1])};
  }
  if (op == "conv2d" || op == "conv2d_backward_input" ||
      op == "conv2d_backward_filter") {
    need(2, 1);
    ref::Window win;
    auto pair = [&](const char *name, int64_t(&v)[2]) {
      if (!attrs.has(name))
        return;
      std::vector<int64_t> p = attrs.ints(name);
      v[0] = p.at(0);
      v[1] = p.size() > 1 ? p[1] : p[0];
    };
    pair("stride", win.stride);
    pair("padding", win.padding);
    pair("dilation", win.dilation);
    if (attrs.has("groups"))
      win.groups = attrs.ints("groups").at(0);
    ref::Shape result(out[0]->shape, out[0]->shape + out[0]->rank);
    if (op == "conv2d")
      return {ref::conv2d(in[0], in[1], win, result)};
    if (op == "conv2d_backward_input")
      return {ref::conv2dBackwardInput(in[0], in[1], win, result)};
    return {ref::conv2dBackwardFilter(in[0], in[1], win, result)};
  }
  if (op == "dropout") {
    need(3, 1);
    if (!ref::philoxKnownAnswers()) {
      std::fprintf(stderr, "reference Philox4x32-10 fails its known answers\n");
      std::exit(1);
    }
    return {ref::dropout(
        in[0], in[1].v.at(0), in[2].v.at(0), attrs.list("p").at(0),
        uint32_t(attrs.ints("stream").at(0)), out[0]->dtype == DLC_F32)};
  }
  if (op == "max_pool2d" || op == "avg_pool2d" || op == "max_pool2d_backward" ||
      op == "avg_pool2d_backward") {
    ref::PoolWindow win;
    auto pair = [&](const char *name, int64_t(&v)[2]) {
      std::vector<int64_t> p = attrs.ints(name);
      v[0] = p.at(0);
      v[1] = p.size() > 1 ? p[1] : p[0];
    };
    pair("kernel", win.kernel);
    if (attrs.has("stride"))
      pair("stride", win.stride);
    else
      std::copy(win.kernel, win.kernel + 2, win.stride);
    if (attrs.has("padding"))
      pair("padding", win.padding);
    ref::Shape result(out[0]->shape, out[0]->shape + out[0]->rank);
    if (op == "max_pool2d_backward") {
      need(2, 1);
      return {ref::maxPool2dBackward(in[0], in[1], win)};
    }
    need(1, 1);
    if (op == "max_pool2d")
      return {ref::maxPool2d(in[0], win, result)};
    if (op == "avg_pool2d")
      return {ref::avgPool2d(in[0], win, result)};
    return {ref::avgPool2dBackward(in[0], win, result)};
  }
  if (op == "batch_norm") {
    need(3, 3);
    return ref::batchNorm(in[0], in[1], in[2], attrs.number("eps"));
  }
  if (op == "batch_norm_backward") {
    need(5, 3);
    return ref::batchNormBackward(in[0], in[1], in[2], in[3], in[4],
                                  attrs.number("eps"));
  }
  if (op == "layer_norm") {
    need(3, 3);
    return ref::layerNorm(in[0], in[1], in[2], attrs.number("eps"));
  }
  if (op == "layer_norm_backward") {
    need(5, 3);
    return ref::layerNormBackward(in[0], in[1], in[2], in[3], in[4]);
  }
  if (op == "sum" || op == "mean" || op == "max") {
    need(1, 1);
    ref::Reduce kind = op == "sum"    ? ref::Reduce::Sum
                       : op == "mean" ? ref::Reduce::Mean
                                      : ref::Reduce::Max;
    return {exactIfInt(ref::reduce(in[0], attrs.ints("axes"),
                                   attrs.has("keepdims"), kind),
                       out[0]->dtype)};
  }
  if (op == "reshape") {
    need(1, 1);
    return {ref::reshape(in[0], e2e::shapeOf(*out[0]))};
  }
  if (op == "transpose") {
    need(1, 1);
    return {ref::transpose(in[0], attrs.ints("perm"))};
  }
  if (op == "broadcast") {
    need(1, 1);
    return {ref::broadcast(in[0], e2e::shapeOf(*out[0]))};
  }
  if (op == "softmax" || op == "log_softmax") {
    need(1, 1);
    int64_t axis = int64_t(attrs.number("axis"));
    return {op == "softmax" ? ref::softmax(in[0], axis)
                            : ref::logSoftmax(in[0], axis)};
  }
  if (op == "cross_entropy") {
    need(2, 1);
    return {ref::crossEntropy(in[0], in[1])};
  }
  if (op == "fill" || op == "constant") {
    need(0, 1);
    Expected e(e2e::shapeOf(*out[0]));
    std::vector<double> v = op == "fill" ? std::vector<double>{attrs.number("value")}
                                         : attrs.list("values");
    if (v.size() != 1 && int64_t(v.size()) != e.value.size()) {
      std::fprintf(stderr, "error: %zu values for %" PRId64 " elements\n",
                   v.size(), e.value.size());
      std::exit(2);
    }
    for (int64_t i = 0; i < e.value.size(); ++i) {
      double x = v.size() == 1 ? v[0] : v[size_t(i)];
      e.value.v[i] = out[0]->dtype == DLC_F32 ? double(float(x)) : x;
    }
    return {e};
  }
  // x + constant: a constant operand that cannot be folded away.
  if (op == "add_constant") {
    need(1, 1);
    Tensor c(e2e::shapeOf(*out[0]));
    std::vector<double> v = attrs.list("values");
    for (int64_t i = 0; i < c.size(); ++i)
      c.v[i] = v.size() == 1 ? v[0] : v.at(size_t(i));
    return {ref::binary(in[0], c, [](double a, double b) { return a + b; },
                        ref::kRounded)};
  }
  // x * fill(value): a fill consumed by an op.
  if (op == "mul_fill") {
    need(1, 1);
    double value = attrs.number("value");
    return {ref::unary(in[0], [value](double x) { return x * value; },
                       ref::kRounded)};
  }
  // maximum(x, fill(value)), minimum(x, fill(value)): a constant operand,
  // e.g. the zeros of either sign that decide the result at ties.
  if (op == "maximum_fill" || op == "minimum_fill") {
    need(1, 1);
    double value = attrs.number("value");
    return {op == "maximum_fill"
                ? ref::unary(
                      in[0],
                      [value](double x) { return ref::maximum(x, value); }, 0)
                : ref::unary(
                      in[0],
                      [value](double x) { return ref::minimum(x, value); }, 0)};
  }
  // Compositions: a matmul with a bias and ReLU epilogue fused into its
  // register tiles, a matmul whose product has a second user, a chain of
  // elementwise ops that linalg fuses into one loop nest.
  if (op == "dense" || op == "dense_relu") {
    need(3, 1);
    Expected y = plus(ref::matmul(in[0], in[1]), exact(in[2]));
    return {op == "dense" ? y : relu(y)};
  }
  if (op == "matmul_relu") { // returns both the product and relu(product)
    need(2, 2);
    Expected p = ref::matmul(in[0], in[1]);
    return {p, relu(p)};
  }
  if (op == "affine_relu") { // relu(x * a + b)
    need(3, 1);
    Expected xa = ref::binary(in[0], in[1],
                              [](double x, double a) { return x * a; },
                              ref::kRounded);
    return {relu(plus(xa, exact(in[2])))};
  }
  std::fprintf(stderr, "error: no reference for op '%s'\n", op.c_str());
  std::exit(2);
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

int run(const Entry &entry, const std::string &op, const Attrs &attrs) {
  if (!entry.check())
    return 1;
  uint64_t seed = e2e::hashName(entry.name);
  if (attrs.has("seed"))
    seed += uint64_t(attrs.number("seed"));
  e2e::Random rng(seed);

  std::vector<Buffer> inputs = makeInputs(entry, op, attrs, rng);
  std::vector<std::vector<unsigned char>> before;
  for (const Buffer &b : inputs)
    before.emplace_back(b.as<unsigned char>(), b.as<unsigned char>() + b.bytes());
  std::vector<Buffer> outputs;
  std::vector<const dlc_tensor_info *> outInfo;
  for (size_t i = 0; i < entry.numArgs; ++i)
    if (!e2e::isInput(entry.args[i])) {
      outputs.emplace_back(entry.args[i].bytes, 0xFF); // NaN / -1
      outInfo.push_back(&entry.args[i]);
    }
  Buffer workspace(entry.workspaceBytes, 0xCD);

  auto invoke = [&] {
    std::vector<void *> ptrs;
    size_t in = 0, outIdx = 0;
    for (size_t i = 0; i < entry.numArgs; ++i)
      ptrs.push_back(e2e::isInput(entry.args[i]) ? inputs[in++].data()
                                                 : outputs[outIdx++].data());
    // A workspace of 0 bytes may be NULL: then any access faults.
    ptrs.push_back(entry.workspaceBytes ? workspace.data() : nullptr);
    entry.call(ptrs.data());
  };
  invoke();

  bool ok = true;
  for (size_t i = 0; i < inputs.size(); ++i)
    if (std::memcmp(before[i].data(), inputs[i].data(), inputs[i].bytes()) ||
        !inputs[i].guardIntact()) {
      std::fprintf(stderr, "error: %s wrote to input %zu\n", entry.name, i);
      ok = false;
    }
  for (size_t i = 0; i < outputs.size(); ++i)
    if (!outputs[i].guardIntact()) {
      std::fprintf(stderr, "error: %s wrote past the end of output '%s'\n",
                   entry.name, outInfo[i]->name);
      ok = false;
    }
  if (!workspace.guardIntact()) {
    std::fprintf(stderr, "error: %s wrote past its %zu-byte workspace\n",
                 entry.name, entry.workspaceBytes);
    ok = false;
  }

  std::vector<Tensor> in;
  for (size_t i = 0, k = 0; i < entry.numArgs; ++i)
    if (e2e::isInput(entry.args[i]))
      in.push_back(e2e::toTensor(inputs[k++], entry.args[i]));
  std::vector<Expected> want = reference(op, attrs, in, outInfo);
  for (size_t i = 0; i < outputs.size(); ++i) {
    // reference.h states its bounds for f32; every term is a multiple of
    // f32's unit roundoff (the approximations become libm calls, within an
    // ulp, for f64), so f64 results get them scaled by 2^-53 / 2^-24, f16
    // and bf16 results by 2^-11 / 2^-24 and 2^-8 / 2^-24.
    double scale = outInfo[i]->dtype == DLC_F64    ? 0x1p-29
                   : outInfo[i]->dtype == DLC_F16  ? 0x1p13
                   : outInfo[i]->dtype == DLC_BF16 ? 0x1p16
                                                   : 1.0;
    for (double &t : want[i].tol)
      t *= scale;
    std::string what = std::string(entry.name) + " " + op + " " +
                       outInfo[i]->name;
    ok &= e2e::compare(what.c_str(), outputs[i], *outInfo[i], want[i]);
  }

  // Again, on other garbage: results must not depend on what the output and
  // workspace buffers held (no accumulation into uninitialized memory).
  std::vector<std::vector<unsigned char>> first;
  for (Buffer &b : outputs) {
    first.emplace_back(b.as<unsigned char>(), b.as<unsigned char>() + b.bytes());
    std::memset(b.data(), 0x3C, b.bytes());
  }
  std::memset(workspace.data(), 0x7B, workspace.bytes());
  invoke();
  for (size_t i = 0; i < outputs.size(); ++i)
    if (std::memcmp(first[i].data(), outputs[i].data(), outputs[i].bytes())) {
      std::fprintf(stderr, "error: %s: output '%s' differs on a second call "
                           "with other initial buffer contents\n",
                   entry.name, outInfo[i]->name);
      ok = false;
    }
  return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ENTRY OP [key=value | flag]...\n", argv[0]);
    return 2;
  }
  Attrs attrs;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    size_t eq = a.find('=');
    if (eq == std::string::npos)
      attrs.values.emplace_back(a, "1");
    else
      attrs.values.emplace_back(a.substr(0, eq), a.substr(eq + 1));
  }
  for (const Entry &entry : kEntries)
    if (entry.name == std::string(argv[1]))
      return run(entry, argv[2], attrs);
  std::fprintf(stderr, "error: no entry point '%s' in this object; it has:",
               argv[1]);
  for (const Entry &entry : kEntries)
    std::fprintf(stderr, " %s", entry.name);
  std::fprintf(stderr, "\n");
  return 2;
}
