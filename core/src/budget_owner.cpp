#include "backoff/budget_owner.hpp"

namespace backoff {

bool BudgetOwner::decide(unsigned stripe) noexcept {
  unsigned owner = 0;
  // Another stripe may have claimed it since the caller looked; a thread sharing the owner's stripe is
  // the owner too.
  if (owner_.compare_exchange_strong(owner, stripe + 1, std::memory_order_relaxed) || owner == stripe + 1) {
    return true;
  }
  owner_.store(kShared, std::memory_order_relaxed);
  return false;
}

}  // namespace backoff
