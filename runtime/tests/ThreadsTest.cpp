//===- ThreadsTest.cpp - the pool that runs generated parallel loops ------===//
#include "TestUtil.h"

#include "dlrt/model.h"
#include "dlrt/threads.h"

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace dlrt;

namespace {

/// What one parallel-for saw: every range run, with its thread.
struct Record {
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> ranges;
  std::set<std::thread::id> threads;
  std::vector<int> hits;
};

void recordTask(void *context, int64_t begin, int64_t end) {
  auto *r = static_cast<Record *>(context);
  std::lock_guard<std::mutex> lock(r->mutex);
  r->ranges.push_back({begin, end});
  r->threads.insert(std::this_thread::get_id());
  for (int64_t i = begin; i < end; ++i)
    ++r->hits[i];
}

/// recordTask, slowly: long enough for a sleeping worker to wake and take
/// blocks too.
void slowTask(void *context, int64_t begin, int64_t end) {
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  recordTask(context, begin, end);
}

} // namespace

TEST(Threads, EveryIterationRunsOnceInBlocks) {
  ThreadPool pool(3);
  EXPECT_EQ(pool.threads(), 3);
  for (int64_t n : {1, 2, 3, 4, 7, 100, 1000}) {
    Record r;
    r.hits.assign(n, 0);
    pool.parallelFor(&recordTask, &r, n);
    for (int64_t i = 0; i < n; ++i)
      EXPECT_EQ(r.hits[i], 1) << "n " << n << " iteration " << i;
    // Blocks of ceil(n / threads) iterations, the last one shorter.
    int64_t block = (n + 2) / 3;
    for (auto [begin, end] : r.ranges) {
      EXPECT_EQ(begin % block, 0) << "n " << n;
      EXPECT_EQ(end, std::min(n, begin + block)) << "n " << n;
    }
  }
}

TEST(Threads, WorkersTakePartAfterSleeping) {
  ThreadPool pool(2);
  Record first;
  first.hits.assign(64, 0);
  pool.parallelFor(&recordTask, &first, 64);
  // Long enough for the worker to stop spinning and wait.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Record r;
  r.hits.assign(64, 0);
  pool.parallelFor(&slowTask, &r, 64);
  EXPECT_EQ(r.threads.size(), 2u);
  for (int hit : r.hits)
    EXPECT_EQ(hit, 1);
}

namespace {
ThreadPool *nestedPool = nullptr;
std::atomic<int> innerRanges{0};
void innerTask(void *, int64_t, int64_t) { ++innerRanges; }
void outerTask(void *context, int64_t begin, int64_t end) {
  // A loop started inside a task runs on its thread, whole.
  for (int64_t i = begin; i < end; ++i)
    nestedPool->parallelFor(&innerTask, nullptr, 8);
  recordTask(context, begin, end);
}
} // namespace

TEST(Threads, NestedLoopsRunSerially) {
  ThreadPool pool(2);
  nestedPool = &pool;
  innerRanges = 0;
  Record r;
  r.hits.assign(4, 0);
  pool.parallelFor(&outerTask, &r, 4);
  EXPECT_EQ(innerRanges.load(), 4); // one whole range per outer iteration
  for (int hit : r.hits)
    EXPECT_EQ(hit, 1);
}

TEST(Threads, OnePoolServesOneLoopAtATime) {
  // Two callers at once: each loop still runs every iteration once.
  ThreadPool pool(2);
  std::vector<Record> records(2);
  for (Record &r : records)
    r.hits.assign(1000, 0);
  std::vector<std::thread> callers;
  for (Record &r : records)
    callers.emplace_back([&pool, &r] {
      for (int k = 0; k < 50; ++k)
        pool.parallelFor(&recordTask, &r, 20);
    });
  for (std::thread &t : callers)
    t.join();
  for (Record &r : records)
    for (int i = 0; i < 20; ++i)
      EXPECT_EQ(r.hits[i], 50);
}

namespace {
dlc_parallel_for_fn setFn = nullptr;
void *setPool = nullptr;
void fakeSet(dlc_parallel_for_fn fn, void *pool) {
  setFn = fn;
  setPool = pool;
}
} // namespace

TEST(Threads, UseThreadsHandsTheModelThePool) {
  Model m;
  m.setParallelFor = &fakeSet;
  useThreads(m, 2);
  EXPECT_EQ(setFn, &ThreadPool::hook);
  ASSERT_NE(setPool, nullptr);
  EXPECT_EQ(static_cast<ThreadPool *>(setPool)->threads(), 2);
  useThreads(m, 1);
  EXPECT_EQ(setFn, nullptr);
  EXPECT_EQ(setPool, nullptr);
  EXPECT_THROW(useThreads(m, 0), Error);
  // A model without a parallel-for is left alone.
  Model serial;
  useThreads(serial, 4);
}

TEST(Threads, DefaultCountFromTheEnvironment) {
  setenv("DLRT_NUM_THREADS", "3", 1);
  EXPECT_EQ(defaultThreadCount(), 3);
  setenv("DLRT_NUM_THREADS", "0", 1);
  EXPECT_THROW(defaultThreadCount(), Error);
  setenv("DLRT_NUM_THREADS", "4x", 1);
  EXPECT_THROW(defaultThreadCount(), Error);
  unsetenv("DLRT_NUM_THREADS");
  EXPECT_EQ(defaultThreadCount(), availableCpus());
  EXPECT_GE(availableCpus(), 1);
}
