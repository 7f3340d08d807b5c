#include "backoff/breaker_pool.hpp"

namespace backoff {

BreakerPool::BreakerPool(const BreakerConfig& config, std::int64_t max_keys, Clock clock)
    : config_(config), clock_(clock), breakers_(max_keys) {
  config_.validate();
}

Admission BreakerPool::acquire(std::string_view key) {
  return breakers_.visit(key, [this] { return Breaker(config_, clock_); }, [](Breaker& b) { return b.acquire(); });
}

Admission BreakerPool::acquire_at(std::string_view key, Instant now) {
  return breakers_.visit(key, [this] { return Breaker(config_, clock_); },
                         [now](Breaker& b) { return b.acquire_at(now); });
}

// A key dropped since its permit was issued is made again (by record and by release), so that the breaker
// checks the arguments as always; the permit is stale there, as every breaker's generations and probe
// leases start at a random point.
void BreakerPool::record(std::string_view key, std::uint64_t permit, Outcome outcome, Duration took, Duration hint) {
  breakers_.visit(key, [this] { return Breaker(config_, clock_); },
                  [&](Breaker& b) { b.record(permit, outcome, took, hint); });
}

void BreakerPool::record_at(std::string_view key, Instant now, std::uint64_t permit, Outcome outcome, Duration took,
                            Duration hint) {
  breakers_.visit(key, [this] { return Breaker(config_, clock_); },
                  [&](Breaker& b) { b.record_at(now, permit, outcome, took, hint); });
}

void BreakerPool::release(std::string_view key, std::uint64_t permit) {
  breakers_.visit(key, [this] { return Breaker(config_, clock_); }, [permit](Breaker& b) { b.release(permit); });
}

BreakerState BreakerPool::state(std::string_view key) {
  BreakerState state = BreakerState::closed;
  breakers_.visit_if_present(key, [&](const Breaker& b) { state = b.state(); });
  return state;
}

}  // namespace backoff
