//===- tensor.cpp - dtypes, shapes, element conversion, aligned buffers ---===//
#include "dlrt/tensor.h"
#include "dlrt/error.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace dlrt {

size_t dtypeSize(DType t) {
  switch (t) {
  case DType::F32: case DType::I32: return 4;
  case DType::F64: case DType::I64: return 8;
  case DType::I8: case DType::Bool: case DType::U8: return 1;
  case DType::F16: case DType::BF16: case DType::I16: return 2;
  }
  fail("invalid dtype " + std::to_string(int(t)));
}

const char *dtypeName(DType t) {
  switch (t) {
  case DType::F32: return "f32";
  case DType::F64: return "f64";
  case DType::I32: return "i32";
  case DType::I64: return "i64";
  case DType::I8: return "i8";
  case DType::Bool: return "bool";
  case DType::F16: return "f16";
  case DType::BF16: return "bf16";
  case DType::U8: return "u8";
  case DType::I16: return "i16";
  }
  return "?";
}

const char *safetensorsDTypeName(DType t) {
  switch (t) {
  case DType::F32: return "F32";
  case DType::F64: return "F64";
  case DType::I32: return "I32";
  case DType::I64: return "I64";
  case DType::I8: return "I8";
  case DType::Bool: return "BOOL";
  case DType::F16: return "F16";
  case DType::BF16: return "BF16";
  case DType::U8: return "U8";
  case DType::I16: return "I16";
  }
  return "?";
}

std::optional<DType> dtypeFromSafetensors(const std::string &n) {
  static const std::pair<const char *, DType> names[] = {
      {"F32", DType::F32}, {"F64", DType::F64},   {"I32", DType::I32},
      {"I64", DType::I64}, {"I8", DType::I8},     {"BOOL", DType::Bool},
      {"F16", DType::F16}, {"BF16", DType::BF16}, {"U8", DType::U8},
      {"I16", DType::I16}};
  for (auto &[s, t] : names)
    if (n == s)
      return t;
  return std::nullopt;
}

DType fromDlc(dlc_dtype t) {
  if (int(t) < 0 || int(t) > int(DLC_BF16))
    fail("invalid dlc_dtype " + std::to_string(int(t)));
  return DType(int(t));
}

bool isFloat(DType t) {
  return t == DType::F32 || t == DType::F64 || t == DType::F16 ||
         t == DType::BF16;
}

int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      fail("negative dimension in shape " + shapeString(shape));
    if (d != 0 && n > (int64_t(1) << 62) / d)
      fail("shape " + shapeString(shape) + " has too many elements");
    n *= d;
  }
  return n;
}

uint64_t byteSize(const Shape &shape, DType t) {
  int64_t n = numElements(shape);
  uint64_t es = dtypeSize(t), bytes;
  if (__builtin_mul_overflow(uint64_t(n), es, &bytes) ||
      bytes > (uint64_t(1) << 62))
    fail(std::string("shape ") + shapeString(shape) + " of " + dtypeName(t) +
         " is too large (more than 2^62 bytes)");
  return bytes;
}

std::string shapeString(const Shape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Shape shapeOf(const dlc_tensor_info &info) {
  if (info.rank < 0 || info.rank > DLC_MAX_RANK)
    fail(std::string("tensor '") + (info.name ? info.name : "?") +
         "' has invalid rank " + std::to_string(info.rank));
  return Shape(info.shape, info.shape + info.rank);
}

static float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16, exp = (h >> 10) & 0x1f,
           man = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (man == 0) {
      bits = sign;
    } else { // subnormal
      float f = std::ldexp(float(man), -24);
      return sign ? -f : f;
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (man << 13);
  } else {
    bits = sign | ((exp + 112) << 23) | (man << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

static uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  int32_t exp = int32_t((x >> 23) & 0xff) - 127 + 15;
  uint32_t man = x & 0x7fffff;
  if (((x >> 23) & 0xff) == 0xff) // inf / nan
    return uint16_t(sign | 0x7c00 | (man ? 0x200 : 0));
  if (exp >= 31)
    return uint16_t(sign | 0x7c00);
  if (exp <= 0) {
    if (exp < -10)
      return uint16_t(sign);
    man |= 0x800000;
    uint32_t shift = uint32_t(14 - exp);
    uint32_t h = man >> shift, rem = man & ((1u << shift) - 1),
             half = 1u << (shift - 1);
    if (rem > half || (rem == half && (h & 1)))
      ++h;
    return uint16_t(sign | h);
  }
  uint32_t h = (uint32_t(exp) << 10) | (man >> 13), rem = man & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
    ++h; // may carry into the exponent: still correct (up to inf)
  return uint16_t(sign | h);
}

static float bf16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

static uint16_t floatToBf16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffff) > 0x7f800000)
    return uint16_t((x >> 16) | 0x40);
  x += 0x7fff + ((x >> 16) & 1);
  return uint16_t(x >> 16);
}

