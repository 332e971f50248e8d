//===- TilingPolicy.cpp - tile sizes per op kind --------------------------===//
//
// Part of dlc. Measured reasons for these choices:
// shared/notes/cpu-matmul-codegen.md and docs/architecture.md.
//
//===----------------------------------------------------------------------===//

#include "Codegen/TilingPolicy.h"

#include <algorithm>

namespace dlc {

int64_t pickTile(int64_t dim, int64_t target, int64_t multiple) {
  int64_t tile = 1;
  target = std::max<int64_t>(1, std::min(dim, target));
  bool found = false;
  if (multiple > 1)
    for (int64_t t = target - target % multiple; t >= multiple && !found;
         t -= multiple)
      if (dim % t == 0) {
        tile = t;
        found = true;
      }
  for (int64_t t = target; t > 1 && !found; --t)
    if (dim % t == 0) {
      tile = t;
      found = true;
    }
  return tile == dim ? 0 : tile;
}

int64_t pickOuterTile(int64_t dim, int64_t target, int64_t unit) {
  if (unit == 0) // the register tile already spans the dim
    return 0;
  int64_t best = unit;
  for (int64_t t = unit; t <= std::min(dim, target); t += unit)
    if (dim % t == 0)
      best = t;
  return best == dim ? 0 : best;
}

ContractionTiles chooseContractionTiles(const TargetFacts &target, int64_t m,
                                        int64_t n, int64_t k) {
  ContractionTiles tiles;
  int64_t lanes = target.f32Lanes();
  // Two vectors of N per row; as many rows as registers allow, keeping
  // two registers for the B row and one for the A broadcast.
  int64_t vectorsPerRow = 2;
  int64_t rowsTarget = std::clamp<int64_t>(
      (int64_t(target.numRegisters) - vectorsPerRow - 1) / vectorsPerRow, 1,
      8);
  tiles.mr = pickTile(m, rowsTarget);
  // Rows: a divisor of M, unless the best one is under half the target
  // (a prime M would get 1-row tiles): then full tiles of the target, the
  // loop peeled.
  tiles.peelM = m > rowsTarget && tiles.mr != 0 && 2 * tiles.mr < rowsTarget;
  if (tiles.peelM)
    tiles.mr = rowsTarget;
  int64_t rowWidth = vectorsPerRow * lanes;
  // N not a multiple of the vector width: full-width vectors masked at the
  // edge (one masked register tile below two vectors, else tiles of two
  // vectors and a peeled, shorter last one). Not for K = 1 (an outer
  // product): MLIR 19 does not lower its masked broadcast read of A.
  tiles.maskN = n > 1 && n % lanes != 0 && k > 1;
  tiles.nr = tiles.maskN ? (n > rowWidth ? rowWidth : 0)
                         : pickTile(n, rowWidth, lanes);
  tiles.mc = tiles.peelM ? tiles.mr : pickOuterTile(m, 32, tiles.mr);
  tiles.nc = tiles.maskN ? tiles.nr : pickOuterTile(n, 64, tiles.nr);
  // A B panel of 256 x 64 floats (64 KiB) stays in L2 across the cache
  // tile's register tiles; the accumulator reloads cost mc nc per block.
  if (k > 1024 && !tiles.peelM && !tiles.maskN) {
    int64_t kc = pickTile(k, 256, 16);
    tiles.kc = kc >= 64 ? kc : 0;
  }
  return tiles;
}

GenericTiles chooseGenericTiles(const TargetFacts &target,
                                llvm::ArrayRef<int64_t> ranges,
                                bool innermostVectorizable,
                                llvm::ArrayRef<bool> reduced) {
  GenericTiles tiles;
  int64_t lanes = target.f32Lanes();
  int64_t rank = ranges.size();
  int64_t inner = ranges[rank - 1];
  // An innermost parallel dimension that is not a multiple of the vector
  // width gets full-width vectors anyway, masked at the edge: one masked
  // tile below two vectors, else tiles of two vectors and a peeled, shorter
  // last one. A reduction along it keeps tiles that divide it.
  tiles.maskInnermost =
      innermostVectorizable && inner > 1 && inner % lanes != 0;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size;
    if (d == rank - 1 && tiles.maskInnermost)
      size = inner > 2 * lanes ? 2 * lanes : 0;
    else if (d == rank - 1)
      size = pickTile(inner, 2 * lanes, lanes);
    else if (!reduced.empty() && reduced[d] && !reduced[rank - 1])
      size = ranges[d] == 1 ? 0 : 1; // vector accumulators, no cross-row sum
    else if (d == rank - 2)
      // Up to 4 rows, more when the rows are short (a 2 x 2 pooling
      // window's [ow, kw] = [14, 2]): about two vectors' worth per tile.
      size = pickTile(ranges[d], std::max<int64_t>(4, 2 * lanes / inner));
    else
      size = ranges[d] == 1 ? 0 : 1;
    tiles.sizes.push_back(size);
  }
  return tiles;
}

