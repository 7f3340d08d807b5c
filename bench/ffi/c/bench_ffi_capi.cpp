// The C core through its own ABI: the baseline every FFI row in docs/ffi/benchmarks.md is compared to.
// Same policy as cenkalti/backoff's defaults, so the Go rows compare like with like.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>

#include "backoff.h"

namespace {

// cenkalti/backoff v4's NewExponentialBackOff(): 500 ms, x1.5, +-50 % jitter, 60 s cap, 15 min elapsed.
backoff_policy* cenkalti_default_policy() {
  static const char* const kSettings[][2] = {
      {"initial", "500ms"}, {"multiplier", "1.5"},           {"jitter", "randomization"},
      {"cap", "60s"},       {"randomization_factor", "0.5"}, {"max_elapsed", "15m"}};
  backoff_config* config = nullptr;
  backoff_policy* policy = nullptr;
  bool ok = backoff_config_new(&config) == BACKOFF_OK;
  for (const auto& setting : kSettings) {
    ok = ok && backoff_config_set_text(config, setting[0], setting[1]) == BACKOFF_OK;
  }
  ok = ok && backoff_policy_new(&policy, config) == BACKOFF_OK;
  backoff_config_free(config);
  if (!ok) {
    std::fprintf(stderr, "policy: %s\n", backoff_last_error());
    std::exit(1);
  }
  return policy;
}

// A library call that does nothing: what crossing into libbackoff.so costs by itself.
void BM_EmptyCall(benchmark::State& bench) {
  for (auto _ : bench) benchmark::DoNotOptimize(backoff_version_number());
}

// Steps one state of the default policy per iteration; `step` is a lambda, so it inlines and the loop
// times the library call alone.
template <typename Step>
void RunStateSteps(benchmark::State& bench, Step step) {
  backoff_policy* policy = cenkalti_default_policy();
  backoff_state* state = nullptr;
  backoff_state_new(&state, policy);
  int64_t delay_ns = 0;
  for (auto _ : bench) {
    step(&delay_ns, state);
    benchmark::DoNotOptimize(delay_ns);
  }
  backoff_state_free(state);
  backoff_policy_free(policy);
}

void BM_StateNextAt(benchmark::State& bench) {
  RunStateSteps(bench, [](int64_t* delay_ns, backoff_state* state) { backoff_state_next_at(delay_ns, state, 0, 0); });
}

// The same on the library's monotonic clock, as cenkalti v4's NextBackOff reads time.Now().
void BM_StateNext(benchmark::State& bench) {
  RunStateSteps(bench, [](int64_t* delay_ns, backoff_state* state) { backoff_state_next(delay_ns, state, 0); });
}

void BM_PolicyDelay(benchmark::State& bench) {
  backoff_policy* policy = cenkalti_default_policy();
  uint64_t attempt = 0;
  int64_t delay_ns = 0;
  for (auto _ : bench) {
    backoff_policy_delay(&delay_ns, policy, attempt++ & 63, 42);
    benchmark::DoNotOptimize(delay_ns);
  }
  backoff_policy_free(policy);
}

}  // namespace

// Named as bench/ffi/run's table shows them.
BENCHMARK(BM_EmptyCall)->Name("C: empty call into libbackoff.so");
BENCHMARK(BM_StateNextAt)->Name("C core: backoff_state_next_at (no clock)");
BENCHMARK(BM_StateNext)->Name("C core: backoff_state_next (monotonic clock)");
BENCHMARK(BM_PolicyDelay)->Name("C core: backoff_policy_delay (stateless)");
BENCHMARK_MAIN();