template <typename T> static T rd(const void *p, int64_t i) {
  T v;
  std::memcpy(&v, static_cast<const char *>(p) + i * int64_t(sizeof(T)),
              sizeof(T));
  return v;
}
template <typename T> static void wr(void *p, int64_t i, T v) {
  std::memcpy(static_cast<char *>(p) + i * int64_t(sizeof(T)), &v, sizeof(T));
}

double loadElement(const void *p, DType t, int64_t i) {
  switch (t) {
  case DType::F32: return rd<float>(p, i);
  case DType::F64: return rd<double>(p, i);
  case DType::I32: return rd<int32_t>(p, i);
  case DType::I64: return double(rd<int64_t>(p, i));
  case DType::I8: return rd<int8_t>(p, i);
  case DType::Bool: return rd<uint8_t>(p, i) ? 1 : 0;
  case DType::F16: return halfToFloat(rd<uint16_t>(p, i));
  case DType::BF16: return bf16ToFloat(rd<uint16_t>(p, i));
  case DType::U8: return rd<uint8_t>(p, i);
  case DType::I16: return rd<int16_t>(p, i);
  }
  return 0;
}

template <typename T> static T toInt(double v) {
  if (std::isnan(v))
    return 0;
  if (v <= double(std::numeric_limits<T>::min()))
    return std::numeric_limits<T>::min();
  if (v >= double(std::numeric_limits<T>::max()))
    return std::numeric_limits<T>::max();
  return T(v);
}

void storeElement(void *p, DType t, int64_t i, double v) {
  switch (t) {
  case DType::F32: wr<float>(p, i, float(v)); break;
  case DType::F64: wr<double>(p, i, v); break;
  case DType::I32: wr<int32_t>(p, i, toInt<int32_t>(v)); break;
  case DType::I64: wr<int64_t>(p, i, toInt<int64_t>(v)); break;
  case DType::I8: wr<int8_t>(p, i, toInt<int8_t>(v)); break;
  case DType::Bool: wr<uint8_t>(p, i, v != 0); break;
  case DType::F16: wr<uint16_t>(p, i, floatToHalf(float(v))); break;
  case DType::BF16: wr<uint16_t>(p, i, floatToBf16(float(v))); break;
  case DType::U8: wr<uint8_t>(p, i, toInt<uint8_t>(v)); break;
  case DType::I16: wr<int16_t>(p, i, toInt<int16_t>(v)); break;
  }
}

void convertElements(const void *src, DType st, void *dst, DType dt, int64_t n,
                     double scale) {
  if (dt == DType::F32 && st == DType::U8) {
    const uint8_t *s = static_cast<const uint8_t *>(src);
    float *d = static_cast<float *>(dst);
    float k = float(scale);
    for (int64_t i = 0; i < n; ++i)
      d[i] = float(s[i]) * k;
    return;
  }
  if (dt == DType::F32 && st == DType::F32) {
    if (scale == 1.0) {
      std::memcpy(dst, src, size_t(n) * 4);
      return;
    }
    const float *s = static_cast<const float *>(src);
    float *d = static_cast<float *>(dst);
    float k = float(scale);
    for (int64_t i = 0; i < n; ++i)
      d[i] = s[i] * k;
    return;
  }
  if (dt == st && scale == 1.0) {
    std::memcpy(dst, src, size_t(n) * dtypeSize(st));
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    double v = loadElement(src, st, i);
    storeElement(dst, dt, i, scale == 1.0 ? v : v * scale);
  }
}

TensorView TensorView::inState(void *state, const dlc_tensor_info &info) {
  return TensorView(static_cast<char *>(state) + info.offset,
                    fromDlc(info.dtype), shapeOf(info));
}

void checkViewType(DType have, DType want) {
  if (have != want)
    fail(std::string("tensor of type ") + dtypeName(have) +
         " viewed as " + dtypeName(want));
}

Array::Array(DType dtype, Shape shape)
    : dtype(dtype), shape(std::move(shape)) {
  bytes.assign(size_t(byteSize(this->shape, dtype)), 0);
}

AlignedBuffer::~AlignedBuffer() { std::free(ptr_); }

AlignedBuffer::AlignedBuffer(AlignedBuffer &&o) noexcept
    : ptr_(o.ptr_), size_(o.size_) {
  o.ptr_ = nullptr;
  o.size_ = 0;
}

AlignedBuffer &AlignedBuffer::operator=(AlignedBuffer &&o) noexcept {
  if (this != &o) {
    std::free(ptr_);
    ptr_ = o.ptr_;
    size_ = o.size_;
    o.ptr_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

void AlignedBuffer::resize(size_t bytes) {
  std::free(ptr_);
  ptr_ = nullptr;
  size_ = bytes;
  // Never null, even for 0 bytes: entry points get a valid pointer.
  size_t rounded = (bytes + 63) / 64 * 64;
  if (rounded == 0)
    rounded = 64;
  ptr_ = std::aligned_alloc(64, rounded);
  if (!ptr_)
    fail("out of memory allocating " + std::to_string(bytes) + " bytes");
  std::memset(ptr_, 0, rounded);
}

void AlignedBuffer::zero() {
  if (ptr_)
    std::memset(ptr_, 0, size_);
}

} // namespace dlrt
