//===- Elementwise.cpp - VJPs of the elementwise dl ops -------------------===//
//
// Part of dlc. The broadcasting binary ops (gradients reduced back to each
// operand's shape), the unary ops and dl.cast.
// Notation: y is the op's result, dy its cotangent.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/Gradients/GradientBuilders.h"

#include <cmath>

using namespace mlir;
using namespace dlc::dl;
using namespace dlc::dl::gradient;

//===----------------------------------------------------------------------===//
// Binary elementwise
//===----------------------------------------------------------------------===//

LogicalResult AddOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  return binaryGrads(
      b, *this, needed, [&] { return dy; }, [&] { return dy; }, grads);
}

LogicalResult SubOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return binaryGrads(
      b, *this, needed, [&] { return dy; }, [&] { return m.neg(dy); }, grads);
}

LogicalResult MulOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return binaryGrads(
      b, *this, needed, [&] { return m.mul(dy, getRhs()); },
      [&] { return m.mul(dy, getLhs()); }, grads);
}

LogicalResult DivOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // y = a / b: da = dy / b, db = -dy * y / b.
  Math m{b, getLoc()};
  return binaryGrads(
      b, *this, needed, [&] { return m.div(dy, getRhs()); },
      [&] { return m.neg(m.div(m.mul(dy, getResult()), getRhs())); }, grads);
}

LogicalResult MaximumOp::buildVJP(OpBuilder &b, Value dy,
                                  ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // The larger operand takes the gradient; on a tie, rhs does.
  Math m{b, getLoc()};
  Value lhsWins = m.step(m.sub(getLhs(), getRhs()));
  return binaryGrads(
      b, *this, needed, [&] { return m.mul(dy, lhsWins); },
      [&] { return m.mul(dy, m.sub(m.constant(dy, 1.0), lhsWins)); }, grads);
}

LogicalResult MinimumOp::buildVJP(OpBuilder &b, Value dy,
                                  ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // The smaller operand takes the gradient; on a tie, rhs does.
  Math m{b, getLoc()};
  Value lhsWins = m.step(m.sub(getRhs(), getLhs()));
  return binaryGrads(
      b, *this, needed, [&] { return m.mul(dy, lhsWins); },
      [&] { return m.mul(dy, m.sub(m.constant(dy, 1.0), lhsWins)); }, grads);
}

//===----------------------------------------------------------------------===//
// Unary elementwise
//===----------------------------------------------------------------------===//

LogicalResult NegOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.neg(dy); }, grads);
}

LogicalResult ReluOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // dx = dy where x > 0 (0 at x = 0, as PyTorch).
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.mul(dy, m.step(getInput())); },
                   grads);
}

LogicalResult SigmoidOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                                  SmallVectorImpl<Value> &grads) {
  // dx = dy * y * (1 - y)
  Math m{b, getLoc()};
  Value y = getResult();
  return unaryGrad(
      needed,
      [&] { return m.mul(dy, m.mul(y, m.sub(m.constant(y, 1.0), y))); }, grads);
}

LogicalResult TanhOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // dx = dy * (1 - y^2)
  Math m{b, getLoc()};
  Value y = getResult();
  return unaryGrad(
      needed, [&] { return m.mul(dy, m.sub(m.constant(y, 1.0), m.mul(y, y))); },
      grads);
}

LogicalResult ErfOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // dx = dy 2 / sqrt(pi) exp(-x^2)
  Math m{b, getLoc()};
  Value x = getInput();
  return unaryGrad(
      needed,
      [&] {
        Value e = m.exp(m.neg(m.mul(x, x)));
        return m.mul(dy, m.mul(e, m.constant(x, 2.0 / std::sqrt(M_PI))));
      },
      grads);
}