GenericTiles chooseConvolutionTiles(const TargetFacts &target,
                                    llvm::ArrayRef<int64_t> ranges,
                                    const ConvolutionLoops &loops) {
  GenericTiles tiles;
  int64_t lanes = target.f32Lanes();
  if (loops.outputImage.empty() || loops.outputChannel.empty())
    return tiles;
  unsigned row = loops.outputImage.back();
  unsigned channel = loops.outputChannel.back();
  int64_t width = ranges[row];
  if (2 * width < lanes)
    return tiles;
  for (int64_t range : ranges)
    tiles.sizes.push_back(range == 1 ? 0 : 1);
  // The row: whole when it fits two vectors, else tiles of two vectors. A
  // ragged row keeps its length (28: LLVM splits it into 16 + 8 + 4 lanes):
  // MLIR 19 turns the outer product into a vector.contract whose mask it
  // then lowers wrongly.
  tiles.sizes[row] = width <= 2 * lanes ? 0 : 2 * lanes;
  // Channels: as many accumulator rows as the registers hold beside one row
  // of the input and a broadcast weight (8 with 32 registers; 4 of 16
  // channels with AVX2's 16, where 8 would spill every step).
  int64_t vectors = (std::min(width, 2 * lanes) + lanes - 1) / lanes;
  int64_t channels = std::clamp<int64_t>(
      (int64_t(target.numRegisters) - vectors - 1) / vectors, 1, 8);
  tiles.sizes[channel] = pickTile(ranges[channel], channels);
  return tiles;
}

GenericTiles chooseLanePartialTiles(const TargetFacts &target,
                                    llvm::ArrayRef<int64_t> ranges,
                                    const LanePartialLoops &loops,
                                    int64_t firstReduction) {
  GenericTiles tiles;
  int64_t lanes = target.f32Lanes();
  // The lane loop: whole vectors, at most 4 (each accumulator is one).
  if (loops.lane < 0 || ranges[loops.lane] % lanes != 0 ||
      ranges[loops.lane] > 4 * lanes)
    return tiles;
  int64_t vectors = ranges[loops.lane] / lanes;
  int64_t registers = target.numRegisters;
  auto divisors = [](int64_t range, int64_t limit) {
    llvm::SmallVector<int64_t> out;
    for (int64_t t = 1; t <= std::min(range, limit); ++t)
      if (range % t == 0)
        out.push_back(t);
    return out;
  };
  int64_t lhsRange = loops.lhs < 0 ? 1 : ranges[loops.lhs];
  int64_t rhsRange = loops.rhs < 0 ? 1 : ranges[loops.rhs];
  // The most accumulators, then the fewest operand loads per FMA ((a + b) v
  // loads for a b v FMAs). The lanes may be split into tiles of v vectors:
  // with AVX2's 16 registers, 4 x 2 channels of one vector (6 loads for 8
  // FMAs) beat 2 x 2 of two (8 for 8).
  int64_t bestV = vectors, bestA = 1, bestB = 1;
  for (int64_t v : divisors(vectors, vectors))
    for (int64_t a : divisors(lhsRange, 8))
      for (int64_t b : divisors(rhsRange, 8)) {
        int64_t acc = a * b * v, bestAcc = bestA * bestB * bestV;
        if (4 * acc > 3 * registers ||
            acc + std::min(a, b) * v + 1 > registers)
          continue;
        if (acc > bestAcc ||
            (acc == bestAcc && (a + b) * bestA * bestB <
                                   (bestA + bestB) * a * b)) {
          bestV = v;
          bestA = a;
          bestB = b;
        }
      }
  for (int64_t range : ranges)
    tiles.sizes.push_back(range == 1 ? 0 : 1);
  tiles.sizes[loops.lane] = bestV == vectors ? 0 : bestV * lanes;
  if (loops.lhs >= 0)
    tiles.sizes[loops.lhs] = bestA == lhsRange ? 0 : bestA;
  if (loops.rhs >= 0)
    tiles.sizes[loops.rhs] = bestB == rhsRange ? 0 : bestB;
  tiles.interchange.push_back(firstReduction);
  for (int64_t d = 0, e = ranges.size(); d < e; ++d)
    if (d != firstReduction)
      tiles.interchange.push_back(d);
  // Steps of the inner reduction loops per step of the first one.
  int64_t inner = 1;
  for (int64_t d = firstReduction + 1, e = ranges.size(); d < e; ++d)
    inner *= ranges[d];
  int64_t first = ranges[firstReduction];
  for (int64_t b = 2; b <= first; ++b)
    if (first % b == 0 && b * inner <= 64)
      tiles.reductionBlock = b;
  return tiles;
}

ParallelSplit chooseParallelSplit(llvm::ArrayRef<int64_t> ranges,
                                  llvm::ArrayRef<int64_t> candidates,
                                  llvm::ArrayRef<int64_t> units) {
  ParallelSplit best;
  int64_t bestChunks = 1;
  for (auto [loop, unit] : llvm::zip(candidates, units)) {
    if (loop < 0)
      continue;
    int64_t range = ranges[loop];
    int64_t step = unit == 0 ? range : unit;
    // Tiles of whole register tiles, about range / kParallelChunks each.
    int64_t tile = pickOuterTile(range, std::max(step, range / kParallelChunks),
                                 step);
    if (tile == 0)
      continue;
    int64_t chunks = range / tile;
    if (chunks > bestChunks) {
      best = {loop, tile};
      bestChunks = chunks;
    }
  }
  return best;
}

} // namespace dlc
