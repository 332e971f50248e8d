//===- dlrt/mpi.h - a Communicator over MPI ---------------------*- C++ -*-===//
//
// The dlrt_mpi library (built when CMake finds MPI; `dlc build --mpi` links
// it): MpiCommunicator initializes MPI for the process's lifetime and
// implements dlrt::Communicator on MPI_COMM_WORLD. Only the thread that
// created it calls MPI (MPI_THREAD_FUNNELED): the thread pool's workers
// never do.
//
//===----------------------------------------------------------------------===//
#ifndef DLRT_MPI_H
#define DLRT_MPI_H

#include "dlrt/collective.h"

namespace dlrt {

class MpiCommunicator final : public Communicator {
public:
  /// MPI_Init_thread(ARGC, ARGV); MPI's errors stop the job
  /// (MPI_ERRORS_ARE_FATAL).
  MpiCommunicator(int *argc, char ***argv);
  /// MPI_Finalize.
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator &) = delete;
  MpiCommunicator &operator=(const MpiCommunicator &) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void allReduceSum(void *data, int64_t count, dlc_dtype dtype) override;
  void broadcast(void *data, uint64_t bytes, int root) override;
  [[noreturn]] void abort(int code) override;

private:
  int rank_ = 0, size_ = 1;
};

} // namespace dlrt

#endif // DLRT_MPI_H
