//===- dlrt/model.h - a compiled model, seen through its header -*- C++ -*-===//
//
// dlrt::Model gathers what a model header declares (see dlc's docs/abi.md)
// into one value the runtime can use without knowing the model: its name,
// the state buffer's size and descriptor table, and for train_step, eval and
// forward a type-erased entry point with its argument table and workspace
// size. A model header becomes a Model with one macro:
//
//   #include "fashion_mlp.h"
//   #include <dlrt/model.h>
//   dlrt::Model m = DLRT_MODEL(fashion_mlp, FASHION_MLP);
//
// or, entry by entry (for a model without some entry point):
//
//   m.forward = DLRT_ENTRY(fashion_mlp, FASHION_MLP, forward, FORWARD);
//
// (runtime/templates/trainer_main.cpp.in does this for `dlc build`.)
//
// A type-erased call takes one array: [state, arg 0, ..., arg N-1,
// workspace], the args in the order of the entry's descriptor table; grad
// and apply (Entry::takesGrads) take [state, grads, args..., workspace].
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_MODEL_H
#define DLRT_MODEL_H

#include "dlrt/abi.h"
#include "dlrt/tensor.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dlrt {

/// One entry point of a compiled model.
struct Entry {
  /// Calls the function with [state, args..., workspace].
  void (*call)(void *const *args) = nullptr;
  /// The pointer arguments, in order (inputs, labels, loss, outputs).
  const dlc_tensor_info *args = nullptr;
  int numArgs = 0;
  uint64_t workspaceBytes = 0;
  const char *name = ""; // "train_step", "eval", "forward", "grad", "apply"
  /// Whether the function takes the gradient buffer (grad, apply).
  bool takesGrads = false;

  explicit operator bool() const { return call != nullptr; }
  /// Index of the I-th argument of KIND, or -1.
  int find(dlc_kind kind, int i = 0) const;
  /// Index of the argument named NAME, or -1.
  int find(const std::string &name) const;
};

/// One accuracy a model declares (the header's M_METRICS): the output and
/// label it compares, and how.
struct Metric {
  const char *output = "", *label = "";
  /// "argmax" (class ids or one-hot), "sequence" (an example counts when
  /// every position is right) or "threshold" (output > threshold vs
  /// label > threshold); "" = argmax when the output has more than one
  /// value per example.
  const char *mode = "";
  double threshold = 0.5;
  /// Argmax: positions whose label is IGNOREINDEX do not count (as
  /// cross_entropy's ignore_index).
  bool ignores = false;
  int64_t ignoreIndex = 0;
};

/// An integer input whose ids index an embedding table of ROWS rows.
struct IdBound {
  const char *input = "";
  int64_t rows = 0;
};

/// A compiled model: everything the runtime needs from its header.
struct Model {
  const char *name = "";
  uint64_t stateBytes = 0;
  const dlc_tensor_info *stateTensors = nullptr;
  int numStateTensors = 0;
  Entry trainStep, eval, forward;
  /// grad and apply (a train_step in two halves, for data-parallel runs:
  /// the gradient buffer is summed across processes in between), with the
  /// buffer's size and descriptor table (DLC_GRAD tensors).
  Entry grad, apply;
  uint64_t gradsBytes = 0;
  const dlc_tensor_info *gradTensors = nullptr;
  int numGradTensors = 0;

  /// The train block's settings (0 = not given).
  int64_t epochs = 0, batch = 0;
  uint64_t seed = 0;
  /// The train block's `data`: what the trainer reads without --data (a
  /// path or a data set name); null = the default for the model's inputs.
  const char *data = nullptr;
  /// Integer inputs whose ids index an embedding table (the header's
  /// M_INPUT_ID_BOUNDS): the trainer refuses data outside [0, rows).
  std::vector<IdBound> inputIdBounds;
  /// The metrics the model declares (an accuracy each), in order; the
  /// first is the primary one (predictions use its output). None: the
  /// trainer reports the loss alone.
  std::vector<Metric> metrics;
  /// The header's M_set_parallel_for: hands the model's parallel loops a
  /// parallel-for (null: a model without one; its loops run serially).
  void (*setParallelFor)(dlc_parallel_for_fn fn, void *pool) = nullptr;

