// KeyedPool<Value>: one value per key (a host, a partition, a tenant) in bounded memory, with lock-free
// look-ups of the keys already there. BreakerPool keeps its breakers in one; the Python binding keeps
// its per-key wrappers in another.
//
// A look-up hashes the key (pool_key_hash: keys are kept as 64-bit hashes, so memory does not depend on
// their length; two keys whose hashes collide, odds about n^2 / 2^65 for n keys, share a value), walks one
// bucket's chain and marks the entry used: no lock, no allocation, and no write to shared memory unless the
// pool has grown since the entry was last marked. A new key takes the mutex; when the pool is full it
// evicts the key used least recently (in the pool's insertions: uses between two insertions are not
// ordered among themselves), which starts afresh if it comes back.
//
// An evicted entry is unlinked at once but freed only once no look-up can still be reading it (epoch-based
// reclamation: a look-up registers in one of two epochs; the entries retired two epochs back are freed when
// no look-up of the previous epoch is left). Values are destroyed outside the mutex, so a value's
// destructor may call back into the pool. Memory per key: the value, 48 bytes of entry, malloc's
// rounding, and one 8-byte bucket; entries evicted and not yet freed (a handful, while look-ups run
// concurrently with insertions) come on top.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backoff/random.hpp"
#include "backoff/status.hpp"
#include "backoff/thread_stripe.hpp"

namespace backoff {

// The 64-bit hash pools key their values by. It lives in one process only, so it is free to change: it is
// built for short keys (a host name, a tenant id) at a few nanoseconds. The key is read as whole 64-bit
// words (native byte order), the last one overlapping the one before, so no byte is copied and no branch
// taken per byte; a key shorter than 8 bytes is read as two 4-byte or three 1-byte pieces that together
// cover it. Each 16 bytes go through one folded 128-bit multiplication (the product's high half XOR its
// low half: every input bit reaches the low bits the buckets are picked by), the last 16 with the length,
// so that a key and its zero-padded extension differ. For one key length, the words read determine the
// key, so two keys collide only by the fold's chance. Each pool hashes with a random `seed` of its own:
// keys chosen by someone else (host names taken from URLs) cannot be picked to collide, as they could be
// with a fixed hash (a word equal to the salt zeroes a fold, whatever the other word holds).
inline std::uint64_t pool_key_hash(std::string_view key, std::uint64_t seed) noexcept {
  const std::uint64_t word_salt = 0xe7037ed1a0b428dbull ^ seed, length_salt = 0xa0761d6478bd642full ^ seed;
  const auto fold = [](std::uint64_t a, std::uint64_t b) noexcept { return a * b ^ multiply_high(a, b); };
  const auto word = [](const char* at) noexcept {
    std::uint64_t value;
    std::memcpy(&value, at, 8);
    return value;
  };
  const auto half = [](const char* at) noexcept {
    std::uint32_t value;
    std::memcpy(&value, at, 4);
    return std::uint64_t{value};
  };
  const char* const bytes = key.data();
  const std::size_t size = key.size();
  std::uint64_t first = 0, last = 0, chain = length_salt;
  if (size >= 8) {
    for (std::size_t at = 0; size - at > 16; at += 16) {
      chain = fold(word(bytes + at) ^ word_salt, word(bytes + at + 8) ^ chain);
    }
    first = word(bytes + (size > 16 ? size - 16 : 0));
    last = word(bytes + size - 8);
  } else if (size >= 4) {
    first = half(bytes);
    last = half(bytes + size - 4);
  } else if (size > 0) {
    const auto byte = [bytes](std::size_t at) { return std::uint64_t{static_cast<unsigned char>(bytes[at])}; };
    first = byte(0) << 16 | byte(size / 2) << 8 | byte(size - 1);
  }
  return fold(length_salt ^ size, fold(first ^ word_salt, last ^ chain));
}

// At most this many keys per pool.
constexpr std::int64_t kMaxPoolKeys = std::int64_t{1} << 20;

template <class Value>
class KeyedPool {
 public:
  // Throws Error(invalid_value) for max_keys outside [1, kMaxPoolKeys].
  explicit KeyedPool(std::int64_t max_keys)
      : max_keys_(checked(max_keys)), mask_(bucket_count(max_keys) - 1), buckets_(mask_ + 1) {}
  KeyedPool(const KeyedPool&) = delete;
  KeyedPool& operator=(const KeyedPool&) = delete;
  // No look-up may run any more.
  ~KeyedPool() {
    for (Entry* entry = newest_; entry != nullptr;) delete std::exchange(entry, entry->older);
    for (auto& retired : limbo_) for (Entry* entry : retired) delete entry;
  }

