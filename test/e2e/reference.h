//===- reference.h - plain C++ reference semantics of the dl ops ----------===//
//
// Part of dlc's e2e tests. Independent of the compiler: every op is computed
// here from its definition, in double precision, on row-major tensors. Each
// result comes with a per-element absolute error bound for an f32
// implementation (the `tol` of Expected), derived below op by op from the
// unit roundoff u = 2^-24 of f32:
//
//   - correctly rounded IEEE ops (add, sub, mul, div, sqrt): u * |r|
//     (kRounded);
//   - exact ops (neg, relu, step, sign, floor, maximum, minimum, max,
//     reshape, transpose, broadcast, fill, constant, one_hot): 0;
//   - a sum of n terms, in any order, with or without FMA: gamma(n) * sum|t|
//     where gamma(n) = n u / (1 - n u) (Higham, Accuracy and Stability of
//     Numerical Algorithms, 2nd ed., eq. 3.4/3.5) - so matmul tolerances
//     grow with K, reductions with the number of reduced elements;
//   - exp, log, tanh, sin, cos are polynomial/rational approximations in the
//     generated code (MLIR's math approximations, dlc-approximate-math), not
//     correctly rounded: their errors kExpRel, kLogRel, kTanhRel, kTrigAbs are
//     stated next to their definitions;
//   - softmax, log_softmax and cross_entropy add up those bounds through the
//     stable formulas m = max x, s = sum exp(x - m).
//
// A wrong index, a missing term or a lost tile moves results by far more
// than these bounds for the shapes tested (K <= 784, so gamma(K) < 5e-5 while
// one missing term out of K moves a sum by about 1/K of its magnitude).
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TEST_E2E_REFERENCE_H
#define DLC_TEST_E2E_REFERENCE_H

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace ref {

using Shape = std::vector<int64_t>;

/// A dense row-major tensor of doubles (integer tensors hold exact integers).
struct Tensor {
  Shape shape;
  std::vector<double> v;

  Tensor() = default;
  explicit Tensor(Shape s, double fill = 0.0)
      : shape(std::move(s)), v(size_t(numel(shape)), fill) {}

  static int64_t numel(const Shape &s) {
    int64_t n = 1;
    for (int64_t d : s)
      n *= d;
    return n;
  }
  int64_t rank() const { return int64_t(shape.size()); }
  int64_t size() const { return numel(shape); }
};

/// A reference result: values and the absolute error allowed per element.
struct Expected {
  Tensor value;
  std::vector<double> tol;

  explicit Expected(Shape s) : value(s), tol(size_t(Tensor::numel(s)), 0.0) {}
};

/// Unit roundoff of f32, and gamma(n) = n u / (1 - n u).
constexpr double u = 0x1p-24;
inline double gamma(int64_t n) { return double(n) * u / (1.0 - double(n) * u); }

/// A correctly rounded f32 result r is within u * |r| of the exact value;
/// the 1e-6 relative slack covers the double reference's own rounding.
constexpr double kRounded = u * (1 + 1e-6);

// Stated accuracy of the approximations dlc generates (relative to the exact
// result). MLIR 19's exp (range reduction by ln 2 and a polynomial), its
// Cephes-style log and its rational tanh were measured at 1.4, 1.3 and 3.7 u
// over the ranges test/e2e/unary.mlir uses; the constants leave a margin of
// 2-3x and are far below the 1e-5 a plain single-precision target would
// allow. exp flushes results below FLT_MIN (x < -87.3) to zero, hence an
// absolute FLT_MIN in its bound (kTinyAbs).
constexpr double kExpRel = 4 * u;
constexpr double kLogRel = 4 * u;
constexpr double kLogAbs = 4 * u; // near x = 1, where log(x) ~ 0
constexpr double kTanhRel = 8 * u;
constexpr double kTinyAbs = std::numeric_limits<float>::min();
// erf (MLIR 19's polynomial approximation) and the GELUs built on erf and
// tanh, on |x| <= 6: relative to the result, plus an absolute term where the
// result crosses zero (erf at 0) or vanishes (gelu for x << 0, where 1 +
// erf or 1 + tanh cancels: an error of about |x| / 2 times theirs).
// Measured worst: erf 2.5e-7 absolute, gelu 4.4e-7, gelu_tanh 7.4e-7.
constexpr double kErfRel = 16 * u, kErfAbs = 16 * u;
constexpr double kGeluRel = 16 * u, kGeluAbs = 32 * u;
// sin and cos: MLIR's approximation reduces the argument by pi/2 in f32, so
// its error is absolute and grows with |x| (about u * |x| from the reduction,
// plus the polynomial's); bounded by kTrigAbs + u * |x| on the tested range.
constexpr double kTrigAbs = 8 * u;

//===----------------------------------------------------------------------===//
// Indexing helpers
//===----------------------------------------------------------------------===//

inline Shape strides(const Shape &shape) {
  Shape s(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/// The multi-index of linear index `linear` in `shape`.
inline Shape unravel(int64_t linear, const Shape &shape) {
  Shape idx(shape.size(), 0);
  for (int64_t i = int64_t(shape.size()) - 1; i >= 0; --i) {
    idx[i] = linear % shape[i];
    linear /= shape[i];
  }
  return idx;
}

/// The linear index in `in` (broadcast NumPy-style to `out`) of the element
/// at multi-index `outIdx` of `out`.
inline int64_t broadcastIndex(const Shape &in, const Shape &out,
                              const Shape &outIdx) {
  Shape st = strides(in);
  int64_t offset = int64_t(out.size()) - int64_t(in.size());
  int64_t linear = 0;
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] != 1)
      linear += outIdx[i + offset] * st[i];
  return linear;
}

inline Shape broadcastShapes(const Shape &a, const Shape &b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    assert(da == db || da == 1 || db == 1);
    out[i] = std::max(da, db);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// r = f(a, b) with broadcasting; `rel` is the allowed relative error.
template <typename F>
Expected binary(const Tensor &a, const Tensor &b, F f, double rel) {
  Expected e(broadcastShapes(a.shape, b.shape));
  for (int64_t i = 0; i < e.value.size(); ++i) {
    Shape idx = unravel(i, e.value.shape);
    double r = f(a.v[broadcastIndex(a.shape, e.value.shape, idx)],
                 b.v[broadcastIndex(b.shape, e.value.shape, idx)]);
    e.value.v[i] = r;
    e.tol[i] = rel * std::fabs(r);
  }
  return e;
}

/// r = f(x); tol = rel * |r| + abs.
template <typename F>
Expected unary(const Tensor &x, F f, double rel, double abs = 0.0) {
  Expected e(x.shape);
  for (int64_t i = 0; i < x.size(); ++i) {
    double r = f(x.v[i]);
    e.value.v[i] = r;
    e.tol[i] = rel * std::fabs(r) + abs;
  }
  return e;
}

/// relu, maximum and minimum propagate NaN (as torch and arith.maximumf);
/// maximum(-0, +0) is +0, minimum -0.
inline double relu(double x) { return std::isnan(x) || x > 0 ? x : 0.0; }
inline double maximum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  return a == b ? (std::signbit(a) ? b : a) : std::max(a, b);
}
inline double minimum(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return NAN;
  return a == b ? (std::signbit(a) ? a : b) : std::min(a, b);
}
inline double step(double x) { return x > 0 ? 1.0 : 0.0; }
inline double sign(double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); }
inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
/// PyTorch's gelu (erf) and gelu(approximate = 'tanh').
inline double gelu(double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }
inline double geluTanh(double x) {
  return 0.5 * x *
         (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
}

/// sin/cos with the absolute tolerance kTrigAbs + 2 u |x| (see above).
template <typename F> Expected trig(const Tensor &x, F f) {
  Expected e(x.shape);
  for (int64_t i = 0; i < x.size(); ++i) {
    e.value.v[i] = f(x.v[i]);
    e.tol[i] = kTrigAbs + 2 * u * std::fabs(x.v[i]);
  }
  return e;
}

/// sigmoid = 1 / (1 + exp(-x)): the exp's relative error e moves the result
/// by at most e * (1 - s) <= e relative, plus the add and the divide; where
/// exp(-x) overflows (x < -88.7) the result 0 is within kTinyAbs.
constexpr double kSigmoidRel = kExpRel + 3 * u;

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

/// [B..., M, K] x [B..., K, N] -> [B..., M, N]. Each element is a dot
/// product of K terms: tol = gamma(K + 1) * sum_k |a_mk b_kn|.
inline Expected matmul(const Tensor &a, const Tensor &b) {
  assert(a.rank() >= 2 && a.rank() == b.rank());
  int64_t r = a.rank();
  int64_t M = a.shape[r - 2], K = a.shape[r - 1], N = b.shape[r - 1];
  assert(b.shape[r - 2] == K);
  Shape out = a.shape;
  out[r - 1] = N;
  int64_t batch = Tensor::numel(Shape(a.shape.begin(), a.shape.end() - 2));
  Expected e(out);
  for (int64_t p = 0; p < batch; ++p)
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        double sum = 0, mag = 0;
        for (int64_t k = 0; k < K; ++k) {
          double t = a.v[(p * M + m) * K + k] * b.v[(p * K + k) * N + n];
          sum += t;
          mag += std::fabs(t);
        }
        e.value.v[(p * M + m) * N + n] = sum;
        e.tol[(p * M + m) * N + n] = gamma(K + 1) * mag;
      }
  return e;
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// A 2-D convolution's window: (H, W) pairs and the number of groups.
struct Window {
  int64_t stride[2] = {1, 1}, padding[2] = {0, 0}, dilation[2] = {1, 1};
  int64_t groups = 1;
};

/// Visits every term x[n, c, ih, iw] * w[o, c', kh, kw] of the convolution
/// y = conv2d(x, w) (PyTorch's definition, zero padding), written directly
/// from it: f(yIndex, xIndex, wIndex).
template <typename F>
void forEachConvTerm(const Shape &x, const Shape &w, const Shape &y,
                     const Window &win, F f) {
  int64_t C = x[1], H = x[2], W = x[3], O = w[0], Cg = w[1], KH = w[2],
          KW = w[3];
  int64_t Og = O / win.groups;
  for (int64_t n = 0; n < y[0]; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t oh = 0; oh < y[2]; ++oh)
        for (int64_t ow = 0; ow < y[3]; ++ow)
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t kh = 0; kh < KH; ++kh)
              for (int64_t kw = 0; kw < KW; ++kw) {
                int64_t ih =
                    oh * win.stride[0] + kh * win.dilation[0] - win.padding[0];
                int64_t iw =
                    ow * win.stride[1] + kw * win.dilation[1] - win.padding[1];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                  continue;
                int64_t ci = (o / Og) * Cg + c;
                f(((n * O + o) * y[2] + oh) * y[3] + ow,
                  ((n * C + ci) * H + ih) * W + iw,
                  ((o * Cg + c) * KH + kh) * KW + kw);
              }
}

