#include "backoff/breaker_events.hpp"

#include <utility>

namespace backoff {

void BreakerEvents::push(const BreakerEvent& event) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (poll_size_ == kPollCapacity) {
    poll_head_ = (poll_head_ + 1) % kPollCapacity;
    --poll_size_;
    ++dropped_;
  }
  polled_[(poll_head_ + poll_size_) % kPollCapacity] = event;
  ++poll_size_;
  if (!listener_) return;
  if (undelivered_.size() == kListenerBacklog) {
    undelivered_.pop_front();
    ++dropped_;
  }
  undelivered_.push_back(event);
}

std::optional<BreakerEvent> BreakerEvents::poll() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (poll_size_ == 0) return std::nullopt;
  const BreakerEvent event = polled_[poll_head_];
  poll_head_ = (poll_head_ + 1) % kPollCapacity;
  --poll_size_;
  return event;
}

void BreakerEvents::deliver() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (delivering_ || undelivered_.empty()) return;
  delivering_ = true;
  deliverer_ = std::this_thread::get_id();
  while (!undelivered_.empty() && listener_) {
    const BreakerEvent event = undelivered_.front();
    undelivered_.pop_front();
    // A copy, so that set_listener() from inside the listener cannot destroy the running function.
    BreakerListener listener = listener_;
    lock.unlock();
    int result;
    try {
      result = listener(event);
    } catch (...) {
      result = -1;  // a C++ or binding listener that throws: nothing may unwind into the caller
    }
    // Destroyed with no lock held: a binding's listener may need its interpreter lock to be destroyed.
    listener = nullptr;
    lock.lock();
    if (result != 0) ++listener_errors_;
  }
  delivering_ = false;
  deliverer_ = std::thread::id();
  delivery_done_.notify_all();
}

void BreakerEvents::set_listener(BreakerListener listener) {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::thread::id self = std::this_thread::get_id();
  delivery_done_.wait(lock, [&] { return !delivering_ || deliverer_ == self; });
  std::swap(listener_, listener);
  undelivered_.clear();
  lock.unlock();
  listener = nullptr;  // the old listener, destroyed with no lock held (see deliver)
}

std::uint64_t BreakerEvents::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

std::uint64_t BreakerEvents::listener_errors() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return listener_errors_;
}

}  // namespace backoff
