#include "backoff/stripe_owner.hpp"

namespace backoff {

bool StripeOwner::claim(unsigned stripe) noexcept {
  unsigned owner = 0;
  // Another stripe may have claimed it since the caller looked: then the answer is whether that was
  // the caller's own stripe (a thread sharing it).
  return owner_.compare_exchange_strong(owner, stripe + 1, std::memory_order_relaxed) || owner == stripe + 1;
}

}  // namespace backoff
