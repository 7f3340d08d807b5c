#include "backoff/breaker_events.hpp"

#include <array>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace backoff {

struct BreakerEvents::Queues {
  mutable std::mutex mutex;
  std::condition_variable delivery_done;
  std::array<BreakerEvent, kPollCapacity> polled{};
  std::size_t poll_head = 0;
  std::size_t poll_size = 0;
  std::deque<BreakerEvent> undelivered;
  BreakerListener listener;
  bool delivering = false;
  std::thread::id deliverer;
  std::uint64_t dropped = 0;
  std::uint64_t listener_errors = 0;
  // Counted here, where every transition passes and which exists from the first one: no inline bytes.
  std::uint64_t transitions[kBreakerStateCount][kBreakerStateCount] = {};
};

BreakerEvents::~BreakerEvents() { delete queues_.load(std::memory_order_acquire); }

BreakerEvents::Queues& BreakerEvents::queues() {
  Queues* queues = queues_.load(std::memory_order_acquire);
  if (queues != nullptr) return *queues;
  auto made = std::make_unique<Queues>();
  // Two threads may race to make them (a transition and set_listener()); the first one's stay.
  if (queues_.compare_exchange_strong(queues, made.get(), std::memory_order_acq_rel)) return *made.release();
  return *queues;
}

void BreakerEvents::push(const BreakerEvent& event) {
  Queues& q = queues();
  std::lock_guard<std::mutex> lock(q.mutex);
  ++q.transitions[static_cast<int>(event.previous)][static_cast<int>(event.state)];
  if (q.poll_size == kPollCapacity) {
    q.poll_head = (q.poll_head + 1) % kPollCapacity;
    --q.poll_size;
    ++q.dropped;
  }
  q.polled[(q.poll_head + q.poll_size) % kPollCapacity] = event;
  ++q.poll_size;
  if (!q.listener) return;
  if (q.undelivered.size() == kListenerBacklog) {
    q.undelivered.pop_front();
    ++q.dropped;
  }
  q.undelivered.push_back(event);
}

std::optional<BreakerEvent> BreakerEvents::poll() {
  Queues* const made = queues_.load(std::memory_order_acquire);
  if (made == nullptr) return std::nullopt;
  Queues& q = *made;
  std::lock_guard<std::mutex> lock(q.mutex);
  if (q.poll_size == 0) return std::nullopt;
  const BreakerEvent event = q.polled[q.poll_head];
  q.poll_head = (q.poll_head + 1) % kPollCapacity;
  --q.poll_size;
  return event;
}

void BreakerEvents::deliver() {
  Queues* const made = queues_.load(std::memory_order_acquire);
  if (made == nullptr) return;  // no event yet
  Queues& q = *made;
  std::unique_lock<std::mutex> lock(q.mutex);
  if (q.delivering || q.undelivered.empty()) return;
  q.delivering = true;
  q.deliverer = std::this_thread::get_id();
  while (!q.undelivered.empty() && q.listener) {
    const BreakerEvent event = q.undelivered.front();
    q.undelivered.pop_front();
    // A copy, so that set_listener() from inside the listener cannot destroy the running function.
    BreakerListener listener = q.listener;
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
    if (result != 0) ++q.listener_errors;
  }
  q.delivering = false;
  q.deliverer = std::thread::id();
  q.delivery_done.notify_all();
}

void BreakerEvents::set_listener(BreakerListener listener) {
  Queues& q = queues();
  std::unique_lock<std::mutex> lock(q.mutex);
  const std::thread::id self = std::this_thread::get_id();
  q.delivery_done.wait(lock, [&] { return !q.delivering || q.deliverer == self; });
  std::swap(q.listener, listener);
  q.undelivered.clear();
  lock.unlock();
  listener = nullptr;  // the old listener, destroyed with no lock held (see deliver)
}

std::uint64_t BreakerEvents::dropped() const {
  const Queues* const q = queues_.load(std::memory_order_acquire);
  if (q == nullptr) return 0;
  std::lock_guard<std::mutex> lock(q->mutex);
  return q->dropped;
}

std::uint64_t BreakerEvents::listener_errors() const {
  const Queues* const q = queues_.load(std::memory_order_acquire);
  if (q == nullptr) return 0;
  std::lock_guard<std::mutex> lock(q->mutex);
  return q->listener_errors;
}

std::uint64_t BreakerEvents::transitions(BreakerState from, BreakerState to) const {
  const Queues* const q = queues_.load(std::memory_order_acquire);
  if (q == nullptr) return 0;
  std::lock_guard<std::mutex> lock(q->mutex);
  return q->transitions[static_cast<int>(from)][static_cast<int>(to)];
}

}  // namespace backoff
