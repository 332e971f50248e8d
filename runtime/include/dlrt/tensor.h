//===- dlrt/tensor.h - element types, shapes, views and arrays --*- C++ -*-===//
//
// TensorView: a non-owning view of caller memory (pointer, dtype, shape).
// Array: an owning, dense, row-major tensor (what the loaders return).
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_TENSOR_H
#define DLRT_TENSOR_H

#include "dlrt/abi.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace dlrt {

/// Element types. The first eight have the values of dlc_dtype.
enum class DType : int {
  F32 = 0, F64 = 1, I32 = 2, I64 = 3, I8 = 4, Bool = 5, F16 = 6, BF16 = 7,
  U8 = 8, I16 = 9,
};

/// Bytes per element.
size_t dtypeSize(DType t);
/// "f32", "u8", ...
const char *dtypeName(DType t);
/// The safetensors spelling: "F32", "U8", "BOOL", ...
const char *safetensorsDTypeName(DType t);
std::optional<DType> dtypeFromSafetensors(const std::string &name);
/// The dtype of a dlc_dtype value (every dlc_dtype has one).
DType fromDlc(dlc_dtype t);
bool isFloat(DType t);

using Shape = std::vector<int64_t>;

/// Product of the dimensions (1 for rank 0); throws on a negative dimension
/// or overflow past 2^62.
int64_t numElements(const Shape &shape);
/// Bytes of a dense tensor of SHAPE and type T, numElements(SHAPE) *
/// dtypeSize(T) without wrapping around: throws Error("... is too large")
/// when the product passes 2^62. Every size computed from a file's header
/// goes through this.
uint64_t byteSize(const Shape &shape, DType t);
/// "[64, 784]"; "[]" for a 0-d tensor.
std::string shapeString(const Shape &shape);
/// The shape of a descriptor entry.
Shape shapeOf(const dlc_tensor_info &info);

/// Reads element I of a buffer of type T as a double (f16/bf16 included).
double loadElement(const void *data, DType t, int64_t i);
/// Writes V (converted, rounded toward zero for integers) into element I.
void storeElement(void *data, DType t, int64_t i, double v);
/// Converts N elements from SRC (type ST) to DST (type DT), multiplying by
/// SCALE on the way; fast paths for u8/f32 -> f32.
void convertElements(const void *src, DType st, void *dst, DType dt, int64_t n,
                     double scale = 1.0);

/// A view of caller memory: no ownership, dense and row-major.
struct TensorView {
  void *data = nullptr;
  DType dtype = DType::F32;
  Shape shape;

  TensorView() = default;
  TensorView(void *data, DType dtype, Shape shape)
      : data(data), dtype(dtype), shape(std::move(shape)) {}
  /// The tensor described by INFO inside the state buffer STATE.
  static TensorView inState(void *state, const dlc_tensor_info &info);

  int64_t rank() const { return int64_t(shape.size()); }
  int64_t numel() const { return numElements(shape); }
  size_t bytes() const { return size_t(byteSize(shape, dtype)); }
  double at(int64_t i) const { return loadElement(data, dtype, i); }
  void set(int64_t i, double v) const { storeElement(data, dtype, i, v); }
  /// Typed pointer; throws Error when T does not match the dtype.
  template <typename T> T *as() const;
};

/// An owning dense tensor.
struct Array {
  DType dtype = DType::F32;
  Shape shape;
  std::vector<unsigned char> bytes;

  Array() = default;
  /// Zero-filled; throws Error when SHAPE's byte size is too large.
  Array(DType dtype, Shape shape);

  int64_t rank() const { return int64_t(shape.size()); }
  int64_t numel() const { return numElements(shape); }
  double at(int64_t i) const { return loadElement(bytes.data(), dtype, i); }
  void set(int64_t i, double v) { storeElement(bytes.data(), dtype, i, v); }
  TensorView view() { return TensorView(bytes.data(), dtype, shape); }
  template <typename T> T *as() { return view().as<T>(); }
  template <typename T> const T *as() const {
    return TensorView(const_cast<unsigned char *>(bytes.data()), dtype, shape)
        .as<T>();
  }
};

template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::F32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::F64; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::I32; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::I64; };
template <> struct DTypeOf<int8_t> { static constexpr DType value = DType::I8; };
template <> struct DTypeOf<uint8_t> { static constexpr DType value = DType::U8; };
template <> struct DTypeOf<int16_t> { static constexpr DType value = DType::I16; };

void checkViewType(DType have, DType want);

template <typename T> T *TensorView::as() const {
  checkViewType(dtype, DTypeOf<std::remove_const_t<T>>::value);
  return static_cast<T *>(data);
}

/// A 64-byte aligned, zero-filled heap buffer (state, workspace, batches).
class AlignedBuffer {
public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t bytes) { resize(bytes); }
  ~AlignedBuffer();
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;
  AlignedBuffer(AlignedBuffer &&o) noexcept;
  AlignedBuffer &operator=(AlignedBuffer &&o) noexcept;

  /// Reallocates to BYTES (contents zeroed).
  void resize(size_t bytes);
  void zero();
  void *data() const { return ptr_; }
  size_t size() const { return size_; }

private:
  void *ptr_ = nullptr;
  size_t size_ = 0;
};

} // namespace dlrt

#endif // DLRT_TENSOR_H
