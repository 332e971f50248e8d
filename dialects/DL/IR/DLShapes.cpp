//===- DLShapes.cpp - the shape rules of the dl ops -----------------------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLShapes.h"

#include "llvm/ADT/STLExtras.h"

using namespace dlc::dl::shapes;
using llvm::ArrayRef;

std::string dlc::dl::shapes::str(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

ShapeResult dlc::dl::shapes::broadcast(ArrayRef<int64_t> a,
                                       ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Walk from the right; a missing dimension behaves as 1.
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return ShapeResult::error("operand shapes " + str(a) + " and " + str(b) +
                                " are not broadcast-compatible (result "
                                "dimension " +
                                std::to_string(rank - 1 - i) + ")");
    result[rank - 1 - i] = da == 1 ? db : da;
  }
  return result;
}

std::string dlc::dl::shapes::checkContraction(ArrayRef<int64_t> a,
                                              ArrayRef<int64_t> b) {
  if (a.size() < 2 || b.size() < 2)
    return "operands must have rank 2 or more, got " + str(a) + " and " +
           str(b);
  int64_t k = a[a.size() - 1], k2 = b[b.size() - 2];
  if (k != k2)
    return "contracting dimensions differ: lhs " + str(a) + " has K = " +
           std::to_string(k) + " but rhs " + str(b) + " has K = " +
           std::to_string(k2);
  return "";
}

ShapeResult dlc::dl::shapes::matmul(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  if (a.size() < 2 || a.size() != b.size())
    return ShapeResult::error(
        "operands must have the same rank of at least 2, got " +
        std::to_string(a.size()) + " and " + std::to_string(b.size()));
  if (a.drop_back(2) != b.drop_back(2))
    return ShapeResult::error("batch dimensions differ: " +
                              str(a.drop_back(2)) + " vs " +
                              str(b.drop_back(2)));
  if (std::string error = checkContraction(a, b); !error.empty())
    return ShapeResult::error(error);
  Shape shape(a.drop_back(1));
  shape.push_back(b.back());
  return shape;
}

ShapeResult dlc::dl::shapes::reduce(ArrayRef<int64_t> shape,
                                    ArrayRef<int64_t> axes, bool keepdims) {
  int64_t rank = shape.size();
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank)
      return ShapeResult::error("axis " + std::to_string(axes[i]) +
                                " is out of range for a tensor of rank " +
                                std::to_string(rank));
    if (i > 0 && axes[i] <= axes[i - 1])
      return ShapeResult::error("axes " + str(axes) +
                                " must be strictly increasing");
  }
  Shape result;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(axes, d))
      result.push_back(shape[d]);
    else if (keepdims)
      result.push_back(1);
  }
  return result;
}

ShapeResult dlc::dl::shapes::transpose(ArrayRef<int64_t> shape,
                                       ArrayRef<int64_t> perm) {
  int64_t rank = shape.size();
  if (static_cast<int64_t>(perm.size()) != rank)
    return ShapeResult::error("perm " + str(perm) + " has " +
                              std::to_string(perm.size()) +
                              " entries but the operand has rank " +
                              std::to_string(rank));
  llvm::SmallVector<bool> seen(rank, false);
  Shape result;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return ShapeResult::error("perm " + str(perm) +
                                " is not a permutation of [0, " +
                                std::to_string(rank) + ")");
    seen[p] = true;
    result.push_back(shape[p]);
  }
  return result;
}

ShapeResult dlc::dl::shapes::reshape(ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> target) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d; // The operand's own count: bounded by its type.
  int64_t known = 1;
  int inferred = -1;
  for (auto [i, d] : llvm::enumerate(target)) {
    if (d == -1 && inferred < 0) {
      inferred = static_cast<int>(i);
      continue;
    }
    if (d <= 0)
      return ShapeResult::error(
          "dimensions must be positive (one may be -1), got " +
          std::to_string(d));
    if (__builtin_mul_overflow(known, d, &known))
      return ShapeResult::error("the new shape " + str(target) +
                                " has too many elements");
  }
  Shape result(target.begin(), target.end());
  if (inferred >= 0) {
    if (count % known)
      return ShapeResult::error("cannot infer the -1 dimension: " + str(shape) +
                                " has " + std::to_string(count) +
                                " elements, not a multiple of " +
                                std::to_string(known));
    result[inferred] = count / known;
    known = count;
  }
  if (known != count)
    return ShapeResult::error(
        "element count changes from " + std::to_string(count) + " " +
        str(shape) + " to " + std::to_string(known) + " " + str(result));
  return result;
}

