//===- DLOps.cpp - dl dialect operations ----------------------------------===//
//
// Part of dlc. Shape inference, verifiers and folders of the dl ops.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLOps.h"
#include "DL/IR/DLOpHelpers.h"
#include "DL/IR/DLShapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace dlc::dl;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

LogicalResult dlc::dl::inferBroadcastBinaryType(
    StringRef opName, std::optional<Location> loc, Type lhsType, Type rhsType,
    SmallVectorImpl<Type> &results) {
  RankedTensorType lhs = getStaticTensor(lhsType);
  RankedTensorType rhs = getStaticTensor(rhsType);
  if (!lhs || !rhs)
    return emitOpFailure(loc, opName,
                         "operands must be statically shaped tensors, got ",
                         lhsType, " and ", rhsType);
  if (lhs.getElementType() != rhs.getElementType())
    return emitOpFailure(loc, opName, "operand element types differ: ",
                         lhs.getElementType(), " vs ", rhs.getElementType());
  shapes::ShapeResult shape = shapes::broadcast(lhs.getShape(), rhs.getShape());
  if (!shape)
    return emitOpFailure(loc, opName, shape.error());
  results.push_back(RankedTensorType::get(*shape, lhs.getElementType()));
  return success();
}

LogicalResult dlc::dl::inferReductionType(StringRef opName,
                                          std::optional<Location> loc,
                                          Type inputType, ArrayRef<int64_t> axes,
                                          bool keepdims,
                                          SmallVectorImpl<Type> &results) {
  RankedTensorType input = getStaticTensor(inputType);
  if (!input)
    return emitOpFailure(loc, opName,
                         "operand must be a statically shaped tensor, got ",
                         inputType);
  shapes::ShapeResult shape =
      shapes::reduce(input.getShape(), axes, keepdims);
  if (!shape)
    return emitOpFailure(loc, opName, shape.error());
  results.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

OpFoldResult dlc::dl::foldIdentityReduction(Operation *op) {
  Value input = op->getOperand(0);
  if (input.getType() != op->getResult(0).getType())
    return {};
  return input;
}

/// Returns true if `attr` is a splat whose value equals `value`; float zeros
/// match only with the same sign (x + -0.0 is x, x + 0.0 is not for x = -0.0).
static bool isSplatOf(Attribute attr, double value) {
  auto splat = dyn_cast_or_null<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elementType = splat.getElementType();
  if (isa<FloatType>(elementType)) {
    APFloat v = splat.getSplatValue<APFloat>();
    return v.convertToDouble() == value &&
           v.isNegative() == std::signbit(value);
  }
  if (isa<IntegerType>(elementType))
    return splat.getSplatValue<APInt>().getSExtValue() ==
           static_cast<int64_t>(value);
  return false;
}

/// Folds an elementwise binary op on constant operands. Operands of equal type
/// fold element by element; splat operands fold to a splat of the result type
/// (which covers broadcasting). `floatFn`/`intFn` return std::nullopt where a
/// value must not fold (e.g. integer division by zero).
template <typename FloatFn, typename IntFn>
static Attribute foldBinaryConstants(ArrayRef<Attribute> operands,
                                     Type resultType, FloatFn floatFn,
                                     IntFn intFn) {
  auto lhs = dyn_cast_or_null<DenseElementsAttr>(operands[0]);
  auto rhs = dyn_cast_or_null<DenseElementsAttr>(operands[1]);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || !type)
    return {};
  bool isFloat = isa<FloatType>(type.getElementType());
  if (lhs.isSplat() && rhs.isSplat()) {
    if (isFloat) {
      std::optional<APFloat> v =
          floatFn(lhs.getSplatValue<APFloat>(), rhs.getSplatValue<APFloat>());
      return v ? DenseElementsAttr::get(type, *v) : Attribute();
    }
    std::optional<APInt> v =
        intFn(lhs.getSplatValue<APInt>(), rhs.getSplatValue<APInt>());
    return v ? DenseElementsAttr::get(type, *v) : Attribute();
  }
  if (lhs.getType() != type || rhs.getType() != type)
    return {};
  if (isFloat) {
    SmallVector<APFloat> values;
    for (auto [a, b] :
         llvm::zip(lhs.getValues<APFloat>(), rhs.getValues<APFloat>())) {
      std::optional<APFloat> v = floatFn(a, b);
      if (!v)
        return {};
      values.push_back(*v);
    }
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  for (auto [a, b] : llvm::zip(lhs.getValues<APInt>(), rhs.getValues<APInt>())) {
    std::optional<APInt> v = intFn(a, b);
    if (!v)
      return {};
    values.push_back(*v);
  }
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// ConstantOp / FillOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> location,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  auto value = dyn_cast_or_null<ElementsAttr>(adaptor.getValueAttr());
  if (!value)
    return emitOpFailure(location, getOperationName(),
                         "requires an elements attribute 'value'");
  results.push_back(value.getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

/// Converts the integral `value` to a `width`-bit signless integer: values in
/// [-2^(width-1), 2^width - 1] are representable (as for signless integer
/// attributes); returns std::nullopt for anything else.
static std::optional<APInt> fillIntegerValue(double value, unsigned width) {
  if (!std::isfinite(value) || value != std::trunc(value))
    return std::nullopt;
  // Non-negative values may use the full unsigned range, negative values the
  // signed one.
  APSInt result(width, /*isUnsigned=*/value >= 0);
  bool isExact = false;
  if (APFloat(value).convertToInteger(result, APFloat::rmTowardZero,
                                      &isExact) != APFloat::opOK)
    return std::nullopt;
  return APInt(result);
}

LogicalResult FillOp::verify() {
  double value = getValue().convertToDouble();
  auto intType = dyn_cast<IntegerType>(getType().getElementType());
  if (!intType)
    return success();
  if (value != std::trunc(value) || !std::isfinite(value))
    return emitOpError("value ")
           << value << " is not an integer but the result type is "
           << getType();
  if (!fillIntegerValue(value, intType.getWidth()))
    return emitOpError("value ")
           << value << " is out of range for the result type " << getType();
  return success();
}

TypedAttr FillOp::getElementAttr() {
  Type elementType = getType().getElementType();
  double value = getValue().convertToDouble();
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    APFloat v(value);
    bool losesInfo = false;
    v.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &losesInfo);
    return FloatAttr::get(floatType, v);
  }
  auto intType = cast<IntegerType>(elementType);
  // The verifier guarantees that the value is representable.
  return IntegerAttr::get(
      intType, fillIntegerValue(value, intType.getWidth())
                   .value_or(APInt::getZero(intType.getWidth())));
}

OpFoldResult FillOp::fold(FoldAdaptor) {
  return SplatElementsAttr::get(cast<ShapedType>(getType()), getElementAttr());
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  StringRef name = getOperationName();
  RankedTensorType lhs = getStaticTensor(adaptor.getLhs().getType());
  RankedTensorType rhs = getStaticTensor(adaptor.getRhs().getType());
  if (!lhs || !rhs)
    return emitOpFailure(location, name,
                         "operands must be statically shaped tensors");
  if (lhs.getElementType() != rhs.getElementType())
    return emitOpFailure(location, name, "operand element types differ: ",
                         lhs.getElementType(), " vs ", rhs.getElementType());
  shapes::ShapeResult shape = shapes::matmul(lhs.getShape(), rhs.getShape());
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  results.push_back(RankedTensorType::get(*shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Binary elementwise ops
//===----------------------------------------------------------------------===//

using OptFloat = std::optional<APFloat>;
using OptInt = std::optional<APInt>;

/// Folds `x op c` to `x` when `c` is a splat of `identity` and no broadcast
/// changes x's type.
static OpFoldResult foldRightIdentity(Operation *op, Attribute rhs,
                                      double identity) {
  Value lhs = op->getOperand(0);
  if (isSplatOf(rhs, identity) && lhs.getType() == op->getResult(0).getType())
    return lhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // The additive identity is -0.0 for floats (an integer's 0 either way).
  if (OpFoldResult r = foldRightIdentity(*this, adaptor.getRhs(), -0.0))
    return r;
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> OptFloat { return a + b; },
      [](const APInt &a, const APInt &b) -> OptInt { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(*this, adaptor.getRhs(), 0.0))
    return r;
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> OptFloat { return a - b; },
      [](const APInt &a, const APInt &b) -> OptInt { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(*this, adaptor.getRhs(), 1.0))
    return r;
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> OptFloat { return a * b; },
      [](const APInt &a, const APInt &b) -> OptInt { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldRightIdentity(*this, adaptor.getRhs(), 1.0))
    return r;
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> OptFloat { return a / b; },
      [](const APInt &a, const APInt &b) -> OptInt {
        // Integer division by zero or INT_MIN / -1 is left to run time.
        if (b.isZero() || (a.isMinSignedValue() && b.isAllOnes()))
          return std::nullopt;
        return a.sdiv(b);
      });
}

OpFoldResult MaximumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) -> OptFloat {
        return llvm::maximum(a, b);
      },
      [](const APInt &a, const APInt &b) -> OptInt {
        return a.sge(b) ? a : b;
      });
}

