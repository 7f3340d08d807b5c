#include "backoff/backoff.hpp"

#include <string>

#include "backoff/random.hpp"
#include "backoff/status.hpp"

namespace backoff {

void reject_negative_hint(Duration hint) {
  throw_invalid("hint_ns", "must not be negative", std::to_string(hint.ns()) + " ns");
}

template <class PolicyHolder>
BasicBackoff<PolicyHolder>::BasicBackoff(const PolicyHolder& policy, Clock clock)
    : policy_(policy),
      clock_(clock),
      // Seeded: every Backoff replays stream 0, like the stateless form with key 0. Unseeded: a fresh
      // stream per Backoff, so two clients started together do not retry in lockstep.
      stream_(stream_of(this->policy().seed(), this->policy().seeded() ? 0 : fresh_seed())) {
  reset_at(clock_.now());
}

template <class PolicyHolder>
void BasicBackoff<PolicyHolder>::reset_at(Instant now) noexcept {
  attempt_ = 0;
  start_ = now;
  previous_ns_ = policy().initial_ns();
  stopped_ = false;
}

template class BasicBackoff<Policy>;
template class BasicBackoff<std::shared_ptr<const Policy>>;

}  // namespace backoff