/// Sums the convolution's terms into a result of `shape`: term(y, x, w)
/// (the terms' flat indices) returns the result index and the product. Each
/// element is a sum of at most `terms` products: gamma(terms + 1) sum|t|.
template <typename F>
Expected convolutionSum(const Shape &x, const Shape &w, const Shape &y,
                        const Window &win, const Shape &shape, int64_t terms,
                        F term) {
  Expected e(shape);
  std::vector<double> mag(e.tol.size(), 0.0);
  forEachConvTerm(x, w, y, win, [&](int64_t yi, int64_t xi, int64_t wi) {
    auto [index, t] = term(yi, xi, wi);
    e.value.v[index] += t;
    mag[index] += std::fabs(t);
  });
  for (size_t i = 0; i < mag.size(); ++i)
    e.tol[i] = gamma(terms + 1) * mag[i];
  return e;
}

/// y = conv2d(x, w).
inline Expected conv2d(const Tensor &x, const Tensor &w, const Window &win,
                       const Shape &yShape) {
  return convolutionSum(x.shape, w.shape, yShape, win, yShape,
                        w.shape[1] * w.shape[2] * w.shape[3],
                        [&](int64_t yi, int64_t xi, int64_t wi) {
                          return std::pair<int64_t, double>(yi,
                                                            x.v[xi] * w.v[wi]);
                        });
}

