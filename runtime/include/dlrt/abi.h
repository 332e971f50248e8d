/*===- dlrt/abi.h - the descriptor types of dlc's generated headers -------===*
 *
 * The definitions every header written by `dlc compile` carries: the
 * guarded block below is embedded into dlc at build time
 * (compiler/Target/CMakeLists.txt), so this is their one source; model
 * headers carry a copy under the same include guard, so either may come
 * first. dlrt is compiled
 * against this copy; DLRT_CHECK_ABI() (used by dlrt/model.h) verifies at
 * compile time that a model header's copy has the same layout.
 *
 * Valid C and C++.
 *===----------------------------------------------------------------------===*/
#ifndef DLRT_ABI_H
#define DLRT_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifndef DLC_ABI_TYPES_DEFINED
#define DLC_ABI_TYPES_DEFINED
/** Element type of a tensor. */
typedef enum dlc_dtype {
  DLC_F32 = 0, DLC_F64 = 1, DLC_I32 = 2, DLC_I64 = 3,
  DLC_I8 = 4, DLC_BOOL = 5, DLC_F16 = 6, DLC_BF16 = 7
} dlc_dtype;
/** Role of a tensor in a model. */
typedef enum dlc_kind {
  DLC_PARAM = 0, DLC_STATE = 1, DLC_INPUT = 2, DLC_LABEL = 3,
  DLC_OUTPUT = 4, DLC_LOSS = 5, DLC_OPT_STATE = 6, DLC_GRAD = 7
} dlc_kind;
#define DLC_MAX_RANK 8
#define DLC_BUFFER_ALIGN 64
/** How a state tensor starts: NONE is zeros (optimizer state); UNIFORM
 *  draws from [a, b); NORMAL has mean a and standard deviation b; CONSTANT
 *  is a. */
typedef enum dlc_init {
  DLC_INIT_NONE = 0, DLC_INIT_ZEROS = 1, DLC_INIT_ONES = 2,
  DLC_INIT_CONSTANT = 3, DLC_INIT_UNIFORM = 4, DLC_INIT_NORMAL = 5
} dlc_init;
/** One tensor: its name, role, element type, shape, (for parameters and
 *  state) its byte offset in the state buffer, and its initializer. */
typedef struct dlc_tensor_info {
  const char *name;
  dlc_kind kind;
  dlc_dtype dtype;
  int32_t rank;
  int64_t shape[DLC_MAX_RANK];
  uint64_t offset;
  uint64_t bytes;
  dlc_init init;
  double init_a, init_b;
} dlc_tensor_info;
/** A piece of a parallel loop: runs iterations [begin, end) of the loop
 *  CONTEXT describes. */
typedef void (*dlc_parallel_task)(void *context, int64_t begin, int64_t end);
/** The caller's parallel-for (M_set_parallel_for): runs TASK over a split
 *  of [0, n) into contiguous ranges, on POOL's threads and the calling one,
 *  and returns when every range has run. Which thread runs which range does
 *  not change the results. */
typedef void (*dlc_parallel_for_fn)(void *pool, dlc_parallel_task task,
                                    void *context, int64_t n);
#endif /* DLC_ABI_TYPES_DEFINED */

/* The layout dlrt was compiled against. */
#define DLRT_ABI_MAX_RANK 8
#define DLRT_ABI_TENSOR_INFO_BYTES 128
#define DLRT_ABI_OFFSETOF_INIT_B 120

#ifdef __cplusplus
/** Fails to compile when the dlc_tensor_info in scope (a model header's, if
 *  it came first) differs from the one dlrt was built with. */
#define DLRT_CHECK_ABI()                                                       \
  static_assert(DLC_MAX_RANK == DLRT_ABI_MAX_RANK &&                           \
                    sizeof(dlc_tensor_info) == DLRT_ABI_TENSOR_INFO_BYTES &&   \
                    offsetof(dlc_tensor_info, init_b) ==                       \
                        DLRT_ABI_OFFSETOF_INIT_B,                              \
                "the model header's dlc_tensor_info differs from dlrt's "      \
                "(dlrt/abi.h): rebuild dlrt with this dlc")
#endif

#endif /* DLRT_ABI_H */