  /// Index of the state tensor named NAME, or -1.
  int findState(const std::string &name) const;
  /// The entry point whose arguments describe the model's data:
  /// train_step, else eval, else forward.
  const Entry &dataEntry() const {
    return trainStep ? trainStep : eval ? eval : forward;
  }
  /// Throws Error when the tables are inconsistent (offsets outside the
  /// buffer or misaligned, sizes that disagree with shape x dtype, ...).
  void validate() const;
};

/// Fills STATE (MODEL.stateBytes bytes) from the descriptors' initializers:
/// NONE and ZEROS give 0, ONES 1, CONSTANT a, UNIFORM [a, b), NORMAL with
/// mean a and standard deviation b. Each tensor draws from its own stream,
/// seeded from (SEED, tensor name), so that one tensor's values do not
/// depend on the others. Bytes between tensors are zeroed.
void initializeState(const dlc_tensor_info *tensors, int count,
                     uint64_t stateBytes, void *state, uint64_t seed);
inline void initializeState(const Model &model, void *state, uint64_t seed) {
  initializeState(model.stateTensors, model.numStateTensors, model.stateBytes,
                  state, seed);
}

/// A model with its buffers: the state, one workspace shared by all entry
/// points, and one buffer per argument of each entry point.
class Session {
public:
  explicit Session(const Model &model);

  const Model &model() const { return model_; }
  void *state() const { return state_.data(); }
  /// The state tensor named NAME (throws when missing).
  TensorView stateTensor(const std::string &name) const;
  /// initializeState with SEED.
  void initialize(uint64_t seed);
  /// Sets the 0-d "steps_per_epoch" state tensor when the model has one
  /// (learning-rate schedules read it); returns whether it had one.
  bool setStepsPerEpoch(int64_t steps);
  /// Sets the 0-d "epochs" state tensor when the model has one (a cosine
  /// schedule spans that many epochs; it starts as the train block's);
  /// returns whether it had one.
  bool setEpochs(int64_t epochs);

  /// The gradient buffer (MODEL.gradsBytes bytes, zeroed at first).
  void *grads() const { return grads_.data(); }
  /// The buffer of argument I of ENTRY.
  TensorView arg(const Entry &entry, int i) const;
  /// Calls ENTRY on the session's buffers.
  void run(const Entry &entry);

private:
  /// Sets the 0-d state tensor NAME to VALUE; false when there is none.
  bool setScalarState(const char *name, double value);

  struct Buffers {
    const Entry *entry;
    std::vector<AlignedBuffer> args;
  };
  const Buffers &buffersOf(const Entry &entry) const;

  Model model_;
  AlignedBuffer state_, grads_, workspace_;
  std::vector<Buffers> buffers_;
  std::vector<void *> callArgs_;
};

namespace detail {
template <auto F, int N> struct Erase;
/// F called with [state, args..., workspace] (N + 2 parameters; one
/// without state, N + 1, skips it), or [state, grads, args..., workspace]
/// (N + 3: grad and apply).
template <typename... A, void (*F)(A...), int N> struct Erase<F, N> {
  static_assert(sizeof...(A) >= size_t(N) + 1 && sizeof...(A) <= size_t(N) + 3,
                "entry point arity does not match its argument table");
  static constexpr bool kTakesGrads = sizeof...(A) == size_t(N) + 3;
  static constexpr size_t kFirst = sizeof...(A) == size_t(N) + 1 ? 1 : 0;
  template <size_t... I>
  static void invoke(void *const *a, std::index_sequence<I...>) {
    F(static_cast<A>(a[I + kFirst])...);
  }
  static void call(void *const *a) { invoke(a, std::index_sequence_for<A...>{}); }
};
} // namespace detail

} // namespace dlrt

