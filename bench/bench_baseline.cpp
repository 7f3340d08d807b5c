// For scale: the backoff most C++ code writes by hand, std::pow for growth and <random> for full
// jitter, on the same schedule (100 ms doubling to 60 s, attempts 0..9). It is what libbackoff replaces;
// unlike libbackoff it is neither overflow-checked nor reproducible across standard libraries.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

#include "bench_policies.hpp"

namespace {

void hand_written_next(benchmark::State& run) {
  std::mt19937_64 generator(42);
  std::uint64_t attempt = 0;
  for (auto _ : run) {
    const double base_ns = std::min(60e9, 100e6 * std::pow(2.0, static_cast<double>(attempt)));
    std::uniform_int_distribution<std::int64_t> jitter(0, static_cast<std::int64_t>(base_ns));
    benchmark::DoNotOptimize(jitter(generator));
    if (++attempt == bench::kRetriesPerSequence) attempt = 0;
  }
}

}  // namespace

BENCHMARK(hand_written_next)->Name("baseline/hand_written_pow_mt19937_full");
