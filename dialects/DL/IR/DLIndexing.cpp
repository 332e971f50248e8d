//===- DLIndexing.cpp - the indexing ops' verifiers and type inference ----===//
//
// Part of dlc. dl.slice, dl.slice_backward, dl.concat, dl.argmax,
// dl.embedding and dl.embedding_backward; their VJPs are in
// Gradients/Indexing.cpp, their lowerings in DLToLinalg/Indexing.cpp.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLOpHelpers.h"
#include "DL/IR/DLOps.h"
#include "DL/IR/DLShapes.h"

using namespace mlir;
using namespace dlc::dl;

//===----------------------------------------------------------------------===//
// SliceOp, SliceBackwardOp, ConcatOp
//===----------------------------------------------------------------------===//

/// Checks that `sliced` is the slice of `whole` at `offsets`/`strides`
/// whose sizes are `sliced`'s shape.
static LogicalResult verifySlice(Operation *op, RankedTensorType whole,
                                 RankedTensorType sliced,
                                 ArrayRef<int64_t> offsets,
                                 ArrayRef<int64_t> strides) {
  if (whole.getElementType() != sliced.getElementType())
    return op->emitOpError("element types differ: ")
           << whole.getElementType() << " vs " << sliced.getElementType();
  shapes::ShapeResult shape = shapes::slice(whole.getShape(), offsets,
                                            sliced.getShape(), strides);
  if (!shape)
    return op->emitOpError() << shape.error();
  return success();
}

LogicalResult SliceOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getType());
  if (getSizes() != result.getShape())
    return emitOpError("result shape ")
           << shapes::str(result.getShape()) << " must be the sizes "
           << shapes::str(getSizes());
  return verifySlice(*this, input, result, getOffsets(), getStrides());
}

LogicalResult SliceBackwardOp::verify() {
  return verifySlice(*this, cast<RankedTensorType>(getType()),
                     cast<RankedTensorType>(getGrad().getType()), getOffsets(),
                     getStrides());
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  StringRef name = getOperationName();
  SmallVector<ArrayRef<int64_t>> parts;
  Type elementType;
  for (Value input : adaptor.getInputs()) {
    RankedTensorType type = getStaticTensor(input.getType());
    if (!type)
      return emitOpFailure(location, name,
                           "operands must be statically shaped tensors");
    if (elementType && type.getElementType() != elementType)
      return emitOpFailure(location, name, "operand element types differ: ",
                           elementType, " vs ", type.getElementType());
    elementType = type.getElementType();
    parts.push_back(type.getShape());
  }
  shapes::ShapeResult shape = shapes::concat(parts, adaptor.getAxis());
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  results.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// ArgmaxOp, EmbeddingOp, EmbeddingBackwardOp
//===----------------------------------------------------------------------===//

LogicalResult ArgmaxOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  StringRef name = getOperationName();
  RankedTensorType input = getStaticTensor(adaptor.getInput().getType());
  if (!input)
    return emitOpFailure(location, name,
                         "operand must be a statically shaped tensor");
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOpFailure(location, name, "axis ", axis,
                         " is out of range for rank ", input.getRank());
  shapes::ShapeResult shape = shapes::reduce(input.getShape(), {axis}, false);
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  results.push_back(RankedTensorType::get(*shape, IntegerType::get(context, 32)));
  return success();
}

LogicalResult EmbeddingOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  StringRef name = getOperationName();
  RankedTensorType table = getStaticTensor(adaptor.getTable().getType());
  RankedTensorType ids = getStaticTensor(adaptor.getIds().getType());
  if (!table || !ids)
    return emitOpFailure(location, name,
                         "operands must be statically shaped tensors");
  shapes::ShapeResult shape =
      shapes::embedding(table.getShape(), ids.getShape());
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  results.push_back(RankedTensorType::get(*shape, table.getElementType()));
  return success();
}

LogicalResult EmbeddingBackwardOp::verify() {
  auto grad = cast<RankedTensorType>(getGrad().getType());
  auto ids = cast<RankedTensorType>(getIds().getType());
  auto result = cast<RankedTensorType>(getType());
  if (result.getElementType() != grad.getElementType())
    return emitOpError("result element type ")
           << result.getElementType() << " differs from the gradient's "
           << grad.getElementType();
  shapes::ShapeResult shape = shapes::embedding(result.getShape(), ids.getShape());
  if (!shape)
    return emitOpError("result: ") << shape.error();
  if (grad.getShape() != ArrayRef<int64_t>(*shape))
    return emitOpError("gradient shape ")
           << shapes::str(grad.getShape()) << " must be the ids' "
           << shapes::str(ids.getShape()) << " plus the table's row "
           << result.getShape().back();
  return success();
}