ShapeResult dlc::dl::shapes::conv2d(ArrayRef<int64_t> x, ArrayRef<int64_t> w,
                                    const Conv2dWindow &window) {
  if (x.size() != 4 || w.size() != 4)
    return ShapeResult::error("needs x: [N, C, H, W] and w: [O, C / groups, "
                              "KH, KW], got " +
                              str(x) + " and " + str(w));
  int64_t g = window.groups;
  if (g < 1)
    return ShapeResult::error("groups must be >= 1, got " + std::to_string(g));
  for (int i = 0; i < 2; ++i) {
    if (window.stride[i] < 1 || window.dilation[i] < 1)
      return ShapeResult::error("strides and dilations must be >= 1");
    if (window.padding[i] < 0 || window.padding[i] > (int64_t(1) << 20))
      return ShapeResult::error("padding must be in [0, 2^20], got " +
                                std::to_string(window.padding[i]));
  }
  if (x[1] % g || w[0] % g)
    return ShapeResult::error(
        "channels not divisible by groups: x " + str(x) + " has " +
        std::to_string(x[1]) + " input channels and w " + str(w) + " " +
        std::to_string(w[0]) +
        " output channels, groups = " + std::to_string(g));
  if (x[1] / g != w[1])
    return ShapeResult::error("channel mismatch: x " + str(x) + " has " +
                              std::to_string(x[1]) + " channels, so w needs " +
                              std::to_string(x[1] / g) +
                              " per group, but w is " + str(w));
  Shape result = {x[0], w[0], 0, 0};
  for (int i = 0; i < 2; ++i) {
    int64_t padded = x[2 + i] + 2 * window.padding[i];
    int64_t extent = window.dilation[i] * (w[2 + i] - 1) + 1;
    if (extent > padded)
      return ShapeResult::error(
          "kernel " + str(w) + " (" + std::to_string(extent) +
          " with dilation) is larger than the padded input " + str(x) + " (" +
          std::to_string(padded) + ")");
    result[2 + i] = (padded - extent) / window.stride[i] + 1;
  }
  return result;
}

ShapeResult dlc::dl::shapes::pool2d(ArrayRef<int64_t> x,
                                    const Pool2dWindow &window) {
  if (x.size() != 4)
    return ShapeResult::error("needs x: [N, C, H, W], got " + str(x));
  Shape result = {x[0], x[1], 0, 0};
  for (int i = 0; i < 2; ++i) {
    int64_t k = window.kernel[i], s = window.stride[i], p = window.padding[i];
    if (k < 1 || s < 1)
      return ShapeResult::error("kernel sizes and strides must be >= 1");
    if (p < 0 || 2 * p > k)
      return ShapeResult::error("padding must be in [0, kernel / 2], got " +
                                std::to_string(p) + " for kernel " +
                                std::to_string(k));
    int64_t padded = x[2 + i] + 2 * p;
    if (k > padded)
      return ShapeResult::error("kernel " + std::to_string(k) +
                                " is larger than the padded input " + str(x) +
                                " (" + std::to_string(padded) + ")");
    result[2 + i] = (padded - k) / s + 1;
  }
  return result;
}

ShapeResult dlc::dl::shapes::batchNorm(ArrayRef<int64_t> x,
                                       ArrayRef<int64_t> gamma,
                                       ArrayRef<int64_t> beta) {
  if (x.size() < 2)
    return ShapeResult::error("needs x of rank 2 ([N, C, ...]) or more, got " +
                              str(x));
  Shape stats = {x[1]};
  if (gamma != ArrayRef<int64_t>(stats) || beta != ArrayRef<int64_t>(stats))
    return ShapeResult::error("needs gamma and beta of shape " + str(stats) +
                              " for x " + str(x) + ", got " + str(gamma) +
                              " and " + str(beta));
  return stats;
}

ShapeResult dlc::dl::shapes::layerNorm(ArrayRef<int64_t> x,
                                       ArrayRef<int64_t> gamma,
                                       ArrayRef<int64_t> beta) {
  if (x.empty())
    return ShapeResult::error("needs x of rank 1 ([..., D]) or more, got " +
                              str(x));
  Shape features = {x.back()};
  if (gamma != ArrayRef<int64_t>(features) ||
      beta != ArrayRef<int64_t>(features))
    return ShapeResult::error("needs gamma and beta of shape " + str(features) +
                              " for x " + str(x) + ", got " + str(gamma) +
                              " and " + str(beta));
  return Shape(x.begin(), x.end() - 1);
}