OpFoldResult MinimumOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldBinaryConstants(
      adaptor.getOperands(), getType(),
      [](const APFloat &a, const APFloat &b) -> OptFloat {
        return llvm::minimum(a, b);
      },
      [](const APInt &a, const APInt &b) -> OptInt {
        return a.sle(b) ? a : b;
      });
}

//===----------------------------------------------------------------------===//
// Unary elementwise ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  // neg(neg(x)) -> x
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  if (isa<FloatType>(input.getElementType()))
    return input.mapValues(input.getElementType(),
                           [](const APFloat &v) { return (-v).bitcastToAPInt(); });
  return input.mapValues(input.getElementType(),
                         [](const APInt &v) { return -v; });
}

OpFoldResult ReluOp::fold(FoldAdaptor) {
  // relu(relu(x)) -> relu(x)
  if (auto inner = getInput().getDefiningOp<ReluOp>())
    return inner.getResult();
  return {};
}

//===----------------------------------------------------------------------===//
// CastOp
//===----------------------------------------------------------------------===//

LogicalResult CastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getShape() != out.getShape())
    return emitOpError("shape changes from ")
           << shapes::str(in.getShape()) << " to " << shapes::str(out.getShape());
  return success();
}

/// True if every value of `from` (NaN payloads aside) is exactly a value of
/// `to`: `to` has at least `from`'s precision and exponent range.
static bool isExactIn(FloatType from, FloatType to) {
  const llvm::fltSemantics &f = from.getFloatSemantics();
  const llvm::fltSemantics &t = to.getFloatSemantics();
  return llvm::APFloat::semanticsPrecision(t) >=
             llvm::APFloat::semanticsPrecision(f) &&
         llvm::APFloat::semanticsMaxExponent(t) >=
             llvm::APFloat::semanticsMaxExponent(f) &&
         llvm::APFloat::semanticsMinExponent(t) <=
             llvm::APFloat::semanticsMinExponent(f);
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto resultType = cast<RankedTensorType>(getType());
  auto to = cast<FloatType>(resultType.getElementType());
  // cast(cast(x)) -> x when the inner cast widened a float exactly.
  if (auto inner = getInput().getDefiningOp<CastOp>()) {
    auto from = dyn_cast<FloatType>(
        cast<RankedTensorType>(inner.getInput().getType()).getElementType());
    auto mid = cast<FloatType>(
        cast<RankedTensorType>(inner.getType()).getElementType());
    if (inner.getInput().getType() == getType() && from && isExactIn(from, mid))
      return inner.getInput();
  }
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  const llvm::fltSemantics &sem = to.getFloatSemantics();
  if (isa<FloatType>(input.getElementType()))
    return input.mapValues(to, [&](const APFloat &v) {
      APFloat r = v;
      bool lost;
      r.convert(sem, APFloat::rmNearestTiesToEven, &lost);
      return r.bitcastToAPInt();
    });
  bool isSigned = input.getElementType().getIntOrFloatBitWidth() > 1;
  return input.mapValues(to, [&](const APInt &v) {
    APFloat r(sem);
    r.convertFromAPInt(v, isSigned, APFloat::rmNearestTiesToEven);
    return r.bitcastToAPInt();
  });
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type changes from ")
           << in.getElementType() << " to " << out.getElementType();
  shapes::ShapeResult shape = shapes::reshape(in.getShape(), out.getShape());
  if (!shape)
    return emitOpError(shape.error());
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // reshape(reshape(x)) -> reshape(x)
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  if (auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return input.reshape(cast<ShapedType>(getType()));
  return {};
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  StringRef name = getOperationName();
  RankedTensorType input = getStaticTensor(adaptor.getInput().getType());
  if (!input)
    return emitOpFailure(location, name,
                         "operand must be a statically shaped tensor");
  shapes::ShapeResult shape =
      shapes::transpose(input.getShape(), adaptor.getPerm());
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  results.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  // The identity permutation.
  if (llvm::equal(getPerm(), llvm::seq<int64_t>(0, getPerm().size())))
    return getInput();
  // A splat is the same in any layout.
  if (auto input = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput()))
    return input.resizeSplat(cast<ShapedType>(getType()));
  return {};
}

