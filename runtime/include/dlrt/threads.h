//===- dlrt/threads.h - the thread pool of generated parallel loops -------===//
//
// Part of dlrt. Generated code runs its parallel loops through the
// parallel-for a model is given (M_set_parallel_for, docs/abi.md); dlrt's is
// ThreadPool::parallelFor. A parallel-for hands out [0, n) in blocks of
// iterations to whichever thread is free, the calling one included; each
// iteration is a fixed set of output tiles, computed the same way whatever
// thread runs it, so the results are bitwise the same whatever the number
// of threads.
//
//===----------------------------------------------------------------------===//

#ifndef DLRT_THREADS_H
#define DLRT_THREADS_H

#include "dlrt/abi.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace dlrt {

/// The most threads a pool takes.
constexpr int kMaxThreads = 1024;

/// A fixed set of worker threads that run parallel loops with the calling
/// thread. Workers spin for a short while after each loop (the next kernel
/// of a step follows within microseconds), then sleep.
class ThreadPool {
public:
  /// A pool of THREADS threads in all: the caller and THREADS - 1 workers
  /// (THREADS < 1 counts as 1: no workers).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Threads that take part in a loop, the caller included.
  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  /// Runs TASK(CONTEXT, begin, end) over [0, N) in blocks of
  /// ceil(N / threads()) iterations, taken in order by the caller and the
  /// workers as each becomes free (a worker late from sleep leaves its
  /// block to another); returns when all have run. A call made while the pool runs
  /// another loop (from another thread, or from inside a task) runs its
  /// whole range on the calling thread: the pool never oversubscribes.
  void parallelFor(dlc_parallel_task task, void *context, int64_t n);

  /// parallelFor as the C hook a model takes (dlc_parallel_for_fn): POOL is
  /// a ThreadPool.
  static void hook(void *pool, dlc_parallel_task task, void *context,
                   int64_t n);

private:
  void work();
  /// Takes and runs blocks of the current loop until none is left.
  void runBlocks();

  std::vector<std::thread> workers_;
  /// The loop being run; written by the caller before `generation_` moves.
  dlc_parallel_task task_ = nullptr;
  void *context_ = nullptr;
  int64_t n_ = 0;
  int64_t block_ = 1;
  /// The first iteration no thread has taken yet.
  std::atomic<int64_t> next_{0};
  /// Moves by one per loop: workers start when they see it move.
  std::atomic<uint64_t> generation_{0};
  /// Workers still running their range of the current loop.
  std::atomic<int> pending_{0};
  /// Held for the whole of a loop: a second caller runs serially.
  std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
  std::atomic<bool> stop_{false};
  std::atomic<int> sleepers_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
};

struct Model;

/// Runs MODEL's parallel loops on THREADS threads: the calling thread and
/// the workers of a pool the process shares (made, or remade with the new
/// count, here); THREADS = 1 runs them on the calling thread. Call it
/// between entry-point calls, not during one. A model without a
/// parallel-for (Model::setParallelFor null) is left alone.
void useThreads(const Model &model, int threads);

/// The number of threads to use by default: DLRT_NUM_THREADS when set (a
/// positive integer), else the CPUs this process may run on.
int defaultThreadCount();

/// The CPUs this process may run on (its affinity mask), at least 1.
int availableCpus();

} // namespace dlrt

#endif // DLRT_THREADS_H
