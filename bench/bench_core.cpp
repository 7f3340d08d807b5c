// The same calls on the C++ core directly: the difference from bench_capi.cpp is the cost of the C ABI
// (a call into the shared library, the NULL checks and the handle indirection). The results are consumed as
// int64 nanoseconds, as the C ABI hands them on: DoNotOptimize would force a class type through memory.
#include <benchmark/benchmark.h>

#include "backoff/backoff.hpp"
#include "backoff/config.hpp"
#include "backoff/policy.hpp"
#include "bench_policies.hpp"

namespace {

backoff::Policy make_policy(const bench::Settings& settings) {
  backoff::Config config;
  for (const auto& [name, value] : settings) config.set_text(name, value);
  return backoff::Policy(config);
}

void state_next(benchmark::State& run, const bench::Settings& settings) {
  backoff::Backoff state(make_policy(settings));
  std::uint64_t retries = 0;
  for (auto _ : run) {
    benchmark::DoNotOptimize(state.next_at(backoff::Instant(), backoff::Duration()).ns());
    if (++retries == bench::kRetriesPerSequence) {
      state.reset_at(backoff::Instant());
      retries = 0;
    }
  }
}

void policy_delay(benchmark::State& run, const bench::Settings& settings) {
  const backoff::Policy policy = make_policy(settings);
  std::uint64_t key = 0;
  for (auto _ : run) {
    benchmark::DoNotOptimize(policy.delay(key % bench::kRetriesPerSequence, key).ns());
    ++key;
  }
}

}  // namespace

BENCHMARK_CAPTURE(state_next, core/exponential_full, bench::kExponentialFullJitter);
BENCHMARK_CAPTURE(state_next, core/decorrelated, bench::kDecorrelated);
BENCHMARK_CAPTURE(policy_delay, core/exponential_full, bench::kExponentialFullJitter);
BENCHMARK_CAPTURE(policy_delay, core/decorrelated, bench::kDecorrelated);
