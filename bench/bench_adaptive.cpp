// The adaptive limiter (AWS adaptive retry mode) through the C ABI: one acquire and one record, the cost
// every attempt pays with a limiter attached, single-threaded and with 2 threads sharing one limiter.
//
// Each call takes the limiter's mutex once (adaptive_limiter.hpp says why a mutex: botocore's design, and
// the CUBIC update reads and writes every field). Beside it, the least a mutex design can cost: two lock
// round trips around a counter, the floor for any limiter built that way (botocore's, go-v2's token bucket).
// "gating off": before any throttle, acquire takes the lock and returns; "gating on": after a throttle,
// acquire refills the bucket and record runs the CUBIC update (a cube root at each throttle only).
// The plain forms read the monotonic clock once per call; the _at forms take the time.
//
// Run: bench_adaptive --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <cstdint>
#include <mutex>

#define BACKOFF_EXPERIMENTAL
#include "backoff.h"

namespace {

backoff_limiter* new_limiter(bool throttled) {
  backoff_limiter* limiter = nullptr;
  backoff_limiter_new(&limiter, 0);
  if (throttled) backoff_limiter_record(limiter, 1);
  return limiter;
}

void BM_limiter_acquire_record(benchmark::State& state, bool throttled) {
  static backoff_limiter* off = new_limiter(false);
  static backoff_limiter* on = new_limiter(true);
  backoff_limiter* limiter = throttled ? on : off;
  int64_t wait_ns = 0;
  for (auto _ : state) {
    backoff_limiter_acquire(&wait_ns, limiter);
    backoff_limiter_record(limiter, 0);
    benchmark::DoNotOptimize(wait_ns);
  }
}
BENCHMARK_CAPTURE(BM_limiter_acquire_record, gating_off, false)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_CAPTURE(BM_limiter_acquire_record, gating_on, true)->Threads(1)->Threads(2)->UseRealTime();

void BM_limiter_acquire_record_at(benchmark::State& state) {
  static backoff_limiter* limiter = new_limiter(true);
  int64_t wait_ns = 0;
  int64_t now_ns = 1'000'000'000;
  for (auto _ : state) {
    now_ns += 1'000'000;  // one attempt a millisecond: the bucket has a token now and then
    backoff_limiter_acquire_at(&wait_ns, limiter, now_ns);
    backoff_limiter_record_at(limiter, now_ns, 0);
    benchmark::DoNotOptimize(wait_ns);
  }
}
BENCHMARK(BM_limiter_acquire_record_at)->Threads(1)->UseRealTime();

struct MutexCounter {
  std::mutex mutex;
  double tokens = 0;
};

void BM_baseline_mutex_limiter(benchmark::State& state) {
  static MutexCounter counter;
  for (auto _ : state) {
    {
      std::lock_guard<std::mutex> lock(counter.mutex);
      if (counter.tokens >= 1) counter.tokens -= 1;
    }
    std::lock_guard<std::mutex> lock(counter.mutex);
    counter.tokens += 1;
  }
}
BENCHMARK(BM_baseline_mutex_limiter)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
