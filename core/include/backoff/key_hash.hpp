// The key hash: one stable 64-bit number for a key given as bytes (a job id, a client name), so that
// Policy::delay(attempt, key) gives a text key the same delay in every process and every language.
//
// The function is fixed forever (the shared vectors pin it), and simple enough to write again anywhere:
// FNV-1a over the bytes, then SplitMix64's finaliser, which FNV-1a lacks, so that keys differing in their
// last byte land in unrelated streams:
//
//   h = 0xcbf29ce484222325                        (FNV-1a's 64-bit offset basis)
//   for each byte b:  h = (h ^ b) * 0x100000001b3   modulo 2^64
//   key = mix64(h)                                (random.hpp: SplitMix64's finaliser)
//
// Examples: key_hash("") = mix64(0xcbf29ce484222325). Text is hashed as its bytes: Python hashes a str
// as its UTF-8 encoding, and so should every language.
#pragma once

#include <cstddef>
#include <cstdint>

#include "backoff/random.hpp"

namespace backoff {

constexpr std::uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ull;

constexpr std::uint64_t key_hash(const unsigned char* bytes, std::size_t size) noexcept {
  std::uint64_t h = kFnvOffsetBasis;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ bytes[i]) * kFnvPrime;
  return mix64(h);
}

}  // namespace backoff
