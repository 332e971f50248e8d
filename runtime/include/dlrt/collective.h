//===- dlrt/collective.h - the processes of a data-parallel run -*- C++ -*-===//
//
// A Communicator is what the trainer needs of the processes that train one
// model together: each runs the same program on its own shard of every
// global batch, and between the gradient and the update they sum the
// gradient buffer. dlrt itself depends on no transport; dlrt/mpi.h (the
// dlrt_mpi library, built when Open MPI is found) implements it on MPI, and
// an embedder may implement it on anything else.
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_COLLECTIVE_H
#define DLRT_COLLECTIVE_H

#include "dlrt/abi.h"

#include <cstdint>
#include <string>

namespace dlrt {

/// The processes of one training run. Every call is collective: every
/// process makes the same calls, in the same order, with the same sizes.
class Communicator {
public:
  virtual ~Communicator() = default;
  /// This process's index, 0 .. size() - 1. Rank 0 prints, logs and writes
  /// the checkpoints.
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Sums COUNT values of DTYPE (DLC_F32, DLC_F64 or DLC_I64) over the
  /// processes, in place; every process gets the same sums.
  virtual void allReduceSum(void *data, int64_t count, dlc_dtype dtype) = 0;
  /// Copies BYTES bytes at DATA from process ROOT to every other one.
  virtual void broadcast(void *data, uint64_t bytes, int root) = 0;
  /// Stops every process of the run with exit status CODE, after this one
  /// has reported why (the others may be waiting in a collective call).
  [[noreturn]] virtual void abort(int code) = 0;
};

/// Sums of COUNT doubles over COMM's processes, in place (a no-op without
/// COMM).
inline void allReduceSum(Communicator *comm, double *data, int64_t count) {
  if (comm && comm->size() > 1)
    comm->allReduceSum(data, count, DLC_F64);
}

/// The size of an MPI job this process was started in by a launcher
/// (mpirun, srun, ...) as its environment says, or 1: a trainer built
/// without MPI refuses to run as one of many processes, each of which would
/// train alone and write the same checkpoints.
int launcherProcessCount();

} // namespace dlrt

#endif // DLRT_COLLECTIVE_H