namespace {
/// transpose(transpose(x, p), q) -> transpose(x, p o q)
struct ComposeTransposes : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    ArrayRef<int64_t> p = inner.getPerm(), q = op.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t i : q)
      composed.push_back(p[i]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, inner.getInput(), composed);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// BroadcastOp
//===----------------------------------------------------------------------===//

LogicalResult BroadcastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type changes from ")
           << in.getElementType() << " to " << out.getElementType();
  ArrayRef<int64_t> a = in.getShape(), b = out.getShape();
  if (a.size() > b.size())
    return emitOpError("cannot broadcast rank ")
           << a.size() << " " << shapes::str(a) << " to lower rank " << b.size()
           << " " << shapes::str(b);
  for (size_t i = 0; i < a.size(); ++i) {
    int64_t da = a[a.size() - 1 - i], db = b[b.size() - 1 - i];
    if (da != db && da != 1)
      return emitOpError("cannot broadcast ")
             << shapes::str(a) << " to " << shapes::str(b) << ": dimension "
             << a.size() - 1 - i << " has size " << da << ", expected 1 or "
             << db;
  }
  return success();
}

OpFoldResult BroadcastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto input = dyn_cast_or_null<SplatElementsAttr>(adaptor.getInput()))
    return input.resizeSplat(cast<ShapedType>(getType()));
  return {};
}

