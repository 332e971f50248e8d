//===- harness.h - calling compiled dlc functions from C++ tests ----------===//
//
// Part of dlc's e2e tests; shared by harness.cpp (one op per entry point)
// and model harnesses. Include after the generated model header.
//
//  - Buffer: a 64-byte aligned allocation followed by guard bytes, so that a
//    write past the end of an output or of the workspace is caught.
//  - call(): calls a generated function through its declared prototype,
//    converting each void * to the declared parameter type with
//    static_cast (no function pointer casts), after checking that each
//    pointer's element type matches the descriptor's dtype.
//  - compare(): checks a result against a reference with per-element
//    absolute tolerances and reports the largest error.
//  - f16 and bf16 elements (uint16_t in the prototypes) are read and
//    written as doubles, rounded to nearest even on the way in.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TEST_E2E_HARNESS_H
#define DLC_TEST_E2E_HARNESS_H

#include "reference.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace e2e {

/// Bytes of guard after every buffer, and their value.
constexpr size_t kGuardBytes = 256;
constexpr unsigned char kGuard = 0xA5;

/// A 64-byte aligned buffer of `bytes` bytes plus guard bytes.
class Buffer {
public:
  explicit Buffer(size_t bytes, unsigned char fill = 0)
      : bytes_(bytes),
        data_(static_cast<unsigned char *>(std::aligned_alloc(
            64, (bytes + kGuardBytes + 63) / 64 * 64))) {
    if (!data_) {
      std::fprintf(stderr, "error: cannot allocate %zu bytes\n", bytes);
      std::exit(2);
    }
    std::memset(data_, fill, bytes);
    std::memset(data_ + bytes, kGuard, kGuardBytes);
  }
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  Buffer(Buffer &&o) noexcept : bytes_(o.bytes_), data_(o.data_) {
    o.data_ = nullptr;
  }
  ~Buffer() { std::free(data_); }

  void *data() const { return data_; }
  size_t bytes() const { return bytes_; }
  template <typename T> T *as() const { return reinterpret_cast<T *>(data_); }

  /// True if nothing was written past the end.
  bool guardIntact() const {
    for (size_t i = 0; i < kGuardBytes; ++i)
      if (data_[bytes_ + i] != kGuard)
        return false;
    return true;
  }

private:
  size_t bytes_;
  unsigned char *data_;
};

/// The dlc_dtype of a C element type.
template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr dlc_dtype value = DLC_F32; };
template <> struct DTypeOf<double> { static constexpr dlc_dtype value = DLC_F64; };
template <> struct DTypeOf<int32_t> { static constexpr dlc_dtype value = DLC_I32; };
template <> struct DTypeOf<int64_t> { static constexpr dlc_dtype value = DLC_I64; };
template <> struct DTypeOf<int8_t> { static constexpr dlc_dtype value = DLC_I8; };

//===----------------------------------------------------------------------===//
// 16-bit floats
//===----------------------------------------------------------------------===//

/// `v` rounded to nearest even to a float of `precision` significand bits
/// (the implicit one included), normal exponents from `minExp` to `maxExp`
/// (e of 2^e), with subnormals below and infinities above. NaN stays NaN.
inline double roundToFormat(double v, int precision, int minExp, int maxExp) {
  if (std::isnan(v) || std::isinf(v) || v == 0)
    return v;
  int e;
  std::frexp(v, &e); // |v| in [2^(e-1), 2^e)
  int exp = std::max(e - 1, minExp);
  double quantum = std::ldexp(1.0, exp - (precision - 1));
  double r = std::nearbyint(v / quantum) * quantum; // ties to even
  if (std::fabs(r) >= std::ldexp(2.0 - std::ldexp(1.0, -precision), maxExp))
    return std::copysign(INFINITY, v);
  return r;
}

inline double roundToF16(double v) { return roundToFormat(v, 11, -14, 15); }
inline double roundToBF16(double v) { return roundToFormat(v, 8, -126, 127); }

/// The bits of an IEEE binary16 or bfloat16 value already in that format
/// (round first); NaN becomes a quiet NaN.
inline uint16_t toHalfBits(double v, bool bf16) {
  const int mant = bf16 ? 7 : 10, bias = bf16 ? 127 : 15;
  const uint16_t expMask = uint16_t(((1u << (15 - mant)) - 1) << mant);
  uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  if (std::isnan(v))
    return uint16_t(expMask | (1u << (mant - 1)));
  if (std::isinf(v))
    return uint16_t(sign | expMask);
  double a = std::fabs(v);
  if (a == 0)
    return sign;
  int e;
  std::frexp(a, &e);
  int exp = e - 1 + bias;
  if (exp <= 0) // subnormal: a = m 2^(1 - bias - mant)
    return uint16_t(sign | uint16_t(std::ldexp(a, bias - 1 + mant)));
  double frac = std::ldexp(a, -(e - 1)) - 1; // [0, 1)
  return uint16_t(sign | (exp << mant) | uint16_t(std::ldexp(frac, mant)));
}