/// dx of y = conv2d(x, w) given dy: every term scattered back to its input.
inline Expected conv2dBackwardInput(const Tensor &dy, const Tensor &w,
                                    const Window &win, const Shape &xShape) {
  return convolutionSum(xShape, w.shape, dy.shape, win, xShape,
                        dy.shape[1] * w.shape[2] * w.shape[3],
                        [&](int64_t yi, int64_t xi, int64_t wi) {
                          return std::pair<int64_t, double>(xi,
                                                            dy.v[yi] * w.v[wi]);
                        });
}

/// dw of y = conv2d(x, w) given dy.
inline Expected conv2dBackwardFilter(const Tensor &x, const Tensor &dy,
                                     const Window &win, const Shape &wShape) {
  return convolutionSum(x.shape, wShape, dy.shape, win, wShape,
                        dy.shape[0] * dy.shape[2] * dy.shape[3],
                        [&](int64_t yi, int64_t xi, int64_t wi) {
                          return std::pair<int64_t, double>(wi,
                                                            x.v[xi] * dy.v[yi]);
                        });
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// A 2-D pooling's window: (H, W) pairs.
struct PoolWindow {
  int64_t kernel[2] = {1, 1}, stride[2] = {1, 1}, padding[2] = {0, 0};
};

/// Visits every window of pooling x [N, C, H, W] into y [N, C, OH, OW]
/// (PyTorch's definition): f(yIndex, xIndices), the input positions of the
/// window inside x (not in the padding) in row-major window order.
template <typename F>
void forEachPoolWindow(const Shape &x, const Shape &y, const PoolWindow &win,
                       F f) {
  std::vector<int64_t> inside;
  for (int64_t n = 0; n < y[0]; ++n)
    for (int64_t c = 0; c < y[1]; ++c)
      for (int64_t oh = 0; oh < y[2]; ++oh)
        for (int64_t ow = 0; ow < y[3]; ++ow) {
          inside.clear();
          for (int64_t kh = 0; kh < win.kernel[0]; ++kh)
            for (int64_t kw = 0; kw < win.kernel[1]; ++kw) {
              int64_t ih = oh * win.stride[0] + kh - win.padding[0];
              int64_t iw = ow * win.stride[1] + kw - win.padding[1];
              if (ih >= 0 && ih < x[2] && iw >= 0 && iw < x[3])
                inside.push_back(((n * x[1] + c) * x[2] + ih) * x[3] + iw);
            }
          f(((n * y[1] + c) * y[2] + oh) * y[3] + ow, inside);
        }
}

/// The input index of the window's first maximum (or first NaN).
inline int64_t firstMax(const Tensor &x, const std::vector<int64_t> &inside) {
  int64_t best = inside.front();
  for (int64_t i : inside) {
    if (std::isnan(x.v[i]))
      return i;
    if (x.v[i] > x.v[best])
      best = i;
  }
  return best;
}

/// y = max_pool2d(x): exact (one of the inputs).
inline Expected maxPool2d(const Tensor &x, const PoolWindow &win,
                          const Shape &yShape) {
  Expected e(yShape);
  forEachPoolWindow(x.shape, yShape, win,
                    [&](int64_t yi, const std::vector<int64_t> &inside) {
                      e.value.v[yi] = x.v[firstMax(x, inside)];
                    });
  return e;
}

/// y = avg_pool2d(x): the window's sum (zeros in the padding) / (KH KW).
inline Expected avgPool2d(const Tensor &x, const PoolWindow &win,
                          const Shape &yShape) {
  Expected e(yShape);
  double count = double(win.kernel[0] * win.kernel[1]);
  forEachPoolWindow(x.shape, yShape, win,
                    [&](int64_t yi, const std::vector<int64_t> &inside) {
                      double sum = 0, mag = 0;
                      for (int64_t i : inside) {
                        sum += x.v[i];
                        mag += std::fabs(x.v[i]);
                      }
                      e.value.v[yi] = sum / count;
                      e.tol[yi] =
                          gamma(int64_t(inside.size()) + 2) * mag / count;
                    });
  return e;
}

/// dx of a pooling given dy: `receivers(yIndex, inside, add)` calls
/// add(xIndex, t) for each share t of dy[yIndex]; the sums of overlapping
/// windows are accurate to gamma(shares + 1) sum|t|.
template <typename F>
Expected poolBackward(const Shape &xShape, const Tensor &dy,
                      const PoolWindow &win, F receivers) {
  Expected e(xShape);
  std::vector<double> mag(e.tol.size(), 0.0);
  std::vector<int64_t> count(e.tol.size(), 0);
  forEachPoolWindow(xShape, dy.shape, win,
                    [&](int64_t yi, const std::vector<int64_t> &inside) {
                      receivers(yi, inside, [&](int64_t xi, double t) {
                        e.value.v[xi] += t;
                        mag[xi] += std::fabs(t);
                        ++count[xi];
                      });
                    });
  for (size_t i = 0; i < mag.size(); ++i)
    e.tol[i] = gamma(count[i] + 1) * mag[i];
  return e;
}

/// dx of y = max_pool2d(x) given dy: each dy to its window's first maximum.
inline Expected maxPool2dBackward(const Tensor &x, const Tensor &dy,
                                  const PoolWindow &win) {
  return poolBackward(x.shape, dy, win,
                      [&](int64_t yi, const std::vector<int64_t> &inside,
                          auto add) { add(firstMax(x, inside), dy.v[yi]); });
}

/// dx of y = avg_pool2d(x) given dy: dy / (KH KW) to every window position.
inline Expected avgPool2dBackward(const Tensor &dy, const PoolWindow &win,
                                  const Shape &xShape) {
  double count = double(win.kernel[0] * win.kernel[1]);
  return poolBackward(
      xShape, dy, win,
      [&](int64_t yi, const std::vector<int64_t> &inside, auto add) {
        for (int64_t xi : inside)
          add(xi, dy.v[yi] / count);
      });
}

//===----------------------------------------------------------------------===//
// Random
//===----------------------------------------------------------------------===//

/// Philox4x32-10 (Random123's philox4x32_10), all four words.
inline std::array<uint32_t, 4> philox4x32x10(std::array<uint32_t, 4> c,
                                             std::array<uint32_t, 2> k) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k[0] += 0x9E3779B9u;
      k[1] += 0xBB67AE85u;
    }
    uint64_t p0 = uint64_t(0xD2511F53u) * c[0];
    uint64_t p1 = uint64_t(0xCD9E8D57u) * c[2];
    c = {uint32_t(p1 >> 32) ^ c[1] ^ k[0], uint32_t(p1),
         uint32_t(p0 >> 32) ^ c[3] ^ k[1], uint32_t(p0)};
  }
  return c;
}