//===----------------------------------------------------------------------===//
// Softmax-like ops and cross-entropy
//===----------------------------------------------------------------------===//

/// Checks that `axis` indexes a dimension of `op`'s operand.
static LogicalResult verifyAxis(Operation *op, int64_t axis) {
  int64_t rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  if (axis < 0 || axis >= rank)
    return op->emitOpError("axis ")
           << axis << " is out of range for a tensor of rank " << rank;
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifyAxis(*this, getAxis()); }
LogicalResult LogSoftmaxOp::verify() { return verifyAxis(*this, getAxis()); }

LogicalResult CrossEntropyOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  StringRef name = getOperationName();
  RankedTensorType logits = getStaticTensor(adaptor.getLogits().getType());
  RankedTensorType labels = getStaticTensor(adaptor.getLabels().getType());
  if (!logits || !labels)
    return emitOpFailure(location, name,
                         "operands must be statically shaped tensors");
  if (logits.getRank() < 1)
    return emitOpFailure(location, name,
                         "logits must have a class dimension, got a 0-d tensor");
  if (logits.getShape().drop_back() != labels.getShape())
    return emitOpFailure(location, name, "labels shape ",
                         shapes::str(labels.getShape()),
                         " must equal the logits shape without its class "
                         "dimension, ",
                         shapes::str(logits.getShape().drop_back()));
  results.push_back(RankedTensorType::get({}, logits.getElementType()));
  return success();
}

