/* Calls scale(x, y) of denormals.mlir on products below FLT_MIN: the
 * entry point flushes them to zero (--denormals=flush) or keeps them
 * (--denormals=keep, argv[1] = "keep"); either way the caller's MXCSR is
 * mode is the same after the call. */
#include "denormals.h"

#include <float.h>
#include <stdio.h>
#include <string.h>
#include <xmmintrin.h>

int main(int argc, char **argv) {
  int keep = argc > 1 && strcmp(argv[1], "keep") == 0;
  float x[16], y[16], r[16];
  for (int i = 0; i < 16; ++i) {
    x[i] = 1e-20f;
    y[i] = 1e-20f * (float)(i + 1); /* products 1e-40 .. 1.6e-39 < FLT_MIN */
  }
  /* The mode (all but the six exception flags, which the call may raise). */
  unsigned before = _mm_getcsr() & ~0x3fu;
  scale(x, y, r, NULL);
  unsigned after = _mm_getcsr() & ~0x3fu;
  if (before != after) {
    printf("MXCSR changed: %#x -> %#x\n", before, after);
    return 1;
  }
  for (int i = 0; i < 16; ++i) {
    int subnormal = r[i] != 0.0f && r[i] < FLT_MIN;
    if (keep ? !subnormal : r[i] != 0.0f) {
      printf("r[%d] = %g: expected %s\n", i, r[i],
             keep ? "a subnormal" : "zero");
      return 1;
    }
  }
  printf("ok: %s\n", keep ? "subnormals kept" : "subnormals flushed");
  return 0;
}
