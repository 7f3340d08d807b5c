// The hot calls through the C ABI, as C programs and FFI runtimes make them: the stateful
// backoff_state_next_at() and the stateless backoff_policy_delay().
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "backoff.h"
#include "bench_policies.hpp"

namespace {

backoff_policy* make_policy(const bench::Settings& settings) {
  backoff_config* config = nullptr;
  backoff_policy* policy = nullptr;
  int status = backoff_config_new(&config);
  for (const auto& [name, value] : settings) {
    if (status == BACKOFF_OK) status = backoff_config_set_text(config, name, value);
  }
  if (status == BACKOFF_OK) status = backoff_policy_new(&policy, config);
  backoff_config_free(config);
  if (status != BACKOFF_OK) {
    std::fprintf(stderr, "bench_capi: %s\n", backoff_last_error());
    std::abort();
  }
  return policy;
}

void state_next(benchmark::State& run, const bench::Settings& settings) {
  backoff_policy* policy = make_policy(settings);
  backoff_state* state = nullptr;
  backoff_state_new(&state, policy);
  std::uint64_t retries = 0;
  for (auto _ : run) {
    int64_t delay_ns;
    backoff_state_next_at(&delay_ns, state, 0, 0);
    benchmark::DoNotOptimize(delay_ns);
    if (++retries == bench::kRetriesPerSequence) {
      backoff_state_reset_at(state, 0);
      retries = 0;
    }
  }
  backoff_state_free(state);
  backoff_policy_free(policy);
}

void policy_delay(benchmark::State& run, const bench::Settings& settings) {
  backoff_policy* policy = make_policy(settings);
  std::uint64_t key = 0;
  for (auto _ : run) {
    int64_t delay_ns;
    backoff_policy_delay(&delay_ns, policy, key % bench::kRetriesPerSequence, key);
    benchmark::DoNotOptimize(delay_ns);
    ++key;
  }
  backoff_policy_free(policy);
}

}  // namespace

BENCHMARK_CAPTURE(state_next, capi/exponential_full, bench::kExponentialFullJitter);
BENCHMARK_CAPTURE(state_next, capi/decorrelated, bench::kDecorrelated);
BENCHMARK_CAPTURE(policy_delay, capi/exponential_full, bench::kExponentialFullJitter);
BENCHMARK_CAPTURE(policy_delay, capi/decorrelated, bench::kDecorrelated);
