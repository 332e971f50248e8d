//===- Utils.cpp - builders shared by the dl to linalg patterns -----------===//
//
// Part of dlc.
//
//===----------------------------------------------------------------------===//

#include "DL/Conversion/DLToLinalg/Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace dlc::dl;

AffineMap dlc::dl::getDroppingMap(MLIRContext *ctx, int64_t rank,
                                  ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

MappedOperand dlc::dl::broadcastOperand(OpBuilder &b, Location loc,
                                        Value operand, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(operand.getType());
  ArrayRef<int64_t> in = type.getShape();
  int64_t rank = shape.size(), offset = rank - in.size();
  MLIRContext *ctx = b.getContext();

  // Group each broadcast dim with the next kept dim (trailing ones with the
  // last kept dim); collapsing by these groups removes exactly the broadcast
  // dims.
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  SmallVector<int64_t> keptShape;
  SmallVector<AffineExpr> exprs;
  bool anyBroadcast = false;
  for (int64_t i = 0, e = in.size(); i < e; ++i) {
    pending.push_back(i);
    if (in[i] == 1 && shape[i + offset] != 1) {
      anyBroadcast = true;
      continue;
    }
    groups.push_back(pending);
    pending.clear();
    keptShape.push_back(in[i]);
    exprs.push_back(getAffineDimExpr(i + offset, ctx));
  }
  if (!groups.empty())
    groups.back().append(pending.begin(), pending.end());

  AffineMap map = AffineMap::get(rank, 0, exprs, ctx);
  if (!anyBroadcast)
    return {operand, map};
  auto collapsedType = RankedTensorType::get(keptShape, type.getElementType());
  Value collapsed =
      b.create<tensor::CollapseShapeOp>(loc, collapsedType, operand, groups);
  return {collapsed, map};
}

Value dlc::dl::buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                           TypedAttr value) {
  Value empty =
      b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  Value scalar = b.create<arith::ConstantOp>(loc, value);
  return b.create<linalg::FillOp>(loc, scalar, empty).getResult(0);
}

Value dlc::dl::buildElementwise(OpBuilder &b, Location loc,
                                RankedTensorType resultType,
                                ArrayRef<MappedOperand> inputs,
                                ElementBuilder body) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> values;
  SmallVector<AffineMap> maps;
  for (const MappedOperand &in : inputs) {
    values.push_back(in.value);
    maps.push_back(in.map);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = b.create<tensor::EmptyOp>(loc, resultType.getShape(),
                                         resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, values, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        // The last block argument is the (unused) output element.
        Value result = body(nb, nloc, args.drop_back());
        nb.create<linalg::YieldOp>(nloc, result);
      });
  return generic.getResult(0);
}

Value dlc::dl::buildBroadcastElementwise(OpBuilder &b, Location loc,
                                         RankedTensorType resultType,
                                         ValueRange inputs,
                                         ElementBuilder body) {
  SmallVector<MappedOperand> mapped;
  for (Value in : inputs)
    mapped.push_back(broadcastOperand(b, loc, in, resultType.getShape()));
  return buildElementwise(b, loc, resultType, mapped, body);
}

Value dlc::dl::buildReduction(OpBuilder &b, Location loc,
                              ArrayRef<int64_t> shape, ArrayRef<int64_t> axes,
                              ArrayRef<MappedOperand> inputs, TypedAttr init,
                              ElementBuilder body) {
  int64_t rank = shape.size();
  SmallVector<int64_t> resultShape;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced)
      resultShape.push_back(shape[d]);
  }
  auto resultType = RankedTensorType::get(resultShape, init.getType());
  Value acc = buildFilled(b, loc, resultType, init);

  SmallVector<Value> values;
  SmallVector<AffineMap> maps;
  for (const MappedOperand &in : inputs) {
    values.push_back(in.value);
    maps.push_back(in.map);
  }
  maps.push_back(getDroppingMap(b.getContext(), rank, axes));
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, values, ValueRange{acc}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        nb.create<linalg::YieldOp>(nloc, body(nb, nloc, args));
      });
  return generic.getResult(0);
}