/// Random123's known answers for philox4x32_10 (kat_vectors).
inline bool philoxKnownAnswers() {
  auto a = philox4x32x10({0, 0, 0, 0}, {0, 0});
  auto b = philox4x32x10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                         {0xa4093822, 0x299f31d0});
  return a == std::array<uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c,
                                      0x9b00dbd8} &&
         b == std::array<uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420,
                                      0x24126ea1};
}

/// y = dl.dropout(x, seed, step) with drop probability p and `stream`:
/// element i kept when the 24 high bits of the first word of
/// Philox(counter [i, step, 0, 0], key [seed, stream]) are >= p 2^24, then
/// scaled by 1 / (1 - p) rounded to the element type (`f32` or f64).
inline Expected dropout(const Tensor &x, double seed, double step, double p,
                        uint32_t stream, bool f32) {
  Expected e(x.shape);
  auto threshold = uint32_t(std::ceil(p * 16777216.0));
  double scale = 1.0 / (1.0 - p);
  if (f32)
    scale = double(float(scale));
  for (int64_t i = 0; i < x.size(); ++i) {
    uint32_t word = philox4x32x10({uint32_t(i), uint32_t(step), 0, 0},
                                  {uint32_t(seed), stream})[0];
    bool keep = (word >> 8) >= threshold;
    double y = keep ? x.v[i] * scale : 0.0;
    e.value.v[i] = y;
    e.tol[i] = kRounded * std::fabs(y);
  }
  return e;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

/// Per-channel sums over x [N, C, ...] (channel = dimension 1).
struct ChannelIndex {
  int64_t channels, inner, count; ///< C, the size of the dims after C, M
  explicit ChannelIndex(const Shape &s)
      : channels(s.at(1)), inner(Tensor::numel(Shape(s.begin() + 2, s.end()))),
        count(Tensor::numel(s) / s.at(1)) {}
  int64_t of(int64_t i) const { return (i / inner) % channels; }
};

/// y, mean, variance = dl.batch_norm(x, gamma, beta, eps). Bounds: mean
/// gamma(M + 2) sum|x| / M; the two-pass variance gamma(M + 4) sum (|x| +
/// |m|)^2 / M (plus the mean's error squared); y = x s + (beta - m s) with
/// s = gamma / sqrt(var + eps): |x - m| |s| times s's relative error (half
/// the variance's, plus 4 u), |s| times the mean's error, and gamma(4) of
/// the terms' magnitudes.
inline std::vector<Expected> batchNorm(const Tensor &x, const Tensor &g,
                                       const Tensor &b, double eps) {
  ChannelIndex ci(x.shape);
  int64_t C = ci.channels, M = ci.count;
  std::vector<double> sum(C, 0.0), mag(C, 0.0), sq(C, 0.0), sqMag(C, 0.0);
  for (int64_t i = 0; i < x.size(); ++i) {
    sum[ci.of(i)] += x.v[i];
    mag[ci.of(i)] += std::fabs(x.v[i]);
  }
  Expected y(x.shape), mean({C}), var({C});
  for (int64_t c = 0; c < C; ++c) {
    mean.value.v[c] = sum[c] / double(M);
    mean.tol[c] = gamma(M + 2) * mag[c] / double(M);
  }
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = ci.of(i);
    double d = x.v[i] - mean.value.v[c];
    sq[c] += d * d;
    double a = std::fabs(x.v[i]) + std::fabs(mean.value.v[c]);
    sqMag[c] += a * a;
  }
  std::vector<double> scale(C), relScale(C);
  for (int64_t c = 0; c < C; ++c) {
    var.value.v[c] = sq[c] / double(M);
    var.tol[c] =
        gamma(M + 4) * sqMag[c] / double(M) + mean.tol[c] * mean.tol[c];
    scale[c] = g.v[c] / std::sqrt(var.value.v[c] + eps);
    relScale[c] = var.tol[c] / (2 * (var.value.v[c] + eps)) + 4 * u;
  }
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = ci.of(i);
    double m = mean.value.v[c], s = scale[c];
    y.value.v[i] = (x.v[i] - m) * s + b.v[c];
    double terms = (std::fabs(x.v[i]) + std::fabs(m)) * std::fabs(s);
    y.tol[i] = terms * relScale[c] + std::fabs(s) * mean.tol[c] +
               gamma(4) * (terms + std::fabs(b.v[c]));
  }
  return {y, mean, var};
}