LogicalResult CrossEntropyOp::verify() {
  std::optional<int64_t> ignore = getIgnoreIndex();
  int64_t classes = getLogits().getType().getShape().back();
  if (ignore && *ignore >= 0 && *ignore < classes)
    return emitOpError("ignore_index must be outside the classes [0, ")
           << classes << "), got " << *ignore;
  return success();
}

//===----------------------------------------------------------------------===//
// OneHotOp
//===----------------------------------------------------------------------===//

LogicalResult OneHotOp::verify() {
  auto labels = cast<RankedTensorType>(getLabels().getType());
  auto result = cast<RankedTensorType>(getType());
  if (result.getRank() != labels.getRank() + 1 ||
      result.getShape().drop_back() != labels.getShape())
    return emitOpError("result shape ")
           << shapes::str(result.getShape())
           << " must be the labels shape " << shapes::str(labels.getShape())
           << " plus a class dimension";
  if (result.getShape().back() < 1)
    return emitOpError("needs at least one class");
  return success();
}

//===----------------------------------------------------------------------===//
// Modes
//===----------------------------------------------------------------------===//

OpFoldResult ModeSelectOp::fold(FoldAdaptor) {
  if (getTraining() == getInference())
    return getTraining();
  return {};
}

#include "DL/IR/DLInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "DL/IR/DLOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

/// The window of a dl.conv2d* op, or the reason its attributes are not one.
static FailureOr<shapes::Conv2dWindow>
readConv2dWindow(ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                 ArrayRef<int64_t> dilation, int64_t groups,
                 std::string &error) {
  if (stride.size() != 2 || padding.size() != 2 || dilation.size() != 2) {
    error = "stride, padding and dilation need 2 values each (H, W)";
    return failure();
  }
  shapes::Conv2dWindow window;
  for (int i = 0; i < 2; ++i) {
    window.stride[i] = stride[i];
    window.padding[i] = padding[i];
    window.dilation[i] = dilation[i];
  }
  window.groups = groups;
  return window;
}

/// The window of a verified dl.conv2d* op.
template <typename Op> static shapes::Conv2dWindow windowOf(Op op) {
  std::string error;
  return *readConv2dWindow(op.getStride(), op.getPadding(), op.getDilation(),
                           op.getGroups(), error);
}
shapes::Conv2dWindow Conv2dOp::getWindow() { return windowOf(*this); }
shapes::Conv2dWindow Conv2dBackwardInputOp::getWindow() {
  return windowOf(*this);
}
shapes::Conv2dWindow Conv2dBackwardFilterOp::getWindow() {
  return windowOf(*this);
}

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  StringRef name = getOperationName();
  RankedTensorType x = getStaticTensor(adaptor.getInput().getType());
  RankedTensorType w = getStaticTensor(adaptor.getFilter().getType());
  if (!x || !w)
    return emitOpFailure(location, name,
                         "operands must be statically shaped tensors");
  if (x.getElementType() != w.getElementType())
    return emitOpFailure(location, name,
                         "operand element types differ: ", x.getElementType(),
                         " vs ", w.getElementType());
  std::string error;
  FailureOr<shapes::Conv2dWindow> window =
      readConv2dWindow(adaptor.getStride(), adaptor.getPadding(),
                       adaptor.getDilation(), adaptor.getGroups(), error);
  if (failed(window))
    return emitOpFailure(location, name, error);
  shapes::ShapeResult shape =
      shapes::conv2d(x.getShape(), w.getShape(), *window);
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  results.push_back(RankedTensorType::get(*shape, x.getElementType()));
  return success();
}

