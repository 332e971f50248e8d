//===- model_harness.h - harnesses built against one compiled model -------===//
//
// Part of dlc's e2e tests. A harness of a whole model (mlp_model.cpp,
// torch_parity.cpp) is compiled with -include NAME.h -DMODEL=NAME
// -DMODEL_UPPER=UPPER; CAT(MODEL, _eval) is then NAME_eval, and the names
// below stand for the header's state table and forward entry point.
//
//===----------------------------------------------------------------------===//

#ifndef DLC_TEST_E2E_MODEL_HARNESS_H
#define DLC_TEST_E2E_MODEL_HARNESS_H

#include "harness.h"

#include <cstring>
#include <string>

#if !defined(MODEL) || !defined(MODEL_UPPER)
#error "compile with -DMODEL=name -DMODEL_UPPER=NAME and -include name.h"
#endif

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define STR2(a) #a
#define STR(a) STR2(a)

#define STATE_TENSORS CAT(MODEL, _state_tensors)
#define STATE_BYTES CAT(MODEL_UPPER, _STATE_BYTES)
#define FORWARD CAT(MODEL, _forward)
#define FORWARD_ARGS CAT(MODEL, _forward_args)
#define FORWARD_WORKSPACE CAT(MODEL_UPPER, _FORWARD_WORKSPACE_BYTES)

namespace e2e {

/// The number of entries of a descriptor table.
template <size_t N> constexpr size_t count(const dlc_tensor_info (&)[N]) {
  return N;
}

/// The entry of TABLE (N entries) named NAME, or null.
inline const dlc_tensor_info *findTensor(const dlc_tensor_info *table,
                                         size_t n, const char *name) {
  for (size_t i = 0; i < n; ++i)
    if (std::strcmp(name, table[i].name) == 0)
      return &table[i];
  return nullptr;
}

/// The first entry of TABLE (N entries) of KIND, or null.
inline const dlc_tensor_info *findKind(const dlc_tensor_info *table, size_t n,
                                       dlc_kind kind) {
  for (size_t i = 0; i < n; ++i)
    if (table[i].kind == kind)
      return &table[i];
  return nullptr;
}

/// The model's state tensor named NAME, or null.
inline const dlc_tensor_info *findState(const std::string &name) {
  return findTensor(STATE_TENSORS, count(STATE_TENSORS), name.c_str());
}

} // namespace e2e

#endif // DLC_TEST_E2E_MODEL_HARNESS_H
