#include "backoff/random.hpp"

#include <atomic>
#include <chrono>
#include <random>

namespace backoff {
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

}  // namespace

std::uint64_t fresh_seed() noexcept {
  static const std::uint64_t entropy = process_entropy();
  static std::atomic<std::uint64_t> counter{0};
  return mix64(entropy + counter.fetch_add(1, std::memory_order_relaxed) * kGoldenGamma);
}

}  // namespace backoff