/// A backward op is valid when dl.conv2d of `x` and `w` with its window has
/// `dy`'s type.
static LogicalResult verifyConv2dBackward(Operation *op, Type x, Type w,
                                          Type dy, ArrayRef<int64_t> stride,
                                          ArrayRef<int64_t> padding,
                                          ArrayRef<int64_t> dilation,
                                          int64_t groups) {
  auto xt = cast<RankedTensorType>(x), wt = cast<RankedTensorType>(w),
       dyt = cast<RankedTensorType>(dy);
  if (xt.getElementType() != wt.getElementType() ||
      xt.getElementType() != dyt.getElementType())
    return op->emitOpError("operand and result element types differ");
  std::string error;
  FailureOr<shapes::Conv2dWindow> window =
      readConv2dWindow(stride, padding, dilation, groups, error);
  if (failed(window))
    return op->emitOpError(error);
  shapes::ShapeResult shape =
      shapes::conv2d(xt.getShape(), wt.getShape(), *window);
  if (!shape)
    return op->emitOpError(shape.error());
  if (ArrayRef<int64_t>(*shape) != dyt.getShape())
    return op->emitOpError("dl.conv2d of ")
           << shapes::str(xt.getShape()) << " and "
           << shapes::str(wt.getShape()) << " gives " << shapes::str(*shape)
           << ", not dy's " << shapes::str(dyt.getShape());
  return success();
}

LogicalResult Conv2dBackwardInputOp::verify() {
  return verifyConv2dBackward(*this, getType(), getFilter().getType(),
                              getDy().getType(), getStride(), getPadding(),
                              getDilation(), getGroups());
}

