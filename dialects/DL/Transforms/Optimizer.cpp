//===- Optimizer.cpp - optimizer expansion: train_step and apply ----------===//
//
// Part of dlc. The update rules follow PyTorch's definitions (torch.optim) so
// that results can be compared with it; see docs/autodiff.md.
//
//===----------------------------------------------------------------------===//

#include "DL/IR/DLMarks.h"
#include "DL/IR/DLOps.h"
#include "DL/Transforms/EntryPoints.h"
#include "DL/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

#include <cmath>

namespace dlc::dl {
#define GEN_PASS_DEF_DLOPTIMIZERPASS
#include "DL/Transforms/Passes.h.inc"
} // namespace dlc::dl

using namespace mlir;
using namespace dlc::dl;

namespace {

/// The optimizer settings of `dl.train`.
struct Config {
  std::string optimizer = "sgd";
  double lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, momentum = 0,
         alpha = 0.99, weightDecay = 0, clipNorm = 0;
  bool nesterov = false;
  int64_t epochs = 1;
  std::string schedule = "constant";
  double every = 1, gamma = 0.1, minLr = 0, warmup = 0;

  static FailureOr<Config> read(ModuleOp module, DictionaryAttr train) {
    Config c;
    auto num = [&](DictionaryAttr d, StringRef key, double &out) {
      if (!d)
        return;
      if (auto f = d.getAs<FloatAttr>(key))
        out = f.getValueAsDouble();
      else if (auto i = d.getAs<IntegerAttr>(key))
        out = double(i.getInt());
    };
    if (auto name = train.getAs<StringAttr>("optimizer"))
      c.optimizer = name.str();
    if (!llvm::is_contained({"sgd", "adam", "adamw", "rmsprop"}, c.optimizer)) {
      module.emitError("unknown optimizer '") << c.optimizer << "'";
      return failure();
    }
    num(train, "lr", c.lr);
    num(train, "beta1", c.beta1);
    num(train, "beta2", c.beta2);
    num(train, "eps", c.eps);
    num(train, "momentum", c.momentum);
    num(train, "alpha", c.alpha);
    num(train, "weight_decay", c.weightDecay);
    num(train, "clip_norm", c.clipNorm);
    double nesterov = 0, epochs = 1;
    num(train, "nesterov", nesterov);
    num(train, "epochs", epochs);
    c.nesterov = nesterov != 0;
    c.epochs = std::max<int64_t>(1, int64_t(epochs));
    if (auto schedule = train.getAs<DictionaryAttr>("schedule")) {
      if (auto kind = schedule.getAs<StringAttr>("kind"))
        c.schedule = kind.str();
      num(schedule, "every", c.every);
      num(schedule, "gamma", c.gamma);
      num(schedule, "min_lr", c.minLr);
      num(schedule, "warmup", c.warmup);
    }
    if (!llvm::is_contained({"constant", "step", "exponential", "cosine"},
                            c.schedule)) {
      module.emitError("unknown learning-rate schedule '") << c.schedule << "'";
      return failure();
    }
    return c;
  }
};

/// The element type the optimizer computes in, and keeps its state and the
/// counters `step` and `steps_per_epoch` in, for parameters of
/// `elementType`: f32 for floats narrower than 32 bits (f16 and bf16, whose
/// precision would stop `step` at 2048 and whose range flushes Adam's eps
/// and g^2 to zero), else the parameters' own type (f32, f64).
static Type computeTypeFor(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

/// `type` with the element type `elementType`.
static RankedTensorType withElementType(Type type, Type elementType) {
  return cast<RankedTensorType>(type).clone(elementType);
}

/// Builds the update of every parameter from its gradient. Values are 0-d
/// tensors for scalars; all arithmetic is dl ops in `computeType`:
/// parameters and gradients of another type are cast to it, and the new
/// parameters cast back (rounded to nearest).
class UpdateBuilder {
public:
  UpdateBuilder(OpBuilder &b, Location loc, const Config &c, Type computeType)
      : b(b), loc(loc), c(c), computeType(computeType) {}

  /// The optimizer state a parameter needs, as name suffixes.
  static SmallVector<StringRef> stateSuffixes(const Config &c) {
    if (c.optimizer == "adam" || c.optimizer == "adamw")
      return {"m", "v"};
    if (c.optimizer == "rmsprop")
      return c.momentum != 0 ? SmallVector<StringRef>{"sq", "momentum"}
                             : SmallVector<StringRef>{"sq"};
    if (c.momentum != 0)
      return {"momentum"};
    return {};
  }

  /// `params[i]` with gradient `grads[i]` and state `states[i]` (in
  /// stateSuffixes order, in computeType); `step`, `stepsPerEpoch` and
  /// `epochs` (null but for a cosine schedule) are 0-d, in computeType.
  /// Appends the new parameters (in the parameters'
  /// type) to `newParams`, the new states (flattened in the same order) to
  /// `newStates`, and returns the new step.
  Value build(ArrayRef<Value> params, ArrayRef<Value> grads,
              ArrayRef<SmallVector<Value>> states, Value step,
              Value stepsPerEpoch, Value epochs,
              SmallVectorImpl<Value> &newParams,
              SmallVectorImpl<Value> &newStates) {
    Value lr = learningRate(step, stepsPerEpoch, epochs);
    SmallVector<Value> g;
    for (Value grad : grads)
      g.push_back(widen(grad));
    if (c.clipNorm > 0) {
      // Global norm over all gradients; scale = min(1, clip / (norm + 1e-6)).
      Value sumSq;
      for (Value grad : g) {
        Value sq = reduceAll(mul(grad, grad));
        sumSq = sumSq ? add(sumSq, sq) : sq;
      }
      Value norm = b.create<SqrtOp>(loc, sumSq);
      Value scale = b.create<MinimumOp>(
          loc, k(1.0), div(k(c.clipNorm), add(norm, k(1e-6))));
      for (Value &grad : g)
        grad = mul(grad, scale);
    }
    Value t1 = add(step, k(1.0));
    // Adam's scalars, once per step (0-d values, not per element): the
    // bias corrections 1 - beta^t = 1 - exp(t ln beta) folded into the step
    // size lr / (1 - beta1^t) and the factor 1 / sqrt(1 - beta2^t), as
    // torch.optim.Adam computes them; each element then costs one sqrt and
    // one division.
    Value stepSize, invSqrtC2;
    if (c.optimizer == "adam" || c.optimizer == "adamw") {
      Value c1 = sub(k(1.0), exp(mul(t1, k(std::log(c.beta1)))));
      Value c2 = sub(k(1.0), exp(mul(t1, k(std::log(c.beta2)))));
      stepSize = div(lr, c1);
      invSqrtC2 = div(k(1.0), b.create<SqrtOp>(loc, c2));
    }
    for (auto [param, grad, state] : llvm::zip(params, g, states)) {
      Value p = widen(param);
      if (c.weightDecay > 0 && c.optimizer != "adamw")
        grad = add(grad, mul(k(c.weightDecay), p));
      Value update; // p_new = p - update
      if (c.optimizer == "sgd") {
        Value delta = grad;
        if (c.momentum != 0) {
          Value buf = add(mul(k(c.momentum), state[0]), grad);
          newStates.push_back(buf);
          delta = c.nesterov ? add(grad, mul(k(c.momentum), buf)) : buf;
        }
        update = mul(lr, delta);
      } else if (c.optimizer == "rmsprop") {
        Value sq = add(mul(k(c.alpha), state[0]),
                       mul(k(1 - c.alpha), mul(grad, grad)));
        newStates.push_back(sq);
        Value delta = div(grad, add(b.create<SqrtOp>(loc, sq), k(c.eps)));
        if (c.momentum != 0) {
          Value buf = add(mul(k(c.momentum), state[1]), delta);
          newStates.push_back(buf);
          delta = buf;
        }
        update = mul(lr, delta);
      } else { // adam, adamw
        Value m = add(mul(k(c.beta1), state[0]), mul(k(1 - c.beta1), grad));
        Value v = add(mul(k(c.beta2), state[1]),
                      mul(k(1 - c.beta2), mul(grad, grad)));
        newStates.push_back(m);
        newStates.push_back(v);
        // m_hat / (sqrt(v_hat) + eps) * lr, with m_hat = m / (1 - beta1^t)
        // and sqrt(v_hat) = sqrt(v) / sqrt(1 - beta2^t).
        Value denom =
            add(mul(b.create<SqrtOp>(loc, v).getResult(), invSqrtC2), k(c.eps));
        update = mul(stepSize, div(m, denom));
        if (c.optimizer == "adamw" && c.weightDecay > 0)
          update = add(update, mul(mul(lr, k(c.weightDecay)), p));
      }
      newParams.push_back(castTo(sub(p, update), param.getType()));
    }
    return t1;
  }

private:
  Value k(double v) {
    return b.create<FillOp>(loc, RankedTensorType::get({}, computeType),
                            b.getF64FloatAttr(v));
  }
  /// `x` as a tensor of `type` (a dl.cast unless it already is one).
  Value castTo(Value x, Type type) {
    return x.getType() == type ? x : b.create<CastOp>(loc, type, x);
  }
  /// `x` with computeType elements.
  Value widen(Value x) {
    return castTo(x, withElementType(x.getType(), computeType));
  }
  Value add(Value x, Value y) { return b.create<AddOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<SubOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<MulOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<DivOp>(loc, x, y); }
  Value exp(Value x) { return b.create<ExpOp>(loc, x); }
  Value reduceAll(Value x) {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    if (rank == 0)
      return x;
    return b.create<SumOp>(
        loc, x,
        b.getDenseI64ArrayAttr(llvm::to_vector(llvm::seq<int64_t>(0, rank))),
        nullptr);
  }

  /// lr at update `step` (0-based), epochs counted with `stepsPerEpoch`; a
  /// cosine schedule spans `epochs` of them (the run's, which the runtime
  /// sets: `--epochs` stretches the schedule).
  Value learningRate(Value step, Value stepsPerEpoch, Value epochs) {
    Value spe = b.create<MaximumOp>(loc, stepsPerEpoch, k(1.0));
    Value epoch = b.create<FloorOp>(loc, div(step, spe));
    Value lr = k(c.lr);
    if (c.schedule == "step") {
      Value drops = b.create<FloorOp>(loc, div(epoch, k(c.every)));
      lr = mul(lr, exp(mul(drops, k(std::log(c.gamma)))));
    } else if (c.schedule == "exponential") {
      lr = mul(lr, exp(mul(epoch, k(std::log(c.gamma)))));
    } else if (c.schedule == "cosine") {
      // min_lr + (lr - min_lr) (1 + cos(pi min(t / T, 1))) / 2, T = all steps.
      Value total =
          mul(spe, b.create<MaximumOp>(loc, epochs, k(1.0)));
      Value frac = b.create<MinimumOp>(loc, div(step, total), k(1.0));
      Value cosine = b.create<CosOp>(loc, mul(frac, k(M_PI)));
      lr = add(k(c.minLr), mul(k((c.lr - c.minLr) / 2), add(k(1.0), cosine)));
    }
    if (c.warmup > 0) {
      // Linear warmup over `warmup` epochs.
      Value steps = mul(spe, k(c.warmup));
      Value ramp = b.create<MinimumOp>(loc, k(1.0),
                                       div(add(step, k(1.0)), steps));
      lr = mul(lr, ramp);
    }
    return lr;
  }

  OpBuilder &b;
  Location loc;
  const Config &c;
  Type computeType;
};

struct DLOptimizerPass
    : public dlc::dl::impl::DLOptimizerPassBase<DLOptimizerPass> {

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto train = module->getAttrOfType<DictionaryAttr>("dl.train");
    SymbolTable symbols(module);
    auto grad = dyn_cast_or_null<func::FuncOp>(symbols.lookup("grad"));
    if (!train || !grad)
      return;
    FailureOr<Config> config = Config::read(module, train);
    if (failed(config))
      return signalPassFailure();
    for (StringRef name : {"train_step", "apply"})
      if (symbols.lookup(name)) {
        grad.emitError("cannot derive '") << name << "': it already exists";
        return signalPassFailure();
      }
    if (failed(buildTrainStep(symbols, grad, *config)) ||
        failed(buildApply(symbols, grad, *config)))
      return signalPassFailure();
  }

  /// The parameters of `grad` (argument indices) and their element type.
  static FailureOr<Type> paramElementType(func::FuncOp grad,
                                          SmallVectorImpl<unsigned> &params) {
    Type elementType;
    for (unsigned i = 0; i < grad.getNumArguments(); ++i) {
      if (getArgKind(grad, i) != kind::kParam)
        continue;
      params.push_back(i);
      Type t = cast<RankedTensorType>(grad.getArgument(i).getType())
                   .getElementType();
      if (elementType && t != elementType) {
        grad.emitError("parameters of different element types cannot share "
                       "one optimizer yet");
        return failure();
      }
      elementType = t;
    }
    if (!elementType)
      return Type(); // nothing to train
    return elementType;
  }

  /// Appends the optimizer state arguments for `params` (named after them,
  /// shaped like them, with `computeType` elements) and the scalars (0-d,
  /// `computeType`) to `func`; fills `states`, `step`, `spe` and, for a
  /// cosine schedule, `epochs` (the train block's epochs until the runtime
  /// sets the run's).
  void addStateArgs(func::FuncOp func, ArrayRef<Value> params,
                    ArrayRef<StringRef> names, const Config &c,
                    Type computeType,
                    SmallVectorImpl<SmallVector<Value>> &states, Value &step,
                    Value &spe, Value &epochs) {
    MLIRContext *ctx = func.getContext();
    auto add = [&](Type type, std::string name) {
      unsigned index = func.getNumArguments();
      func.insertArgument(index, type, makeMarks(ctx, kind::kOptState, name),
                          func.getLoc());
      return func.getArgument(index);
    };
    for (auto [p, name] : llvm::zip(params, names)) {
      SmallVector<Value> s;
      for (StringRef suffix : UpdateBuilder::stateSuffixes(c))
        s.push_back(add(withElementType(p.getType(), computeType),
                        (name + "." + suffix).str()));
      states.push_back(s);
    }
    auto scalar = RankedTensorType::get({}, computeType);
    step = add(scalar, "step");
    spe = add(scalar, "steps_per_epoch");
    epochs = Value();
    if (c.schedule == "cosine") {
      epochs = add(scalar, "epochs");
      Builder b(ctx);
      func.setArgAttr(
          cast<BlockArgument>(epochs).getArgNumber(), kInitAttr,
          b.getDictionaryAttr(
              {b.getNamedAttr("kind", b.getStringAttr("constant")),
               b.getNamedAttr("value", b.getF64FloatAttr(double(c.epochs)))}));
    }
  }

  /// Returns `results` plus the updates, with their marks.
  void finish(func::FuncOp func, func::ReturnOp ret,
              SmallVector<Value> results, SmallVector<DictionaryAttr> attrs,
              ArrayRef<Value> newParams, ArrayRef<StringRef> paramNames,
              ArrayRef<Value> newStates, ArrayRef<SmallVector<Value>> states,
              Value newStep) {
    MLIRContext *ctx = func.getContext();
    auto argName = [&](Value arg) {
      return getArgName(func, cast<BlockArgument>(arg).getArgNumber());
    };
    for (auto [v, name] : llvm::zip(newParams, paramNames)) {
      results.push_back(v);
      attrs.push_back(makeMarks(ctx, kind::kUpdate, name));
    }
    size_t k = 0;
    for (const SmallVector<Value> &s : states)
      for (Value old : s) {
        results.push_back(newStates[k++]);
        attrs.push_back(makeMarks(ctx, kind::kUpdate, argName(old)));
      }
    results.push_back(newStep);
    attrs.push_back(makeMarks(ctx, kind::kUpdate, "step"));
    setResults(func, ret, results, attrs);
  }

  LogicalResult buildTrainStep(SymbolTable &symbols, func::FuncOp grad,
                               const Config &c) {
    SmallVector<unsigned> paramIdx;
    FailureOr<Type> elementType = paramElementType(grad, paramIdx);
    if (failed(elementType))
      return failure();
    if (!*elementType)
      return success();
    func::FuncOp step = grad.clone();
    step.setSymName("train_step");
    markEntry(step, "train_step");
    symbols.insert(step);
    auto ret = cast<func::ReturnOp>(step.getBody().front().getTerminator());

    SmallVector<Value> params, grads, kept;
    SmallVector<StringRef> names;
    SmallVector<DictionaryAttr> keptAttrs;
    for (unsigned i : paramIdx) {
      params.push_back(step.getArgument(i));
      names.push_back(getArgName(step, i));
    }
    for (unsigned i = 0; i < step.getNumResults(); ++i) {
      if (getResultKind(step, i) == kind::kGrad)
        grads.push_back(ret.getOperand(i));
      else {
        kept.push_back(ret.getOperand(i));
        keptAttrs.push_back(step.getResultAttrDict(i));
      }
    }
    SmallVector<SmallVector<Value>> states;
    Value stepArg, spe, epochs;
    Type computeType = computeTypeFor(*elementType);
    addStateArgs(step, params, names, c, computeType, states, stepArg, spe,
                 epochs);
    OpBuilder b(ret);
    UpdateBuilder update(b, step.getLoc(), c, computeType);
    SmallVector<Value> newParams, newStates;
    Value newStep =
        update.build(params, grads, states, stepArg, spe, epochs,
                     newParams, newStates);
    finish(step, ret, kept, keptAttrs, newParams, names, newStates, states,
           newStep);
    return success();
  }

  LogicalResult buildApply(SymbolTable &symbols, func::FuncOp grad,
                           const Config &c) {
    SmallVector<unsigned> paramIdx;
    FailureOr<Type> elementType = paramElementType(grad, paramIdx);
    if (failed(elementType))
      return failure();
    if (!*elementType)
      return success();
    MLIRContext *ctx = grad.getContext();
    OpBuilder b(ctx);
    SmallVector<Type> argTypes;
    SmallVector<DictionaryAttr> argAttrs;
    SmallVector<StringRef> names;
    for (unsigned i : paramIdx) {
      argTypes.push_back(grad.getArgument(i).getType());
      argAttrs.push_back(grad.getArgAttrDict(i));
      names.push_back(getArgName(grad, i));
    }
    for (auto [i, name] : llvm::zip(paramIdx, names)) {
      argTypes.push_back(grad.getArgument(i).getType());
      argAttrs.push_back(makeMarks(ctx, kind::kGrad, name));
    }
    auto apply = func::FuncOp::create(grad.getLoc(), "apply",
                                      b.getFunctionType(argTypes, {}));
    apply.setAllArgAttrs(argAttrs);
    markEntry(apply, "apply");
    symbols.insert(apply);
    Block *body = apply.addEntryBlock();
    b.setInsertionPointToEnd(body);
    auto ret = b.create<func::ReturnOp>(apply.getLoc());

    size_t n = paramIdx.size();
    SmallVector<Value> params(body->getArguments().take_front(n));
    SmallVector<Value> grads(body->getArguments().slice(n, n));
    SmallVector<SmallVector<Value>> states;
    Value stepArg, spe, epochs;
    Type computeType = computeTypeFor(*elementType);
    addStateArgs(apply, params, names, c, computeType, states, stepArg, spe,
                 epochs);
    b.setInsertionPoint(ret);
    UpdateBuilder update(b, apply.getLoc(), c, computeType);
    SmallVector<Value> newParams, newStates;
    Value newStep =
        update.build(params, grads, states, stepArg, spe, epochs,
                     newParams, newStates);
    finish(apply, ret, {}, {}, newParams, names, newStates, states, newStep);
    return success();
  }
};

} // namespace
