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

Value dlc::dl::buildFloat(OpBuilder &b, Location loc, Type type,
                          double value) {
  return b.create<arith::ConstantOp>(loc, b.getFloatAttr(type, value));
}
