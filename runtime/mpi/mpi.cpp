//===- mpi.cpp - dlrt::Communicator over MPI (the dlrt_mpi library) -------===//
#include "dlrt/mpi.h"
#include "dlrt/error.h"

// The C API only (Open MPI and MPICH otherwise pull in their C++ bindings).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstdio>

namespace dlrt {

MpiCommunicator::MpiCommunicator(int *argc, char ***argv) {
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiCommunicator::~MpiCommunicator() { MPI_Finalize(); }

void MpiCommunicator::allReduceSum(void *data, int64_t count, dlc_dtype dtype) {
  MPI_Datatype type;
  size_t size;
  switch (dtype) {
  case DLC_F32:
    type = MPI_FLOAT;
    size = 4;
    break;
  case DLC_F64:
    type = MPI_DOUBLE;
    size = 8;
    break;
  case DLC_I64:
    type = MPI_INT64_T;
    size = 8;
    break;
  default:
    fail("allReduceSum: element type " + std::to_string(int(dtype)) +
         " is not summed across processes");
  }
  // MPI counts are ints: a buffer past 2^31 elements goes in pieces.
  char *p = static_cast<char *>(data);
  for (int64_t done = 0; done < count;) {
    int n = int(std::min<int64_t>(count - done, INT_MAX));
    MPI_Allreduce(MPI_IN_PLACE, p + size_t(done) * size, n, type, MPI_SUM,
                  MPI_COMM_WORLD);
    done += n;
  }
}

void MpiCommunicator::broadcast(void *data, uint64_t bytes, int root) {
  char *p = static_cast<char *>(data);
  for (uint64_t done = 0; done < bytes;) {
    int n = int(std::min<uint64_t>(bytes - done, INT_MAX));
    MPI_Bcast(p + done, n, MPI_BYTE, root, MPI_COMM_WORLD);
    done += uint64_t(n);
  }
}

void MpiCommunicator::abort(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code); // MPI_Abort does not return; in case it does
}

} // namespace dlrt