LogicalResult GeluOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // dx = dy (Phi(x) + x phi(x)): Phi(x) = (1 + erf(x / sqrt 2)) / 2, phi(x)
  // = exp(-x^2 / 2) / sqrt(2 pi).
  Math m{b, getLoc()};
  Value x = getInput();
  return unaryGrad(
      needed,
      [&] {
        Value cdf = m.mul(
            m.add(m.constant(x, 1.0),
                  m.erf(m.mul(x, m.constant(x, 1.0 / std::sqrt(2.0))))),
            m.constant(x, 0.5));
        Value pdf = m.mul(m.exp(m.mul(m.mul(x, x), m.constant(x, -0.5))),
                          m.constant(x, 1.0 / std::sqrt(2.0 * M_PI)));
        return m.mul(dy, m.add(cdf, m.mul(x, pdf)));
      },
      grads);
}

LogicalResult GeluTanhOp::buildVJP(OpBuilder &b, Value dy,
                                   ArrayRef<bool> needed,
                                   SmallVectorImpl<Value> &grads) {
  // With k = sqrt(2 / pi), u = k (x + c x^3), t = tanh(u): dx = dy ((1 + t)
  // / 2 + x / 2 (1 - t^2) k (1 + 3 c x^2)).
  Math m{b, getLoc()};
  Value x = getInput();
  constexpr double c = 0.044715;
  double k = std::sqrt(2.0 / M_PI);
  return unaryGrad(
      needed,
      [&] {
        Value x2 = m.mul(x, x);
        Value u = m.mul(m.add(x, m.mul(m.mul(x2, x), m.constant(x, c))),
                        m.constant(x, k));
        Value t = m.tanh(u);
        Value one = m.constant(x, 1.0), half = m.constant(x, 0.5);
        Value du = m.mul(m.add(one, m.mul(x2, m.constant(x, 3 * c))),
                         m.constant(x, k));
        Value slope = m.mul(m.mul(m.mul(x, half), m.sub(one, m.mul(t, t))), du);
        return m.mul(dy, m.add(m.mul(m.add(one, t), half), slope));
      },
      grads);
}

LogicalResult ExpOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.mul(dy, getResult()); }, grads);
}

LogicalResult LogOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  Math m{b, getLoc()};
  return unaryGrad(needed, [&] { return m.div(dy, getInput()); }, grads);
}

LogicalResult SqrtOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // dx = dy / (2 y)
  Math m{b, getLoc()};
  Value y = getResult();
  return unaryGrad(
      needed, [&] { return m.div(dy, m.mul(m.constant(y, 2.0), y)); }, grads);
}

LogicalResult StepOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                               SmallVectorImpl<Value> &grads) {
  // Piecewise constant: the gradient is zero almost everywhere.
  grads.push_back(Value());
  return success();
}

LogicalResult FloorOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                                SmallVectorImpl<Value> &grads) {
  // Piecewise constant: the gradient is zero almost everywhere.
  grads.push_back(Value());
  return success();
}

LogicalResult CosOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // dx = -dy * sin(x)
  Math m{b, getLoc()};
  return unaryGrad(
      needed,
      [&] { return m.neg(m.mul(dy, b.create<SinOp>(getLoc(), getInput()))); },
      grads);
}

LogicalResult SinOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                              SmallVectorImpl<Value> &grads) {
  // dx = dy * cos(x)
  Math m{b, getLoc()};
  return unaryGrad(
      needed, [&] { return m.mul(dy, b.create<CosOp>(getLoc(), getInput())); },
      grads);
}

LogicalResult SignOp::buildVJP(OpBuilder &, Value, ArrayRef<bool>,
                               SmallVectorImpl<Value> &grads) {
  // Piecewise constant: the gradient is zero almost everywhere.
  grads.push_back(Value());
  return success();
}

LogicalResult CastOp::buildVJP(OpBuilder &b, Value dy, ArrayRef<bool> needed,
                               SmallVectorImpl<Value> &grads) {
  // Between floats, dx = dy cast back to the operand's type (rounded when
  // the cast widened). Integer operands carry no gradient.
  RankedTensorType inputType = typeOf(getInput());
  bool isFloat = isa<FloatType>(inputType.getElementType());
  grads.push_back(needed[0] && isFloat
                      ? b.create<CastOp>(getLoc(), inputType, dy).getResult()
                      : Value());
  return success();
}