ShapeResult dlc::dl::shapes::attention(ArrayRef<int64_t> q,
                                       ArrayRef<int64_t> k,
                                       ArrayRef<int64_t> v) {
  size_t r = q.size();
  bool ok = r >= 2 && k.size() == r && v.size() == r &&
            q.drop_back(2) == k.drop_back(2) && q.drop_back(2) == v.drop_back(2) &&
            q[r - 1] == k[r - 1] && k[r - 2] == v[r - 2];
  if (!ok)
    return ShapeResult::error(
        "needs q [..., Tq, D], k [..., Tk, D] and v [..., Tk, Dv] with equal "
        "batch dimensions, got " +
        str(q) + ", " + str(k) + " and " + str(v));
  Shape out(q.begin(), q.end());
  out.back() = v.back();
  return out;
}

ShapeResult dlc::dl::shapes::scanStep(ArrayRef<int64_t> seq, int64_t axis) {
  if (axis < 0 || axis >= int64_t(seq.size()))
    return ShapeResult::error("time axis " + std::to_string(axis) +
                              " is out of range for a sequence " + str(seq));
  Shape step(seq.begin(), seq.end());
  step.erase(step.begin() + axis);
  return step;
}

ShapeResult dlc::dl::shapes::stack(ArrayRef<int64_t> step, int64_t axis,
                                   int64_t length) {
  if (axis < 0 || axis > int64_t(step.size()))
    return ShapeResult::error("cannot stack a step's " + str(step) +
                              " along axis " + std::to_string(axis));
  if (length < 1)
    return ShapeResult::error("needs at least one step, got " +
                              std::to_string(length));
  Shape stacked(step.begin(), step.end());
  stacked.insert(stacked.begin() + axis, length);
  return stacked;
}

ShapeResult dlc::dl::shapes::embedding(ArrayRef<int64_t> table,
                                       ArrayRef<int64_t> ids) {
  if (table.size() != 2)
    return ShapeResult::error("needs a table [V, D], got " + str(table));
  Shape out(ids.begin(), ids.end());
  out.push_back(table[1]);
  return out;
}

ShapeResult dlc::dl::shapes::slice(ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> offsets,
                                   ArrayRef<int64_t> sizes,
                                   ArrayRef<int64_t> strides) {
  size_t rank = shape.size();
  if (offsets.size() != rank || sizes.size() != rank || strides.size() != rank)
    return ShapeResult::error("needs one offset, size and stride per "
                              "dimension of " + str(shape));
  for (size_t d = 0; d < rank; ++d) {
    if (sizes[d] < 1 || strides[d] < 1)
      return ShapeResult::error("dimension " + std::to_string(d) +
                                ": sizes and strides must be positive");
    if (offsets[d] < 0 ||
        offsets[d] + (sizes[d] - 1) * strides[d] >= shape[d])
      return ShapeResult::error(
          "dimension " + std::to_string(d) + ": " + std::to_string(sizes[d]) +
          " elements from " + std::to_string(offsets[d]) + " every " +
          std::to_string(strides[d]) + " leave the size " +
          std::to_string(shape[d]));
  }
  return Shape(sizes.begin(), sizes.end());
}

ShapeResult dlc::dl::shapes::concat(ArrayRef<ArrayRef<int64_t>> parts,
                                    int64_t axis) {
  if (parts.empty())
    return ShapeResult::error("needs at least one tensor");
  ArrayRef<int64_t> first = parts.front();
  if (axis < 0 || axis >= int64_t(first.size()))
    return ShapeResult::error("axis " + std::to_string(axis) +
                              " is out of range for " + str(first));
  Shape out(first.begin(), first.end());
  for (ArrayRef<int64_t> part : parts.drop_front()) {
    bool match = part.size() == first.size();
    for (size_t d = 0; match && d < part.size(); ++d)
      match = int64_t(d) == axis || part[d] == first[d];
    if (!match)
      return ShapeResult::error("cannot concatenate " + str(part) + " with " +
                                str(first) + " along axis " +
                                std::to_string(axis));
    out[axis] += part[axis];
  }
  return out;
}