inline double fromHalfBits(uint16_t h, bool bf16) {
  const int mant = bf16 ? 7 : 10, bias = bf16 ? 127 : 15;
  const int expMax = (1 << (15 - mant)) - 1;
  int exp = (h >> mant) & expMax;
  double m = double(h & ((1u << mant) - 1));
  double a = exp == expMax ? (m ? NAN : INFINITY)
             : exp == 0    ? std::ldexp(m, 1 - bias - mant)
                           : std::ldexp(1 + std::ldexp(m, -mant), exp - bias);
  return (h & 0x8000) ? -a : a;
}

inline size_t elementBytes(dlc_dtype t) {
  switch (t) {
  case DLC_F32: case DLC_I32: return 4;
  case DLC_F64: case DLC_I64: return 8;
  case DLC_I8: case DLC_BOOL: return 1;
  case DLC_F16: case DLC_BF16: return 2;
  }
  return 0;
}

inline bool isFloat(dlc_dtype t) {
  return t == DLC_F32 || t == DLC_F64 || t == DLC_F16 || t == DLC_BF16;
}
inline bool isInput(const dlc_tensor_info &t) {
  return t.kind == DLC_INPUT || t.kind == DLC_LABEL;
}

inline ref::Shape shapeOf(const dlc_tensor_info &t) {
  return ref::Shape(t.shape, t.shape + t.rank);
}

inline int64_t elementsOf(const dlc_tensor_info &t) {
  int64_t n = 1;
  for (int32_t i = 0; i < t.rank; ++i)
    n *= t.shape[i];
  return n;
}

/// Element `i` of a tensor buffer as a double.
inline double load(const Buffer &b, dlc_dtype t, int64_t i) {
  switch (t) {
  case DLC_F32: return b.as<float>()[i];
  case DLC_F64: return b.as<double>()[i];
  case DLC_I32: return b.as<int32_t>()[i];
  case DLC_I64: return double(b.as<int64_t>()[i]);
  case DLC_I8: return b.as<int8_t>()[i];
  case DLC_F16: return fromHalfBits(b.as<uint16_t>()[i], /*bf16=*/false);
  case DLC_BF16: return fromHalfBits(b.as<uint16_t>()[i], /*bf16=*/true);
  default: break;
  }
  std::fprintf(stderr, "error: unsupported dtype %d\n", int(t));
  std::exit(2);
}

/// Stores `v` (already representable; f16 and bf16 values are rounded to
/// nearest even) into element `i`.
inline void store(const Buffer &b, dlc_dtype t, int64_t i, double v) {
  switch (t) {
  case DLC_F32: b.as<float>()[i] = float(v); return;
  case DLC_F64: b.as<double>()[i] = v; return;
  case DLC_I32: b.as<int32_t>()[i] = int32_t(v); return;
  case DLC_I64: b.as<int64_t>()[i] = int64_t(v); return;
  case DLC_I8: b.as<int8_t>()[i] = int8_t(v); return;
  case DLC_F16: b.as<uint16_t>()[i] = toHalfBits(roundToF16(v), false); return;
  case DLC_BF16: b.as<uint16_t>()[i] = toHalfBits(roundToBF16(v), true); return;
  default: break;
  }
  std::fprintf(stderr, "error: unsupported dtype %d\n", int(t));
  std::exit(2);
}

/// The tensor a buffer holds, as doubles.
inline ref::Tensor toTensor(const Buffer &b, const dlc_tensor_info &t) {
  ref::Tensor x(shapeOf(t));
  for (int64_t i = 0; i < x.size(); ++i)
    x.v[i] = load(b, t.dtype, i);
  return x;
}

//===----------------------------------------------------------------------===//
// Calling a generated function through its prototype
//===----------------------------------------------------------------------===//

/// Checks that parameter type P (a pointer) can carry a tensor of `dtype`.
template <typename P> bool pointerMatches(dlc_dtype dtype) {
  static_assert(std::is_pointer_v<P>, "every parameter of a dlc entry point "
                                      "is a pointer");
  using T = std::remove_cv_t<std::remove_pointer_t<P>>;
  if constexpr (std::is_void_v<T>)
    return false; // tensors are typed; only state and workspace are void *
  else if constexpr (std::is_same_v<T, uint16_t>)
    return dtype == DLC_F16 || dtype == DLC_BF16; // their C type
  else
    return DTypeOf<T>::value == dtype;
}

template <typename T> struct Tag {
  using type = T;
};

template <typename Fn> struct Invoker;