LogicalResult Conv2dBackwardFilterOp::verify() {
  return verifyConv2dBackward(*this, getInput().getType(), getType(),
                              getDy().getType(), getStride(), getPadding(),
                              getDilation(), getGroups());
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// The window of a dl.*_pool2d* op, or the reason its attributes are not one.
static FailureOr<shapes::Pool2dWindow>
readPool2dWindow(ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                 ArrayRef<int64_t> padding, std::string &error) {
  if (kernel.size() != 2 || stride.size() != 2 || padding.size() != 2) {
    error = "kernel, stride and padding need 2 values each (H, W)";
    return failure();
  }
  shapes::Pool2dWindow window;
  for (int i = 0; i < 2; ++i) {
    window.kernel[i] = kernel[i];
    window.stride[i] = stride[i];
    window.padding[i] = padding[i];
  }
  return window;
}

/// The window of a verified pooling op.
template <typename Op> static shapes::Pool2dWindow poolWindowOf(Op op) {
  std::string error;
  return *readPool2dWindow(op.getKernel(), op.getStride(), op.getPadding(),
                           error);
}
shapes::Pool2dWindow MaxPool2dOp::getWindow() { return poolWindowOf(*this); }
shapes::Pool2dWindow MaxPool2dBackwardOp::getWindow() {
  return poolWindowOf(*this);
}
shapes::Pool2dWindow AvgPool2dOp::getWindow() { return poolWindowOf(*this); }
shapes::Pool2dWindow AvgPool2dBackwardOp::getWindow() {
  return poolWindowOf(*this);
}

/// The result type of pooling `x` with the window, or a failure reported at
/// `location` (type inference) or on `op` (verifiers).
static FailureOr<RankedTensorType> inferPool2d(std::optional<Location> location,
                                               StringRef name, Type xType,
                                               ArrayRef<int64_t> kernel,
                                               ArrayRef<int64_t> stride,
                                               ArrayRef<int64_t> padding) {
  RankedTensorType x = getStaticTensor(xType);
  if (!x)
    return emitOpFailure(location, name,
                         "operands must be statically shaped tensors");
  std::string error;
  FailureOr<shapes::Pool2dWindow> window =
      readPool2dWindow(kernel, stride, padding, error);
  if (failed(window))
    return emitOpFailure(location, name, error);
  shapes::ShapeResult shape = shapes::pool2d(x.getShape(), *window);
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  return RankedTensorType::get(*shape, x.getElementType());
}

template <typename Op>
static LogicalResult inferPoolResult(MLIRContext *, std::optional<Location> loc,
                                     typename Op::Adaptor adaptor,
                                     SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> type = inferPool2d(
      loc, Op::getOperationName(), adaptor.getInput().getType(),
      adaptor.getKernel(), adaptor.getStride(), adaptor.getPadding());
  if (failed(type))
    return failure();
  results.push_back(*type);
  return success();
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferPoolResult<MaxPool2dOp>(context, location, adaptor, results);
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferPoolResult<AvgPool2dOp>(context, location, adaptor, results);
}

/// A pooling backward op is valid when pooling `x` with its window gives
/// `dy`'s type.
template <typename Op>
static LogicalResult verifyPool2dBackward(Op op, Type x, Type dy) {
  FailureOr<RankedTensorType> type =
      inferPool2d(op.getLoc(), op.getOperationName(), x, op.getKernel(),
                  op.getStride(), op.getPadding());
  if (failed(type))
    return failure();
  if (*type != dy)
    return op.emitOpError("pooling ")
           << x << " gives " << *type << ", not dy's " << dy;
  return success();
}

LogicalResult MaxPool2dBackwardOp::verify() {
  return verifyPool2dBackward(*this, getInput().getType(), getDy().getType());
}

LogicalResult AvgPool2dBackwardOp::verify() {
  return verifyPool2dBackward(*this, getType(), getDy().getType());
}

//===----------------------------------------------------------------------===//
// Random
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

/// A normalization's eps must be positive.
static LogicalResult verifyPositiveEps(Operation *op, const APFloat &eps) {
  if (!(eps.convertToDouble() > 0))
    return op->emitOpError("eps must be positive, got ")
           << eps.convertToDouble();
  return success();
}

/// The statistics' type of a normalization of `input` by `gamma` and `beta`
/// under shape rule RULE (shapes::batchNorm, shapes::layerNorm), or failure,
/// reported at `location`.
static FailureOr<RankedTensorType>
inferNormStats(std::optional<Location> location, StringRef name, Type input,
               Type gamma, Type beta,
               shapes::ShapeResult (*rule)(ArrayRef<int64_t>, ArrayRef<int64_t>,
                                           ArrayRef<int64_t>)) {
  RankedTensorType x = getStaticTensor(input), g = getStaticTensor(gamma),
                   b = getStaticTensor(beta);
  if (!x || !g || !b)
    return emitOpFailure(location, name,
                         "operands must be statically shaped tensors");
  if (g.getElementType() != x.getElementType() ||
      b.getElementType() != x.getElementType())
    return emitOpFailure(location, name,
                         "gamma and beta must have x's element type");
  shapes::ShapeResult shape = rule(x.getShape(), g.getShape(), b.getShape());
  if (!shape)
    return emitOpFailure(location, name, shape.error());
  return RankedTensorType::get(*shape, x.getElementType());
}

/// A normalization's results: y of x's type, then its two statistics.
static LogicalResult
inferNormResults(std::optional<Location> location, StringRef name, Value input,
                 Value gamma, Value beta,
                 shapes::ShapeResult (*rule)(ArrayRef<int64_t>, ArrayRef<int64_t>,
                                             ArrayRef<int64_t>),
                 SmallVectorImpl<Type> &results) {
  FailureOr<RankedTensorType> stats =
      inferNormStats(location, name, input.getType(), gamma.getType(),
                     beta.getType(), rule);
  if (failed(stats))
    return failure();
  results.append({input.getType(), *stats, *stats});
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferNormResults(location, getOperationName(), adaptor.getInput(),
                          adaptor.getGamma(), adaptor.getBeta(),
                          shapes::batchNorm, results);
}

LogicalResult BatchNormOp::verify() {
  return verifyPositiveEps(getOperation(), getEps());
}

LogicalResult BatchNormBackwardOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  Type gamma = adaptor.getGamma().getType();
  if (failed(inferNormStats(location, getOperationName(),
                            adaptor.getInput().getType(), gamma, gamma,
                            shapes::batchNorm)))
    return failure();
  results.append({adaptor.getInput().getType(), gamma, gamma});
  return success();
}

LogicalResult BatchNormBackwardOp::verify() {
  return verifyPositiveEps(getOperation(), getEps());
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferNormResults(location, getOperationName(), adaptor.getInput(),
                          adaptor.getGamma(), adaptor.getBeta(),
                          shapes::layerNorm, results);
}

LogicalResult LayerNormOp::verify() {
  return verifyPositiveEps(getOperation(), getEps());
}

