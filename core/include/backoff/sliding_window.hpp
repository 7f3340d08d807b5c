// SlidingWindow: lock-free counts of calls, failures and slow calls over a window that slides by buckets.
//
// A position is a point on the window's axis: nanoseconds for a time window, the call number for a count
// window. The window keeps `buckets` buckets of `width` positions each; a bucket is reused, and zeroed, when
// its slot comes round again, so the window covers between (buckets - 1) * width and buckets * width
// positions. Writers need no lock: a bucket is claimed for a new epoch with one compare-and-swap.
//
// Concurrency is exact for every sample but two rare races, each off by one sample and healed when the
// bucket is next reused: a writer stalled for a whole window adds its sample to the bucket's next epoch,
// and a writer racing clear() adds its sample to a cleared bucket.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace backoff {

class SlidingWindow {
 public:
  struct Totals {
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    std::uint64_t slow = 0;
  };

  // width >= 1 positions per bucket, 1 <= buckets.
  SlidingWindow(std::int64_t width, std::int64_t buckets);

  void add(std::int64_t position, bool failure, bool slow) noexcept;

  // The totals of the window that ends at `position`.
  Totals totals(std::int64_t position) const noexcept;

  // Forgets every sample.
  void clear() noexcept;

  std::int64_t width() const noexcept { return width_; }
  std::int64_t buckets() const noexcept { return count_; }

 private:
  struct Bucket {
    std::atomic<std::int64_t> epoch;
    std::atomic<std::uint64_t> calls{0};
    std::atomic<std::uint64_t> failures{0};
    std::atomic<std::uint64_t> slow{0};
  };

  std::int64_t epoch_of(std::int64_t position) const noexcept;
  Bucket& slot(std::int64_t epoch) const noexcept;

  std::int64_t width_;
  std::int64_t count_;
  std::unique_ptr<Bucket[]> buckets_;
};

}  // namespace backoff