/// dx, dgamma, dbeta = dl.batch_norm_backward(x, dy, gamma, mean, var, eps):
/// istd = 1 / sqrt(var + eps), xhat = (x - mean) istd, dbeta = sum dy,
/// dgamma = sum dy xhat, dx = gamma istd (dy - dbeta / M - xhat dgamma / M).
/// Bounds: gamma(M + 16) of each result's terms taken in magnitude.
inline std::vector<Expected>
batchNormBackward(const Tensor &x, const Tensor &dy, const Tensor &g,
                  const Tensor &mean, const Tensor &var, double eps) {
  ChannelIndex ci(x.shape);
  int64_t C = ci.channels, M = ci.count;
  std::vector<double> istd(C), sdy(C, 0.0), sdyx(C, 0.0), sdyAbs(C, 0.0),
      sdyxAbs(C, 0.0);
  for (int64_t c = 0; c < C; ++c)
    istd[c] = 1.0 / std::sqrt(var.v[c] + eps);
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = ci.of(i);
    double d = x.v[i] - mean.v[c];
    sdy[c] += dy.v[i];
    sdyAbs[c] += std::fabs(dy.v[i]);
    sdyx[c] += dy.v[i] * d;
    sdyxAbs[c] +=
        std::fabs(dy.v[i]) * (std::fabs(x.v[i]) + std::fabs(mean.v[c]));
  }
  Expected dx(x.shape), dgamma({C}), dbeta({C});
  for (int64_t c = 0; c < C; ++c) {
    dbeta.value.v[c] = sdy[c];
    dbeta.tol[c] = gamma(M) * sdyAbs[c];
    dgamma.value.v[c] = sdyx[c] * istd[c];
    dgamma.tol[c] = gamma(M + 16) * sdyxAbs[c] * istd[c];
  }
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = ci.of(i);
    double a = g.v[c] * istd[c], xh = (x.v[i] - mean.v[c]) * istd[c];
    dx.value.v[i] =
        a * (dy.v[i] - sdy[c] / double(M) - xh * sdyx[c] * istd[c] / double(M));
    double xhAbs = (std::fabs(x.v[i]) + std::fabs(mean.v[c])) * istd[c];
    dx.tol[i] = gamma(M + 16) * std::fabs(a) *
                (std::fabs(dy.v[i]) + sdyAbs[c] / double(M) +
                 xhAbs * sdyxAbs[c] * istd[c] / double(M));
  }
  return {dx, dgamma, dbeta};
}

/// y, mean, rstd = dl.layer_norm(x, gamma, beta, eps), per row over the last
/// axis (D elements): bounds as batchNorm's with M = D, rstd = 1 / sqrt(var
/// + eps) with the relative error of batchNorm's scale, and y = (x - m) rstd
/// gamma + beta with one more rounding.
inline std::vector<Expected> layerNorm(const Tensor &x, const Tensor &g,
                                       const Tensor &b, double eps) {
  int64_t D = x.shape.back(), R = x.size() / D;
  Shape stats(x.shape.begin(), x.shape.end() - 1);
  Expected y(x.shape), mean(stats), rstd(stats);
  for (int64_t r = 0; r < R; ++r) {
    double sum = 0, mag = 0;
    for (int64_t d = 0; d < D; ++d) {
      sum += x.v[r * D + d];
      mag += std::fabs(x.v[r * D + d]);
    }
    double m = sum / double(D), mTol = gamma(D + 2) * mag / double(D);
    double sq = 0, sqMag = 0;
    for (int64_t d = 0; d < D; ++d) {
      double v = x.v[r * D + d] - m, a = std::fabs(x.v[r * D + d]) + std::fabs(m);
      sq += v * v;
      sqMag += a * a;
    }
    double var = sq / double(D);
    double varTol = gamma(D + 4) * sqMag / double(D) + mTol * mTol;
    double rs = 1.0 / std::sqrt(var + eps);
    double rel = varTol / (2 * (var + eps)) + 4 * u;
    mean.value.v[r] = m;
    mean.tol[r] = mTol;
    rstd.value.v[r] = rs;
    rstd.tol[r] = rs * rel;
    for (int64_t d = 0; d < D; ++d) {
      int64_t i = r * D + d;
      y.value.v[i] = (x.v[i] - m) * rs * g.v[d] + b.v[d];
      double terms = (std::fabs(x.v[i]) + std::fabs(m)) * rs * std::fabs(g.v[d]);
      y.tol[i] = terms * rel + rs * std::fabs(g.v[d]) * mTol +
                 gamma(5) * (terms + std::fabs(b.v[d]));
    }
  }
  return {y, mean, rstd};
}