  // Calls visit(value) with `key`'s value, made first by make() (which returns a Value) if the key is
  // not there, and returns what visit returns. make() runs with no lock held and may be user code; if
  // another thread adds the key meanwhile, its value wins and this one is dropped. visit() runs with no
  // lock held; the value stays alive until it returns, even if the key is evicted meanwhile.
  template <class Make, class Visit>
  decltype(auto) visit(std::string_view key, Make&& make, Visit&& visit) {
    const std::uint64_t hash = pool_key_hash(key, seed_);
    const ReadGuard guard(*this);
    Entry* entry = find(hash);
    if (entry == nullptr) entry = insert(new Entry(hash, std::forward<Make>(make)));
    return visit(entry->value);
  }

  // Calls visit(value) if `key` is there and returns true; false, calling nothing, if not.
  template <class Visit>
  bool visit_if_present(std::string_view key, Visit&& visit) {
    const std::uint64_t hash = pool_key_hash(key, seed_);
    const ReadGuard guard(*this);
    Entry* entry = find(hash);
    if (entry == nullptr) return false;
    visit(entry->value);
    return true;
  }

  // Calls visit(value) for every value the pool holds, the most recently placed first. Runs under the
  // pool's mutex (new keys wait meanwhile; look-ups do not): visit must not call the pool. For a reader
  // that lists what the pool holds now, such as an exporter's scrape.
  template <class Visit>
  void for_each(Visit&& visit) {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (Entry* entry = newest_; entry != nullptr; entry = entry->older) visit(entry->value);
  }

  std::size_t size() const noexcept { return size_.load(std::memory_order_relaxed); }
  std::int64_t max_keys() const noexcept { return max_keys_; }

 private:
  struct Entry {
    template <class Make>
    Entry(std::uint64_t key_hash, Make&& make) : hash(key_hash), value(make()) {}
    const std::uint64_t hash;
    std::atomic<Entry*> chain{nullptr};  // the next entry in this bucket
    Entry* newer = nullptr;              // the recency list, under mutex_
    Entry* older = nullptr;
    std::uint64_t placed = 0;            // the insertion count when the entry took its place in the list
    std::atomic<std::uint64_t> used{0};  // the insertion count at its last look-up
    Value value;
  };

  // Registers a look-up in the current epoch for its lifetime.
  class ReadGuard {
   public:
    explicit ReadGuard(KeyedPool& pool) noexcept {
      std::atomic<std::uint64_t>* const stripe = pool.readers_[thread_stripe<kReaderBits>()].active;
      for (;;) {
        const std::uint64_t epoch = pool.epoch_.load();
        count_ = &stripe[epoch & 1];
        count_->fetch_add(1);
        // Registered in time: the writer that advances the epoch next will see this count.
        if (pool.epoch_.load() == epoch) return;
        count_->fetch_sub(1, std::memory_order_release);
      }
    }
    ~ReadGuard() { count_->fetch_sub(1, std::memory_order_release); }
    ReadGuard(const ReadGuard&) = delete;
    ReadGuard& operator=(const ReadGuard&) = delete;

   private:
    std::atomic<std::uint64_t>* count_;
  };

  static constexpr unsigned kReaderBits = 3;
  struct alignas(64) ReaderStripe {
    std::atomic<std::uint64_t> active[2] = {};  // look-ups running, by epoch parity
  };

  static std::int64_t checked(std::int64_t max_keys) {
    if (max_keys < 1 || max_keys > kMaxPoolKeys) {
      throw_invalid("max_keys", ("must be in [1, " + std::to_string(kMaxPoolKeys) + "]").c_str(),
                    std::to_string(max_keys));
    }
    return max_keys;
  }
  static std::size_t bucket_count(std::int64_t max_keys) noexcept {
    std::size_t count = 1;
    while (count < static_cast<std::size_t>(max_keys)) count <<= 1;
    return count;
  }

  Entry* find(std::uint64_t hash) noexcept {
    for (Entry* entry = buckets_[hash & mask_].load(std::memory_order_acquire); entry != nullptr;
         entry = entry->chain.load(std::memory_order_acquire)) {
      if (entry->hash == hash) {
        // Load first: a hot key's line is written once per insertion, not once per look-up.
        const std::uint64_t now = insertions_.load(std::memory_order_relaxed);
        if (entry->used.load(std::memory_order_relaxed) != now) entry->used.store(now, std::memory_order_relaxed);
        return entry;
      }
    }
    return nullptr;
  }

