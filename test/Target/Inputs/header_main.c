/* A C99 caller of the tiny_net model of header.dl: sizes and offsets from
 * the header, 64-byte aligned state and workspace, zero parameters (their
 * declared initializer), so the logits are 0 and the loss is log(5). */
#include "tiny.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  size_t i;
  void *state = aligned_alloc(DLC_BUFFER_ALIGN, TINY_NET_STATE_BYTES);
  void *workspace = aligned_alloc(DLC_BUFFER_ALIGN, 1024);
  float x[7 * 3], logits[7 * 5], loss = -1;
  int32_t y[7] = {0, 1, 2, 3, 4, 0, 1};
  if (!state || !workspace || TINY_NET_EVAL_WORKSPACE_BYTES > 1024 ||
      TINY_NET_FORWARD_WORKSPACE_BYTES > 1024)
    return 2;
  memset(state, 0xAB, TINY_NET_STATE_BYTES);
  for (i = 0; i < TINY_NET_NUM_STATE_TENSORS; ++i)
    if (tiny_net_state_tensors[i].init == DLC_INIT_ZEROS)
      memset((char *)state + tiny_net_state_tensors[i].offset, 0,
             tiny_net_state_tensors[i].bytes);
  for (i = 0; i < 7 * 3; ++i)
    x[i] = (float)i / 7.0f - 1.0f;
  for (i = 0; i < 7 * 5; ++i)
    logits[i] = -1;
  tiny_net_eval(state, x, y, &loss, logits, workspace);
  for (i = 0; i < 7 * 5; ++i)
    if (logits[i] != 0.0f) {
      printf("logits[%zu] = %g\n", i, (double)logits[i]);
      return 1;
    }
  printf("loss %.6f log(5) %.6f\n", (double)loss, log(5.0));
  free(state);
  free(workspace);
  return fabs(loss - log(5.0)) < 1e-6 ? 0 : 1;
}
