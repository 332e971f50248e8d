//===- threads.cpp - the thread pool of generated parallel loops ----------===//
//
// Part of dlrt.
//
//===----------------------------------------------------------------------===//

#include "dlrt/threads.h"
#include "dlrt/error.h"
#include "dlrt/model.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#if defined(__linux__)
#include <sched.h>
#endif

namespace dlrt {

namespace {

/// A pause in a spin loop.
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// How many times a worker polls for the next loop before it sleeps: about
/// 100-200 microseconds of pauses, longer than the gap between the kernels
/// of a step, shorter than a human notices a busy core.
constexpr int kSpins = 4096;

/// Blocks of a loop per thread, taken in turn by whichever thread is free
/// (a worker late from sleep leaves its block to another). Measured on 2
/// cores: 8 blocks per thread (a balance for uneven iterations, such as a
/// causal attention's later queries) cost the Fashion MLP's step 15 % and
/// gained nothing measurable on GPT's; 1 is as fast as a static split.
constexpr int64_t kBlocksPerThread = 1;

} // namespace

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i)
    workers_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.fetch_add(1);
  }
  wake_.notify_all();
  for (std::thread &worker : workers_)
    worker.join();
}

void ThreadPool::work() {
  uint64_t seen = 0;
  for (;;) {
    uint64_t now = generation_.load(std::memory_order_acquire);
    for (int spin = 0; now == seen && spin < kSpins; ++spin) {
      relax();
      now = generation_.load(std::memory_order_acquire);
    }
    if (now == seen) {
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1);
      wake_.wait(lock, [&] { return generation_.load() != seen; });
      sleepers_.fetch_sub(1);
      now = generation_.load(std::memory_order_acquire);
    }
    seen = now;
    if (stop_.load())
      return;
    runBlocks();
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::parallelFor(dlc_parallel_task task, void *context,
                             int64_t n) {
  if (n <= 0)
    return;
  if (workers_.empty() || n == 1 || busy_.test_and_set(std::memory_order_acquire)) {
    task(context, 0, n);
    return;
  }
  task_ = task;
  context_ = context;
  n_ = n;
  int64_t blocks = int64_t(threads()) * kBlocksPerThread;
  block_ = (n + blocks - 1) / blocks;
  next_.store(0, std::memory_order_relaxed);
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lock(mutex_); }
    wake_.notify_all();
  }
  runBlocks();
  while (pending_.load(std::memory_order_acquire) != 0)
    relax();
  busy_.clear(std::memory_order_release);
}

void ThreadPool::runBlocks() {
  for (;;) {
    int64_t begin = next_.fetch_add(block_, std::memory_order_relaxed);
    if (begin >= n_)
      return;
    task_(context_, begin, std::min(n_, begin + block_));
  }
}

void ThreadPool::hook(void *pool, dlc_parallel_task task, void *context,
                      int64_t n) {
  static_cast<ThreadPool *>(pool)->parallelFor(task, context, n);
}

int availableCpus() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count > 0)
      return count;
  }
#endif
  unsigned hardware = std::thread::hardware_concurrency();
  return hardware > 0 ? static_cast<int>(hardware) : 1;
}

int defaultThreadCount() {
  if (const char *env = std::getenv("DLRT_NUM_THREADS")) {
    char *end = nullptr;
    long value = std::strtol(env, &end, 10);
    if (end == env || *end != '\0' || value < 1 || value > kMaxThreads)
      fail("DLRT_NUM_THREADS needs a number of threads from 1 to " +
           std::to_string(kMaxThreads) + ", not '" + env + "'");
    return static_cast<int>(value);
  }
  return availableCpus();
}

void useThreads(const Model &model, int threads) {
  if (!model.setParallelFor)
    return;
  if (threads < 1 || threads > kMaxThreads)
    fail("the number of threads must be from 1 to " +
         std::to_string(kMaxThreads) + ", not " + std::to_string(threads));
  static std::unique_ptr<ThreadPool> pool;
  if (threads == 1) {
    model.setParallelFor(nullptr, nullptr);
    pool.reset();
    return;
  }
  if (!pool || pool->threads() != threads)
    pool = std::make_unique<ThreadPool>(threads);
  model.setParallelFor(&ThreadPool::hook, pool.get());
}

} // namespace dlrt
