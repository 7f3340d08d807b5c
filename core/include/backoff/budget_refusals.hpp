// BudgetRefusals: how many withdrawals a budget refused, counted without a shared cache line.
//
// Refusals come in floods, from every thread at once, when the budget runs dry in an outage; one shared
// counter would then move between cores on every refused call, the path that must fail fast. So the
// owner (budget_owner.hpp) counts inline, and once the budget is shared every stripe counts on a line of
// its own, made at the first refusal counted there (2 KiB). A read sums them all: exact once the writers
// are done, never going backwards. Size: 16 B.
#pragma once

#include <atomic>
#include <cstdint>
#include <new>

#include "backoff/budget_owner.hpp"

namespace backoff {

class BudgetRefusals {
 public:
  BudgetRefusals() = default;
  ~BudgetRefusals() { delete[] lines_.load(std::memory_order_acquire); }
  BudgetRefusals(const BudgetRefusals&) = delete;
  BudgetRefusals& operator=(const BudgetRefusals&) = delete;

  // Counts one refusal on `stripe`; `owner` is BudgetOwner::owns(stripe) for this call.
  void add(unsigned stripe, bool owner) noexcept {
    Line* lines = lines_.load(std::memory_order_acquire);
    // The owner before the budget was shared, or out of memory: the inline count, exact either way.
    if (lines == nullptr && (owner || (lines = make_lines()) == nullptr)) {
      inline_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    lines[stripe % kLines].count.fetch_add(1, std::memory_order_relaxed);
  }

  std::uint64_t sum() const noexcept {
    std::uint64_t total = inline_.load(std::memory_order_relaxed);
    const Line* lines = lines_.load(std::memory_order_acquire);
    if (lines == nullptr) return total;
    for (unsigned i = 0; i < kLines; ++i) total += lines[i].count.load(std::memory_order_relaxed);
    return total;
  }

 private:
  static constexpr unsigned kLines = 1u << BudgetOwner::kStripeBits;
  struct alignas(64) Line {
    std::atomic<std::uint64_t> count{0};
  };

  // Made once; threads that race keep the first thread's lines. Null if memory ran out.
  Line* make_lines() noexcept {
    Line* made = new (std::nothrow) Line[kLines];
    Line* current = nullptr;
    if (made != nullptr && !lines_.compare_exchange_strong(current, made, std::memory_order_acq_rel)) {
      delete[] made;
      return current;
    }
    return made;
  }

  std::atomic<std::uint64_t> inline_{0};  // the owner's count
  std::atomic<Line*> lines_{nullptr};
};

}  // namespace backoff