  // Adds `made` unless a racing thread added the key first; returns the entry in the pool.
  Entry* insert(Entry* made) {
    std::vector<Entry*> freed;
    Entry* entry = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (entry = buckets_[made->hash & mask_].load(std::memory_order_relaxed); entry != nullptr;
           entry = entry->chain.load(std::memory_order_relaxed)) {
        if (entry->hash == made->hash) break;
      }
      if (entry == nullptr) {
        if (size_.load(std::memory_order_relaxed) == static_cast<std::size_t>(max_keys_)) evict_locked();
        const std::uint64_t now = insertions_.load(std::memory_order_relaxed) + 1;
        insertions_.store(now, std::memory_order_relaxed);
        link_locked(std::exchange(made, nullptr), now);
        entry = newest_;
      }
      advance_locked(freed);
    }
    delete made;  // the racing thread's value won
    for (Entry* old : freed) delete old;
    return entry;
  }

  void link_locked(Entry* entry, std::uint64_t now) noexcept {
    entry->placed = now;
    entry->used.store(now, std::memory_order_relaxed);
    entry->older = newest_;
    entry->newer = nullptr;
    (newest_ != nullptr ? newest_->newer : oldest_) = entry;
    newest_ = entry;
    std::atomic<Entry*>& bucket = buckets_[entry->hash & mask_];
    entry->chain.store(bucket.load(std::memory_order_relaxed), std::memory_order_relaxed);
    bucket.store(entry, std::memory_order_release);  // publishes the entry, value included
    size_.fetch_add(1, std::memory_order_relaxed);
  }

  void unlist_locked(Entry* entry) noexcept {
    (entry->newer != nullptr ? entry->newer->older : newest_) = entry->older;
    (entry->older != nullptr ? entry->older->newer : oldest_) = entry->newer;
  }

  // Drops the entry used least recently: the oldest in the list, once each entry used since it took its
  // place has gone to the front (its use is its new place), so that each entry moves at most once per use.
  void evict_locked() {
    for (;;) {
      Entry* oldest = oldest_;
      const std::uint64_t used = oldest->used.load(std::memory_order_relaxed);
      unlist_locked(oldest);
      if (used == oldest->placed) {
        unlink_locked(oldest);
        return;
      }
      oldest->placed = used;
      oldest->older = newest_;
      oldest->newer = nullptr;
      newest_->newer = oldest;
      newest_ = oldest;
    }
  }

  void unlink_locked(Entry* entry) {
    std::atomic<Entry*>* link = &buckets_[entry->hash & mask_];
    while (link->load(std::memory_order_relaxed) != entry) link = &link->load(std::memory_order_relaxed)->chain;
    // A look-up standing on `entry` still follows its chain, which stays as it was.
    link->store(entry->chain.load(std::memory_order_relaxed), std::memory_order_release);
    size_.fetch_sub(1, std::memory_order_relaxed);
    limbo_[epoch_.load(std::memory_order_relaxed) & 1].push_back(entry);
  }

  // Moves to the next epoch when no look-up of the previous one is left, and hands over the entries
  // retired in it: every look-up still running began after they were unlinked.
  void advance_locked(std::vector<Entry*>& freed) {
    const std::uint64_t epoch = epoch_.load(std::memory_order_relaxed);
    const unsigned previous = (epoch + 1) & 1;
    for (const ReaderStripe& stripe : readers_) {
      if (stripe.active[previous].load() != 0) return;
    }
    freed.swap(limbo_[previous]);
    epoch_.store(epoch + 1);
  }

  const std::int64_t max_keys_;
  const std::size_t mask_;
  const std::uint64_t seed_ = fresh_seed();  // pool_key_hash's
  std::vector<std::atomic<Entry*>> buckets_;
  std::atomic<std::size_t> size_{0};
  std::atomic<std::uint64_t> insertions_{0};  // written under mutex_, read by look-ups
  std::atomic<std::uint64_t> epoch_{0};       // written under mutex_, read by look-ups
  ReaderStripe readers_[1u << kReaderBits];
  std::mutex mutex_;
  Entry* newest_ = nullptr;
  Entry* oldest_ = nullptr;
  std::vector<Entry*> limbo_[2];  // unlinked entries by the parity of the epoch they were retired in
};

}  // namespace backoff