/// The Entry of function m_fn (header macros M_FN_NUM_ARGS and
/// M_FN_WORKSPACE_BYTES, table m_fn_args).
#define DLRT_ENTRY(m, M, fn, FN)                                               \
  ::dlrt::Entry {                                                              \
    &::dlrt::detail::Erase<&m##_##fn, M##_##FN##_NUM_ARGS>::call,              \
        m##_##fn##_args, M##_##FN##_NUM_ARGS,                                  \
        (uint64_t)M##_##FN##_WORKSPACE_BYTES, #fn,                             \
        ::dlrt::detail::Erase<&m##_##fn, M##_##FN##_NUM_ARGS>::kTakesGrads     \
  }

/// The Entry of function m_fn that takes no tensor arguments (the header
/// has no m_fn_args table: M_FN_NUM_ARGS is 0), such as m_apply.
#define DLRT_ENTRY_NO_ARGS(m, M, fn, FN)                                       \
  ::dlrt::Entry {                                                              \
    &::dlrt::detail::Erase<&m##_##fn, 0>::call, nullptr, 0,                    \
        (uint64_t)M##_##FN##_WORKSPACE_BYTES, #fn,                             \
        ::dlrt::detail::Erase<&m##_##fn, 0>::kTakesGrads                       \
  }

namespace dlrt::detail {
inline Model makeModel(const char *name, uint64_t stateBytes,
                       const dlc_tensor_info *tensors, int count, Entry train,
                       Entry eval, Entry forward,
                       void (*setParallelFor)(dlc_parallel_for_fn, void *)) {
  Model m;
  m.setParallelFor = setParallelFor;
  m.name = name;
  m.stateBytes = stateBytes;
  m.stateTensors = tensors;
  m.numStateTensors = count;
  m.trainStep = train;
  m.eval = eval;
  m.forward = forward;
  return m;
}
} // namespace dlrt::detail

/// One dlrt::Metric of a header's M_METRICS row.
#define DLRT_METRIC_ROW(output, label, mode, threshold, ignores, ignoreIndex)  \
  ::dlrt::Metric{output, label, mode, threshold, (ignores) != 0, ignoreIndex},
/// The metrics of a header that declares some (M_METRICS defined), as
/// Model::metrics: `m.metrics = DLRT_METRICS(FASHION_MLP);`.
#define DLRT_METRICS(M) std::vector<::dlrt::Metric>{M##_METRICS(DLRT_METRIC_ROW)}

/// One dlrt::IdBound of a header's M_INPUT_ID_BOUNDS row.
#define DLRT_ID_BOUND_ROW(input, rows) ::dlrt::IdBound{input, rows},
/// The bounds of a header that has some (M_INPUT_ID_BOUNDS defined), as
/// Model::inputIdBounds.
#define DLRT_ID_BOUNDS(M)                                                      \
  std::vector<::dlrt::IdBound> { M##_INPUT_ID_BOUNDS(DLRT_ID_BOUND_ROW) }

/// The Model of a header with train_step, eval and forward (the train
/// block's settings and the metric are left unset: see
/// runtime/templates/trainer_main.cpp.in for a glue that sets them).
#define DLRT_MODEL(m, M)                                                       \
  ([] {                                                                        \
    DLRT_CHECK_ABI();                                                          \
    return ::dlrt::detail::makeModel(                                          \
        #m, (uint64_t)M##_STATE_BYTES, m##_state_tensors,                      \
        M##_NUM_STATE_TENSORS, DLRT_ENTRY(m, M, train_step, TRAIN_STEP),       \
        DLRT_ENTRY(m, M, eval, EVAL), DLRT_ENTRY(m, M, forward, FORWARD),      \
        &m##_set_parallel_for);                                                \
  }())

#endif // DLRT_MODEL_H
