// KeyedPool and its key hash: distinct keys get distinct hashes (a collision would make two keys share a
// value), a held key's look-up finds its value without making another, and a full pool evicts the key
// used least recently.
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "backoff/keyed_pool.hpp"

using backoff::KeyedPool;
using backoff::pool_key_hash;

TEST_CASE("keys differing in one bit, in length or by a trailing zero byte hash apart", "[keyed_pool]") {
  const std::string text = "host-12345.example.com:8443/partition/7";
  std::set<std::string> keys;
  for (std::size_t size = 0; size <= text.size(); ++size) {  // every read path: 1-3, 4-7, 8-16 bytes, longer
    const std::string base = text.substr(0, size);
    keys.insert(base);
    keys.insert(base + std::string(1, '\0'));  // the same words read, another length
    for (std::size_t at = 0; at < size; ++at) {
      for (const unsigned bit : {0x01u, 0x80u}) {
        std::string changed = base;
        changed[at] = static_cast<char>(static_cast<unsigned char>(changed[at]) ^ bit);
        keys.insert(changed);
      }
    }
  }
  CHECK(keys.size() > 1500);
  for (const std::uint64_t seed : {std::uint64_t{0}, backoff::fresh_seed()}) {
    std::set<std::uint64_t> hashes;
    for (const std::string& key : keys) hashes.insert(pool_key_hash(key, seed));
    CHECK(hashes.size() == keys.size());
  }
}

TEST_CASE("pools with different seeds hash a key apart", "[keyed_pool]") {
  CHECK(pool_key_hash("host-1.example", 1) != pool_key_hash("host-1.example", 2));
  CHECK(pool_key_hash("host-1.example", 1) == pool_key_hash("host-1.example", 1));
}

TEST_CASE("the low bits that pick a bucket spread sequential keys evenly", "[keyed_pool]") {
  constexpr int kKeys = 1 << 16, kBuckets = 1 << 10;
  int per_bucket[kBuckets] = {};
  for (int i = 0; i < kKeys; ++i) ++per_bucket[pool_key_hash("host-" + std::to_string(i) + ".example", 0) % kBuckets];
  int fullest = 0;
  for (const int count : per_bucket) fullest = count > fullest ? count : fullest;
  CHECK(fullest < 2 * kKeys / kBuckets);  // 64 expected; a Poisson(64) bucket passes 128 with odds ~1e-11
}

TEST_CASE("a held key's look-up finds its value and a full pool drops the key used least recently",
          "[keyed_pool]") {
  KeyedPool<int> pool(2);
  int made = 0;
  const auto get = [&](const char* key) { return pool.visit(key, [&] { return ++made; }, [](int& v) { return v; }); };
  const auto held = [&](const char* key) { return pool.visit_if_present(key, [](int&) {}); };
  CHECK(get("a") == 1);
  CHECK(get("b") == 2);
  CHECK(get("a") == 1);  // found, not made again
  CHECK(get("c") == 3);  // full: "b" was used least recently and makes room
  CHECK(get("b") == 4);  // so it comes back afresh, in place of "a", used before "c" came
  CHECK(get("c") == 3);
  CHECK(get("a") == 5);  // in place of "b", not of "c", used since
  CHECK(held("c"));      // a look-up that makes nothing, last: it counts as a use
  CHECK(held("a"));
  CHECK_FALSE(held("b"));
  CHECK(pool.size() == 2);
}

TEST_CASE("for_each visits the values held, the most recently placed first, and not the evicted ones",
          "[keyed_pool]") {
  KeyedPool<int> pool(2);
  const auto visited = [&] {
    std::vector<int> values;
    pool.for_each([&](int& value) { values.push_back(value); });
    return values;
  };
  CHECK(visited().empty());
  for (const auto& [key, value] : {std::pair{"a", 1}, std::pair{"b", 2}, std::pair{"c", 3}}) {
    pool.visit(key, [value = value] { return value; }, [](int&) {});
  }
  CHECK(visited() == std::vector<int>{3, 2});  // "a", used least recently, made room for "c"
}