/// dx, dgamma, dbeta = dl.layer_norm_backward(x, dy, gamma, mean, rstd):
/// xhat = (x - mean) rstd, g = dy gamma; per row dx = rstd (g - sum g / D -
/// xhat sum g xhat / D); over the R rows dgamma = sum dy xhat, dbeta = sum
/// dy. Bounds: gamma(n + 16) of each result's terms taken in magnitude.
inline std::vector<Expected>
layerNormBackward(const Tensor &x, const Tensor &dy, const Tensor &g,
                  const Tensor &mean, const Tensor &rstd) {
  int64_t D = x.shape.back(), R = x.size() / D;
  Expected dx(x.shape), dgamma({D}), dbeta({D});
  std::vector<double> dgAbs(size_t(D), 0.0), dbAbs(size_t(D), 0.0);
  for (int64_t r = 0; r < R; ++r) {
    double m = mean.v[r], rs = rstd.v[r];
    double sg = 0, sgx = 0, sgAbs = 0, sgxAbs = 0;
    for (int64_t d = 0; d < D; ++d) {
      int64_t i = r * D + d;
      double gi = dy.v[i] * g.v[d], xh = (x.v[i] - m) * rs;
      double xhAbs = (std::fabs(x.v[i]) + std::fabs(m)) * rs;
      sg += gi;
      sgx += gi * xh;
      sgAbs += std::fabs(gi);
      sgxAbs += std::fabs(gi) * xhAbs;
      dgamma.value.v[d] += dy.v[i] * xh;
      dgAbs[size_t(d)] += std::fabs(dy.v[i]) * xhAbs;
      dbeta.value.v[d] += dy.v[i];
      dbAbs[size_t(d)] += std::fabs(dy.v[i]);
    }
    for (int64_t d = 0; d < D; ++d) {
      int64_t i = r * D + d;
      double gi = dy.v[i] * g.v[d], xh = (x.v[i] - m) * rs;
      double xhAbs = (std::fabs(x.v[i]) + std::fabs(m)) * rs;
      dx.value.v[i] = rs * (gi - sg / double(D) - xh * sgx / double(D));
      dx.tol[i] = gamma(D + 16) * rs *
                  (std::fabs(gi) + sgAbs / double(D) + xhAbs * sgxAbs / double(D));
    }
  }
  for (int64_t d = 0; d < D; ++d) {
    dgamma.tol[d] = gamma(R + 16) * dgAbs[size_t(d)];
    dbeta.tol[d] = gamma(R + 16) * dbAbs[size_t(d)];
  }
  return {dx, dgamma, dbeta};
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class Reduce { Sum, Mean, Max };

/// Reduces `x` over `axes` (increasing). sum: gamma(n) * sum|x|; mean: one
/// more division (or a multiply by a rounded 1/n): gamma(n + 2) * sum|x| / n;
/// max: exact.
inline Expected reduce(const Tensor &x, const std::vector<int64_t> &axes,
                       bool keepdims, Reduce kind) {
  std::vector<bool> reduced(x.shape.size(), false);
  for (int64_t a : axes)
    reduced[size_t(a)] = true;
  Shape kept, out;
  int64_t n = 1;
  for (size_t i = 0; i < x.shape.size(); ++i) {
    if (reduced[i]) {
      n *= x.shape[i];
      if (keepdims)
        out.push_back(1);
    } else {
      out.push_back(x.shape[i]);
      kept.push_back(x.shape[i]);
    }
  }
  Expected e(out);
  std::vector<double> acc(size_t(Tensor::numel(kept)),
                          kind == Reduce::Max
                              ? -std::numeric_limits<double>::infinity()
                              : 0.0);
  std::vector<double> mag(acc.size(), 0.0);
  for (int64_t i = 0; i < x.size(); ++i) {
    Shape idx = unravel(i, x.shape);
    int64_t linear = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      if (!reduced[d])
        linear = linear * x.shape[d] + idx[d];
    double v = x.v[i];
    if (kind == Reduce::Max)
      acc[linear] = maximum(acc[linear], v);
    else
      acc[linear] += v;
    mag[linear] += std::fabs(v);
  }
  for (size_t j = 0; j < acc.size(); ++j) {
    switch (kind) {
    case Reduce::Sum:
      e.value.v[j] = acc[j];
      e.tol[j] = gamma(n) * mag[j];
      break;
    case Reduce::Mean:
      e.value.v[j] = acc[j] / double(n);
      e.tol[j] = gamma(n + 2) * mag[j] / double(n);
      break;
    case Reduce::Max:
      e.value.v[j] = acc[j];
      break;
    }
  }
  return e;
}

//===----------------------------------------------------------------------===//
// Shape ops (exact)
//===----------------------------------------------------------------------===//

inline Expected reshape(const Tensor &x, const Shape &to) {
  assert(Tensor::numel(to) == x.size());
  Expected e(to);
  e.value.v = x.v;
  return e;
}

/// Result dimension i is input dimension perm[i].
inline Expected transpose(const Tensor &x, const std::vector<int64_t> &perm) {
  Shape out(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    out[i] = x.shape[size_t(perm[i])];
  Shape in = strides(x.shape);
  Expected e(out);
  for (int64_t i = 0; i < e.value.size(); ++i) {
    Shape idx = unravel(i, out);
    int64_t linear = 0;
    for (size_t d = 0; d < perm.size(); ++d)
      linear += idx[d] * in[size_t(perm[d])];
    e.value.v[i] = x.v[linear];
  }
  return e;
}

inline Expected broadcast(const Tensor &x, const Shape &to) {
  Expected e(to);
  for (int64_t i = 0; i < e.value.size(); ++i)
    e.value.v[i] = x.v[broadcastIndex(x.shape, to, unravel(i, to))];
  return e;
}

/// [N...] labels -> [N..., C]: 1 at the label's class, a zero row for a
/// label outside [0, C). Exact.
inline Expected oneHot(const Tensor &labels, int64_t classes) {
  Shape out = labels.shape;
  out.push_back(classes);
  Expected e(out);
  for (int64_t i = 0; i < labels.size(); ++i) {
    double l = labels.v[i];
    if (l >= 0 && l < double(classes))
      e.value.v[i * classes + int64_t(l)] = 1.0;
  }
  return e;
}

/// argmax along `axis`: the first index of each slice's largest element.
/// Exact.
inline Expected argmax(const Tensor &x, int64_t axis) {
  Shape out;
  for (size_t d = 0; d < x.shape.size(); ++d)
    if (int64_t(d) != axis)
      out.push_back(x.shape[d]);
  Expected e(out);
  std::vector<double> best(size_t(Tensor::numel(out)),
                           -std::numeric_limits<double>::infinity());
  for (int64_t i = 0; i < x.size(); ++i) {
    Shape idx = unravel(i, x.shape);
    int64_t k = idx[size_t(axis)], linear = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      if (int64_t(d) != axis)
        linear = linear * x.shape[d] + idx[d];
    if (x.v[i] > best[size_t(linear)]) {
      best[size_t(linear)] = x.v[i];
      e.value.v[linear] = double(k);
    }
  }
  return e;
}

/// slice: the box of x at `offsets` every `strides` with `sizes` elements
/// per dimension. Exact.
inline Expected slice(const Tensor &x, const Shape &offsets,
                      const Shape &sizes, const Shape &steps) {
  Expected e(sizes);
  Shape in = strides(x.shape);
  for (int64_t i = 0; i < e.value.size(); ++i) {
    Shape idx = unravel(i, sizes);
    int64_t at = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      at += (offsets[d] + idx[d] * steps[d]) * in[d];
    e.value.v[i] = x.v[at];
  }
  return e;
}

/// slice_backward: dy placed into zeros of `shape` at `offsets` every
/// `strides`. Exact.
inline Expected sliceBackward(const Tensor &dy, const Shape &shape,
                              const Shape &offsets, const Shape &steps) {
  Expected e(shape);
  Shape out = strides(shape);
  for (int64_t i = 0; i < dy.size(); ++i) {
    Shape idx = unravel(i, dy.shape);
    int64_t at = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      at += (offsets[d] + idx[d] * steps[d]) * out[d];
    e.value.v[at] = dy.v[i];
  }
  return e;
}

/// concat: the parts one after the other along `axis`. Exact.
inline Expected concat(const std::vector<Tensor> &parts, int64_t axis) {
  Shape shape = parts[0].shape;
  shape[size_t(axis)] = 0;
  for (const Tensor &p : parts)
    shape[size_t(axis)] += p.shape[size_t(axis)];
  Expected e(shape);
  Shape out = strides(shape);
  int64_t offset = 0;
  for (const Tensor &p : parts) {
    for (int64_t i = 0; i < p.size(); ++i) {
      Shape idx = unravel(i, p.shape);
      idx[size_t(axis)] += offset;
      int64_t at = 0;
      for (size_t d = 0; d < idx.size(); ++d)
        at += idx[d] * out[d];
      e.value.v[at] = p.v[i];
    }
    offset += p.shape[size_t(axis)];
  }
  return e;
}

/// embedding: table [V, D], ids [N...] -> [N..., D], row ids[n] of the
/// table (a zero row for an id outside [0, V)). Exact.
inline Expected embedding(const Tensor &table, const Tensor &ids) {
  int64_t rows = table.shape[0], width = table.shape[1];
  Shape out = ids.shape;
  out.push_back(width);
  Expected e(out);
  for (int64_t i = 0; i < ids.size(); ++i) {
    double id = ids.v[i];
    if (id >= 0 && id < double(rows))
      for (int64_t d = 0; d < width; ++d)
        e.value.v[i * width + d] = table.v[int64_t(id) * width + d];
  }
  return e;
}

/// embedding_backward: dy [N..., D], ids [N...] -> [V, D], the sum of the
/// rows of dy whose id is the row (ids outside [0, V) add nothing); a sum
/// of n terms is within gamma(n) sum |terms|.
inline Expected embeddingBackward(const Tensor &dy, const Tensor &ids,
                                  int64_t rows) {
  int64_t width = dy.shape.back();
  Expected e({rows, width});
  std::vector<double> mag(size_t(rows * width), 0.0);
  std::vector<int64_t> count(size_t(rows), 0);
  for (int64_t i = 0; i < ids.size(); ++i) {
    double id = ids.v[i];
    if (!(id >= 0 && id < double(rows)))
      continue;
    int64_t r = int64_t(id);
    ++count[size_t(r)];
    for (int64_t d = 0; d < width; ++d) {
      e.value.v[r * width + d] += dy.v[i * width + d];
      mag[size_t(r * width + d)] += std::fabs(dy.v[i * width + d]);
    }
  }
  for (int64_t k = 0; k < rows * width; ++k)
    e.tol[size_t(k)] = gamma(count[size_t(k / width)]) * mag[size_t(k)];
  return e;
}

//===----------------------------------------------------------------------===//
// Softmax and losses
//===----------------------------------------------------------------------===//

/// Visits every 1-D slice of `shape` along `axis`: f(base, stride, n) with
/// the linear index of the slice's first element.
template <typename F>
void forEachSlice(const Shape &shape, int64_t axis, F f) {
  int64_t n = shape[size_t(axis)];
  int64_t inner = 1;
  for (size_t d = size_t(axis) + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t outer = Tensor::numel(shape) / (n * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      f(o * n * inner + i, inner, n);
}

/// The stable pair of one slice: m = max, s = sum exp(x - m), and the
/// relative error bound of the f32 s: the n exps (kExpRel, plus u * |x - m|
/// from rounding their argument) and the n-term sum.
struct SliceStats {
  double m = -std::numeric_limits<double>::infinity(), s = 0, sRel = 0;
};
inline SliceStats sliceStats(const Tensor &x, int64_t base, int64_t stride,
                             int64_t n) {
  SliceStats st;
  double spread = 0;
  for (int64_t j = 0; j < n; ++j)
    st.m = std::max(st.m, x.v[base + j * stride]);
  for (int64_t j = 0; j < n; ++j) {
    double d = x.v[base + j * stride] - st.m;
    st.s += std::exp(d);
    spread = std::max(spread, std::fabs(d));
  }
  st.sRel = kExpRel + u * spread + gamma(n);
  return st;
}

/// p = exp(x - m) / s: relative error of the exp, of its argument, of s, and
/// of the divide.
inline Expected softmax(const Tensor &x, int64_t axis) {
  Expected e(x.shape);
  forEachSlice(x.shape, axis, [&](int64_t base, int64_t stride, int64_t n) {
    SliceStats st = sliceStats(x, base, stride, n);
    for (int64_t j = 0; j < n; ++j) {
      int64_t i = base + j * stride;
      double d = x.v[i] - st.m;
      double p = std::exp(d) / st.s;
      e.value.v[i] = p;
      e.tol[i] = (kExpRel + u * std::fabs(d) + st.sRel + 2 * u) * p + kTinyAbs;
    }
  });
  return e;
}

/// The absolute error bound of an f32 log(s) (s with relative error sRel):
/// sRel (log is 1-Lipschitz in the relative sense) + the approximation.
inline double logSumTol(const SliceStats &st) {
  double l = std::log(st.s);
  return st.sRel + kLogRel * std::fabs(l) + kLogAbs;
}

/// r = (x - m) - log(s): the two roundings of the subtractions (relative to
/// their operands, so large x cost absolute accuracy: that is f32's
/// conditioning, not an implementation error) and log(s)'s error.
inline Expected logSoftmax(const Tensor &x, int64_t axis) {
  Expected e(x.shape);
  forEachSlice(x.shape, axis, [&](int64_t base, int64_t stride, int64_t n) {
    SliceStats st = sliceStats(x, base, stride, n);
    double l = std::log(st.s);
    for (int64_t j = 0; j < n; ++j) {
      int64_t i = base + j * stride;
      double r = (x.v[i] - st.m) - l;
      e.value.v[i] = r;
      e.tol[i] = 2 * u * (std::fabs(x.v[i]) + std::fabs(st.m) + std::fabs(l) +
                          std::fabs(r)) +
                 logSumTol(st);
    }
  });
  return e;
}

/// Mean over all positions of (m + log(s) - x[label]) for logits [N..., C]
/// and labels [N...]. Per position the error of log_softmax above; the mean
/// of N terms adds gamma(N + 2) * sum|term| / N.
inline Expected crossEntropy(const Tensor &logits, const Tensor &labels) {
  int64_t C = logits.shape.back();
  int64_t N = labels.size();
  assert(logits.size() == N * C);
  double total = 0, mag = 0, err = 0;
  for (int64_t p = 0; p < N; ++p) {
    SliceStats st = sliceStats(logits, p * C, 1, C);
    int64_t label = int64_t(labels.v[p]);
    assert(label >= 0 && label < C);
    double picked = logits.v[p * C + label];
    double l = std::log(st.s);
    double term = (st.m - picked) + l;
    total += term;
    mag += std::fabs(term);
    err += 2 * u *
               (std::fabs(st.m) + std::fabs(l) + std::fabs(picked) +
                std::fabs(term)) +
           logSumTol(st);
  }
  Expected e(Shape{});
  e.value.v[0] = total / double(N);
  e.tol[0] = err / double(N) + gamma(N + 2) * mag / double(N);
  return e;
}

} // namespace ref

#endif // DLC_TEST_E2E_REFERENCE_H
