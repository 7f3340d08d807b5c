#include "backoff/random.hpp"

#include <atomic>
#include <chrono>
#include <random>

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#define BACKOFF_HAS_FORK 1
#endif

namespace backoff {
namespace detail {
std::atomic<std::uint64_t> fork_salt{0};
}  // namespace detail

namespace {

std::uint64_t process_entropy() noexcept {
  std::uint64_t entropy = static_cast<std::uint64_t>(
      std::chrono::high_resolution_clock::now().time_since_epoch().count());
  entropy ^= reinterpret_cast<std::uintptr_t>(&entropy);  // ASLR differs per process
  try {
    std::random_device device;
    entropy ^= (static_cast<std::uint64_t>(device()) << 32) | device();
  } catch (...) {
    // No entropy device (some sandboxes): time and address still separate processes.
  }
  return mix64(entropy);
}

#if defined(BACKOFF_HAS_FORK)
// Runs in the child right after fork(), before fork() returns there. Only async-signal-safe calls are
// allowed in a child of a threaded process, so no std::random_device (it may allocate or lock): the new
// salt mixes the old one with the child's pid, unique among the processes alive at once, and the
// monotonic clock, which separates a child from an earlier one that had the same pid.
void on_fork_child() noexcept {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const std::uint64_t pid = static_cast<std::uint64_t>(getpid());
  const std::uint64_t time = static_cast<std::uint64_t>(now.tv_sec) * 1000000000u + static_cast<std::uint64_t>(now.tv_nsec);
  const std::uint64_t salt = mix64(mix64(detail::fork_salt.load(std::memory_order_relaxed) ^ pid) + time * kGoldenGamma);
  detail::fork_salt.store(salt | 1, std::memory_order_relaxed);  // never 0: 0 is the parent's salt
}
#endif

std::uint64_t register_fork_handler() noexcept {
#if defined(BACKOFF_HAS_FORK)
  pthread_atfork(nullptr, nullptr, on_fork_child);  // fails only without memory: children then share draws
#endif
  return process_entropy();
}

}  // namespace

std::uint64_t fresh_seed() noexcept {
  // The handler is registered before the first unseeded policy or state exists, so before any fork that
  // could copy one.
  static const std::uint64_t entropy = register_fork_handler();
  static std::atomic<std::uint64_t> counter{0};
  return mix64((entropy ^ fork_salt()) + counter.fetch_add(1, std::memory_order_relaxed) * kGoldenGamma);
}

}  // namespace backoff