Value dlc::dl::buildReshape(OpBuilder &b, Location loc, Value value,
                            RankedTensorType type) {
  auto inType = cast<RankedTensorType>(value.getType());
  if (inType == type)
    return value;
  // Flatten to 1-D (or straight to the target when either side is 0-d, where
  // every dim is 1 and the reassociation is empty).
  auto flatType =
      RankedTensorType::get({inType.getNumElements()}, type.getElementType());
  auto all = [](int64_t rank) {
    ReassociationIndices group;
    for (int64_t i = 0; i < rank; ++i)
      group.push_back(i);
    return SmallVector<ReassociationIndices>{group};
  };
  if (inType.getRank() == 0)
    return b.create<tensor::ExpandShapeOp>(
        loc, type, value, SmallVector<ReassociationIndices>{});
  if (type.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(
        loc, type, value, SmallVector<ReassociationIndices>{});
  Value flat = value;
  if (inType.getRank() != 1)
    flat = b.create<tensor::CollapseShapeOp>(loc, flatType, value,
                                             all(inType.getRank()));
  if (type.getRank() == 1)
    return flat;
  return b.create<tensor::ExpandShapeOp>(loc, type, flat, all(type.getRank()));
}

Value dlc::dl::buildPlaced(OpBuilder &b, Location loc, Value value,
                           ArrayRef<int64_t> shape, ArrayRef<int64_t> offsets,
                           ArrayRef<int64_t> strides, TypedAttr fill) {
  auto type = cast<RankedTensorType>(value.getType());
  auto outType = RankedTensorType::get(shape, type.getElementType());
  if (outType == type &&
      llvm::all_of(offsets, [](int64_t o) { return o == 0; }))
    return value;
  Value filled = buildFilled(b, loc, outType, fill);
  MLIRContext *ctx = b.getContext();
  return b.create<tensor::InsertSliceOp>(
      loc, value, filled, getAsIndexOpFoldResult(ctx, offsets),
      getAsIndexOpFoldResult(ctx, type.getShape()),
      getAsIndexOpFoldResult(ctx, strides));
}

Value dlc::dl::sliceBox(OpBuilder &b, Location loc, Value value,
                        const WindowBox &box) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()),
      strides(rank, 1);
  for (int d = 0; d < 2; ++d) {
    offsets[rank - 2 + d] = box.first[d];
    sizes[rank - 2 + d] = box.count[d];
  }
  if (ArrayRef<int64_t>(sizes) == type.getShape())
    return value;
  MLIRContext *ctx = b.getContext();
  return b.create<tensor::ExtractSliceOp>(
      loc, RankedTensorType::get(sizes, type.getElementType()), value,
      getAsIndexOpFoldResult(ctx, offsets), getAsIndexOpFoldResult(ctx, sizes),
      getAsIndexOpFoldResult(ctx, strides));
}

Value dlc::dl::buildWindowScatter(
    OpBuilder &b, Location loc, RankedTensorType xType,
    ArrayRef<int64_t> outSpatial, const WindowGeometry &g,
    llvm::function_ref<Value(Value, const WindowBox &, int64_t, int64_t)>
        contribution) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> x = xType.getShape();
  Type element = xType.getElementType();
  Value acc = buildFilled(b, loc, xType, b.getZeroAttr(element));
  auto index = [&](ArrayRef<int64_t> v) {
    return getAsIndexOpFoldResult(ctx, v);
  };
  for (int64_t kh = 0; kh < g.kernel[0]; ++kh) {
    for (int64_t kw = 0; kw < g.kernel[1]; ++kw) {
      // Output positions o with 0 <= o * s + shift < H, shift = k d - p.
      int64_t k[2] = {kh, kw};
      WindowBox box;
      for (int d = 0; d < 2; ++d) {
        int64_t s = g.stride[d], shift = k[d] * g.dilation[d] - g.padding[d];
        box.first[d] = shift >= 0 ? 0 : (-shift + s - 1) / s;
        int64_t last =
            x[2 + d] - 1 - shift < 0
                ? -1
                : std::min(outSpatial[d] - 1, (x[2 + d] - 1 - shift) / s);
        box.count[d] = last - box.first[d] + 1;
      }
      if (box.count[0] <= 0 || box.count[1] <= 0)
        continue;
      SmallVector<int64_t> shape = {x[0], x[1], box.count[0], box.count[1]};
      SmallVector<OpFoldResult> offsets,
          strides = index({1, 1, g.stride[0], g.stride[1]});
      offsets = index(
          {0, 0, box.first[0] * g.stride[0] + kh * g.dilation[0] - g.padding[0],
           box.first[1] * g.stride[1] + kw * g.dilation[1] - g.padding[1]});
      Value current = b.create<tensor::ExtractSliceOp>(
          loc, RankedTensorType::get(shape, element), acc, offsets,
          index(shape), strides);
      acc = b.create<tensor::InsertSliceOp>(
          loc, contribution(current, box, kh, kw), acc, offsets, index(shape),
          strides);
    }
  }
  return acc;
}

Value dlc::dl::buildFloat(OpBuilder &b, Location loc, Type type,
                          double value) {
  return b.create<arith::ConstantOp>(loc, b.getFloatAttr(type, value));
}