/// A generated function `void f(P...)`: `state` (if the model has one), the
/// tensors described by `args`, then the workspace.
template <typename... P> struct Invoker<void (*)(P...)> {
  static constexpr size_t arity = sizeof...(P);

  /// Checks the prototype against the descriptor table: the count, the
  /// leading state and trailing workspace `void *`, the tensors' dtypes,
  /// and const-ness (only inputs and labels are const).
  static bool check(const char *name, const dlc_tensor_info *args, size_t n,
                    bool hasState) {
    if (arity != n + 1 + (hasState ? 1 : 0)) {
      std::fprintf(stderr,
                   "error: %s has %zu parameters, its table %zu tensors\n",
                   name, arity, n);
      return false;
    }
    bool ok = true;
    size_t i = 0;
    auto one = [&](auto tag) {
      using Param = typename decltype(tag)::type;
      using Elem = std::remove_pointer_t<Param>;
      size_t tensor = i - (hasState ? 1 : 0);
      bool isVoid = std::is_void_v<std::remove_cv_t<Elem>>;
      if ((hasState && i == 0) || i == arity - 1) {
        if (!isVoid || std::is_const_v<Elem>) {
          std::fprintf(stderr, "error: %s: parameter %zu is not void *\n",
                       name, i);
          ok = false;
        }
      } else if (!pointerMatches<Param>(args[tensor].dtype) ||
                 std::is_const_v<Elem> != isInput(args[tensor])) {
        std::fprintf(stderr,
                     "error: %s: parameter %zu does not match tensor '%s'\n",
                     name, i, args[tensor].name);
        ok = false;
      }
      ++i;
    };
    (one(Tag<P>{}), ...);
    return ok;
  }

  /// Calls `fn` with `ptrs[i]` converted to the i-th parameter type.
  static void call(void (*fn)(P...), void *const *ptrs) {
    callImpl(fn, ptrs, std::index_sequence_for<P...>{});
  }

private:
  template <size_t... I>
  static void callImpl(void (*fn)(P...), void *const *ptrs,
                       std::index_sequence<I...>) {
    fn(static_cast<P>(ptrs[I])...);
  }
};

//===----------------------------------------------------------------------===//
// Random inputs
//===----------------------------------------------------------------------===//

/// A seeded generator (splitmix64): the same numbers on every platform.
class Random {
public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * double(next() >> 11) * 0x1p-53;
  }
  /// Uniform integer in [lo, hi].
  int64_t integer(int64_t lo, int64_t hi) {
    return lo + int64_t(next() % uint64_t(hi - lo + 1));
  }

private:
  uint64_t state_;
};

inline uint64_t hashName(const char *s) {
  uint64_t h = 1469598103934665603ull; // FNV-1a
  for (; *s; ++s)
    h = (h ^ uint64_t(static_cast<unsigned char>(*s))) * 1099511628211ull;
  return h;
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

/// Compares `got` (an output buffer) with `want`; prints a summary line and
/// the first few mismatches. NaN matches only an expected NaN; unwritten
/// outputs (filled with NaN beforehand) therefore fail.
inline bool compare(const char *what, const Buffer &got,
                    const dlc_tensor_info &t, const ref::Expected &want) {
  if (shapeOf(t) != want.value.shape) {
    std::fprintf(stderr, "error: %s: output rank %d does not match the "
                         "reference's rank %zu (or a dimension differs)\n",
                 what, t.rank, want.value.shape.size());
    return false;
  }
  double maxAbs = 0, maxRel = 0, worstRatio = 0;
  int64_t worst = -1, bad = 0;
  for (int64_t i = 0; i < want.value.size(); ++i) {
    double g = load(got, t.dtype, i), w = want.value.v[i];
    // Equal (infinities included), or both NaN, is no error.
    double err =
        g == w || (std::isnan(w) && std::isnan(g)) ? 0 : std::fabs(g - w);
    bool ok = err == 0 || err <= want.tol[i]; // false for NaN
    if (!ok && ++bad <= 5) {
      ref::Shape idx = ref::unravel(i, want.value.shape);
      std::string at;
      for (int64_t d : idx)
        at += "[" + std::to_string(d) + "]";
      std::fprintf(stderr, "  mismatch %s%s: got %.9g, want %.9g (err %.3g, "
                           "tol %.3g)\n",
                   what, at.c_str(), g, w, err, want.tol[i]);
    }
    if (std::isnan(err)) {
      worst = i;
      worstRatio = INFINITY;
      continue;
    }
    maxAbs = std::max(maxAbs, err);
    if (w != 0)
      maxRel = std::max(maxRel, err / std::fabs(w));
    double ratio = want.tol[i] > 0 ? err / want.tol[i] : (err > 0 ? INFINITY : 0);
    if (ratio > worstRatio || worst < 0) {
      worstRatio = std::max(worstRatio, ratio);
      worst = i;
    }
  }
  std::printf("%s: %s %" PRId64 " elements, max abs err %.3g, max rel err "
              "%.3g, worst err/tol %.3g\n",
              what, bad ? "FAIL" : "ok", want.value.size(), maxAbs, maxRel,
              worstRatio);
  if (bad)
    std::fprintf(stderr, "error: %s: %" PRId64 " of %" PRId64
                         " elements outside tolerance\n",
                 what, bad, want.value.size());
  return bad == 0;
}

} // namespace e2e

#endif // DLC_TEST_E2E_HARNESS_H