LogicalResult LayerNormBackwardOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  Type gamma = adaptor.getGamma().getType();
  FailureOr<RankedTensorType> stats =
      inferNormStats(location, getOperationName(), adaptor.getInput().getType(),
                     gamma, gamma, shapes::layerNorm);
  if (failed(stats))
    return failure();
  if (adaptor.getMean().getType() != *stats)
    return emitOpFailure(location, getOperationName(),
                         "mean and rstd must be the statistics' type");
  results.append({adaptor.getInput().getType(), gamma, gamma});
  return success();
}

/// The result and lse types of `dl.attention` of q, k, v and an optional
/// mask, or failure (reported at `location` for OPNAME).
static LogicalResult inferAttention(std::optional<Location> location,
                                    StringRef opName, Value qValue,
                                    Value kValue, Value vValue,
                                    Value maskValue, Type &result, Type &lse) {
  RankedTensorType q = getStaticTensor(qValue.getType()),
                   k = getStaticTensor(kValue.getType()),
                   v = getStaticTensor(vValue.getType());
  if (!q || !k || !v)
    return emitOpFailure(location, opName,
                         "operands must be statically shaped tensors");
  if (k.getElementType() != q.getElementType() ||
      v.getElementType() != q.getElementType())
    return emitOpFailure(location, opName,
                         "q, k and v must have one element type");
  shapes::ShapeResult shape =
      shapes::attention(q.getShape(), k.getShape(), v.getShape());
  if (!shape)
    return emitOpFailure(location, opName, shape.error());
  if (maskValue) {
    RankedTensorType mask = getStaticTensor(maskValue.getType());
    if (!mask || mask.getElementType() != q.getElementType())
      return emitOpFailure(location, opName,
                           "the mask must be a static tensor of q's element "
                           "type");
    SmallVector<int64_t> scores(q.getShape());
    scores.back() = k.getShape()[k.getRank() - 2];
    shapes::ShapeResult joined = shapes::broadcast(scores, mask.getShape());
    if (!joined || ArrayRef<int64_t>(*joined) != ArrayRef<int64_t>(scores))
      return emitOpFailure(location, opName, "the mask ",
                           shapes::str(mask.getShape()),
                           " does not broadcast to the scores ",
                           shapes::str(scores));
  }
  result = RankedTensorType::get(*shape, q.getElementType());
  lse = RankedTensorType::get(q.getShape().drop_back(), q.getElementType());
  return success();
}

/// A positive finite scale, or OP's error.
static LogicalResult verifyScale(Operation *op, double scale) {
  if (!(scale > 0) || !std::isfinite(scale))
    return op->emitOpError("scale must be a positive finite number, got ")
           << scale;
  return success();
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  Type result, lse;
  if (failed(inferAttention(location, getOperationName(), adaptor.getQ(),
                            adaptor.getK(), adaptor.getV(), adaptor.getMask(),
                            result, lse)))
    return failure();
  results.append({result, lse});
  return success();
}

LogicalResult AttentionOp::verify() {
  return verifyScale(*this, getScale().convertToDouble());
}

LogicalResult AttentionBackwardOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  Type result, lse;
  if (failed(inferAttention(location, getOperationName(), adaptor.getQ(),
                            adaptor.getK(), adaptor.getV(), adaptor.getMask(),
                            result, lse)))
    return failure();
  if (adaptor.getOut().getType() != result ||
      adaptor.getLse().getType() != lse)
    return emitOpFailure(location, getOperationName(),
                         "out and lse must be the attention's, ", result,
                         " and ", lse);
  results.append({adaptor.getQ().getType(), adaptor.getK().getType(),
                  adaptor.getV().getType()});
  return success();
}

LogicalResult AttentionBackwardOp::verify() {
  return verifyScale(*this, getScale().convertToDouble());
}

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (!(p >= 0.0 && p < 1.0))
    return emitOpError("drop probability must be in [0, 1), got ") << p;
  int64_t stream = getStreamAttr().getInt();
  if (stream < 0 || stream > 0xffffffffLL)
    return emitOpError("stream must be in [0, 2^32), got ") << stream;
  return success();
}
