// Counter-based randomness: SplitMix64 by random access, the 64x64 -> high 64 multiply, Lemire's bounded
// draw, fresh seeds for unseeded policies, and the key hash of byte keys.
#include <array>
#include <cstdint>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "backoff/key_hash.hpp"
#include "backoff/random.hpp"

using backoff::draw;
using backoff::mix64;
using backoff::multiply_high;
using backoff::stream_of;
using backoff::uniform_between;

namespace {

__extension__ typedef unsigned __int128 uint128;  // the compiler's 128-bit product: an independent oracle

std::uint64_t high_of_product(std::uint64_t a, std::uint64_t b) {
  return static_cast<std::uint64_t>((static_cast<uint128>(a) * b) >> 64);
}

// SplitMix64 as Vigna's reference walks it: add the golden gamma to the state, then mix.
struct SequentialSplitMix {
  std::uint64_t state;
  std::uint64_t next() { return mix64(state += backoff::kGoldenGamma); }
};

}  // namespace

TEST_CASE("draws are SplitMix64's published outputs for seed 0", "[random]") {
  CHECK(draw(0, 0) == 0xe220a8397b1dcdafull);
  CHECK(draw(0, 1) == 0x6e789e6aa1b965f4ull);
  CHECK(draw(0, 2) == 0x06c45d188009454full);
  CHECK(draw(0, 3) == 0xf88bb8a8724c81ecull);
}

TEST_CASE("random access to a stream gives what walking it gives", "[random]") {
  for (std::uint64_t stream : {std::uint64_t{0}, std::uint64_t{42}, stream_of(7, 99), UINT64_MAX}) {
    SequentialSplitMix walker{stream};
    for (std::uint64_t attempt = 0; attempt < 10'000; ++attempt) {
      CAPTURE(stream, attempt);
      REQUIRE(draw(stream, attempt) == walker.next());
    }
  }
}

TEST_CASE("the last attempt's counter wraps to the stream itself", "[random]") {
  // (2^64 - 1 + 1) * gamma wraps to 0 modulo 2^64.
  CHECK(draw(12345, UINT64_MAX) == mix64(12345));
  CHECK(draw(12345, UINT64_MAX - 1) == mix64(12345 - backoff::kGoldenGamma));
}

TEST_CASE("mix64 does not collide on sequential inputs and keeps zero", "[random]") {
  std::set<std::uint64_t> seen;
  for (std::uint64_t z = 0; z < 100'000; ++z) seen.insert(mix64(z));
  CHECK(seen.size() == 100'000);
  CHECK(mix64(0) == 0);  // why streams start from seed + gamma, never from the raw seed
}

TEST_CASE("nearby keys and seeds give unrelated streams", "[random]") {
  std::set<std::uint64_t> streams;
  for (std::uint64_t key = 0; key < 10'000; ++key) streams.insert(stream_of(42, key));
  for (std::uint64_t seed = 0; seed < 10'000; ++seed) streams.insert(stream_of(seed, 42));
  CHECK(streams.size() == 20'000 - 1);  // (42, 42) is in both loops
  // Neighbouring keys flip about half of the first draw's bits.
  int flipped = 0;
  for (std::uint64_t key = 0; key < 1'000; ++key) {
    flipped += __builtin_popcountll(draw(stream_of(1, key), 0) ^ draw(stream_of(1, key + 1), 0));
  }
  CHECK(flipped / 1000.0 == Approx(32.0).margin(1.0));
}

TEST_CASE("multiply_high agrees with the 128-bit product", "[random]") {
  const std::uint64_t edges[] = {0, 1, 2, 0xffffffffull, 0x100000000ull, 0x100000001ull, 1ull << 63,
                                 (1ull << 63) + 1, UINT64_MAX - 1, UINT64_MAX};
  for (std::uint64_t a : edges) {
    for (std::uint64_t b : edges) {
      CAPTURE(a, b);
      CHECK(multiply_high(a, b) == high_of_product(a, b));
    }
  }
  CHECK(multiply_high(UINT64_MAX, UINT64_MAX) == UINT64_MAX - 1);
  std::mt19937_64 generator(2024);
  for (int i = 0; i < 100'000; ++i) {
    const std::uint64_t a = generator(), b = generator();
    if (multiply_high(a, b) != high_of_product(a, b)) FAIL("a = " << a << ", b = " << b);
  }
}

TEST_CASE("uniform_between stays in [lo, hi] and reaches both ends", "[random]") {
  constexpr std::int64_t kMax = INT64_MAX;
  CHECK(uniform_between(0, 5, 5) == 5);
  CHECK(uniform_between(UINT64_MAX, 5, 5) == 5);
  CHECK(uniform_between(0, 3, 10) == 3);
  CHECK(uniform_between(UINT64_MAX, 3, 10) == 10);
  CHECK(uniform_between(0, 0, kMax) == 0);
  CHECK(uniform_between(UINT64_MAX, 0, kMax) == kMax);
  CHECK(uniform_between(1ull << 63, 0, kMax) == std::int64_t{1} << 62);
  CHECK(uniform_between(UINT64_MAX, kMax, kMax) == kMax);
  for (std::uint64_t attempt = 0; attempt < 10'000; ++attempt) {
    const std::uint64_t bits = draw(9, attempt);
    const std::int64_t value = uniform_between(bits, 1000, 2000);
    REQUIRE(value >= 1000);
    REQUIRE(value <= 2000);
    const std::int64_t wide = uniform_between(bits, 1, kMax);
    REQUIRE(wide >= 1);
  }
}

TEST_CASE("uniform_between fills every bucket evenly", "[random]") {
  std::array<int, 10> counts{};
  constexpr int kDraws = 100'000;
  for (std::uint64_t attempt = 0; attempt < kDraws; ++attempt) ++counts[uniform_between(draw(3, attempt), 0, 9)];
  for (int count : counts) CHECK(count == Approx(kDraws / 10).epsilon(0.05));
}

TEST_CASE("fresh seeds differ, also when drawn from several threads at once", "[random]") {
  constexpr int kThreads = 4, kPerThread = 10'000;
  std::vector<std::vector<std::uint64_t>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kPerThread; ++i) drawn[t].push_back(backoff::fresh_seed());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::uint64_t> seen;
  for (const auto& seeds : drawn) seen.insert(seeds.begin(), seeds.end());
  CHECK(seen.size() == std::size_t{kThreads} * kPerThread);
}

TEST_CASE("the key hash is FNV-1a over the bytes, then SplitMix64's finaliser", "[random][key_hash]") {
  const auto hash = [](const char* text, std::size_t size) {
    return backoff::key_hash(reinterpret_cast<const unsigned char*>(text), size);
  };
  // Values from tools/gen_vectors.py's independent model.
  CHECK(hash("", 0) == 0xf52a15e9a9b5e89bull);
  CHECK(hash("", 0) == mix64(0xcbf29ce484222325ull));  // no bytes: the finalised offset basis
  CHECK(hash("job-42", 6) == 0x43244671ff95eb28ull);
  CHECK(hash("job-42", 7) != hash("job-42", 6));  // the terminating NUL is a byte like any other
  // Keys one bit apart land far apart: about half of the 64 bits differ.
  const int differing = __builtin_popcountll(hash("job-42", 6) ^ hash("job-43", 6));
  CHECK(differing > 16);
  CHECK(differing < 48);
}
