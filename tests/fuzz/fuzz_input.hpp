// FuzzInput: reads typed values from a fuzzer's bytes, front to back.
//
// An exhausted input reads as zeros, so every byte string, however short, is a complete program for a
// target. The "edgy" readers spend one selector byte to land on the values where overflow and rounding
// bugs live (0, 1, -1, INT64_MAX, powers of two and their neighbours, NaN, infinities) far more often
// than uniform random bytes would, and fall back to raw bytes otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

namespace backoff_fuzz {

class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const { return size_ == 0; }

  std::uint8_t byte() {
    if (size_ == 0) return 0;
    --size_;
    return *data_++;
  }

  // Little-endian, so a corpus file means the same on every machine.
  std::uint64_t raw_u64() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 8) value |= static_cast<std::uint64_t>(byte()) << shift;
    return value;
  }

  bool flag() { return (byte() & 1) != 0; }

  // A value in [0, bound); bound must be positive.
  std::uint32_t below(std::uint32_t bound) { return static_cast<std::uint32_t>(byte() % bound); }

  std::uint64_t edgy_u64() {
    const std::uint8_t selector = byte();
    switch (selector % 8) {
      case 0: return byte();                                    // small
      case 1: return std::numeric_limits<std::uint64_t>::max() - byte();  // near the top
      case 2: {                                                 // a power of two, give or take a little
        const std::uint64_t power = std::uint64_t{1} << (byte() % 64);
        const std::int64_t nudge = static_cast<std::int8_t>(byte());
        return power + static_cast<std::uint64_t>(nudge);
      }
      case 3: return std::uint64_t{1} << 63;                    // INT64_MAX + 1
      default: return raw_u64();
    }
  }

  std::int64_t edgy_i64() {
    const std::uint8_t selector = byte();
    switch (selector % 8) {
      case 0: return static_cast<std::int8_t>(byte());          // small, either sign
      case 1: return std::numeric_limits<std::int64_t>::max() - byte();
      case 2: return std::numeric_limits<std::int64_t>::min() + byte();
      case 3: {                                                 // a round duration: 1 ns .. 1 h
        static constexpr std::int64_t kUnits[] = {1, 1'000, 1'000'000, 1'000'000'000, 60'000'000'000,
                                                  3'600'000'000'000};
        return static_cast<std::int64_t>(byte()) * kUnits[byte() % 6];
      }
      case 4: {
        const std::int64_t power = std::int64_t{1} << (byte() % 63);
        return power + static_cast<std::int8_t>(byte());
      }
      default: return static_cast<std::int64_t>(raw_u64());
    }
  }

  double edgy_f64() {
    static constexpr double kEdges[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, 1.0000000000000002, 0.9999999999999999,
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::max(),
        std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
        9223372036854775807.0, 1e300, 1e-300};
    const std::uint8_t selector = byte();
    switch (selector % 4) {
      case 0: return kEdges[byte() % (sizeof kEdges / sizeof kEdges[0])];
      case 1: return 1.0 + byte() / 64.0;  // a plausible multiplier or factor
      default: {
        const std::uint64_t bits = raw_u64();
        double value;
        std::memcpy(&value, &bits, sizeof value);
        return value;
      }
    }
  }

  // A string of up to 255 bytes: a length byte, then the bytes. Embedded NULs are kept; callers that
  // pass it through a C API see it cut at the first one, as a C caller would.
  std::string text() {
    const std::size_t length = byte();
    std::string value;
    for (std::size_t i = 0; i < length && size_ != 0; ++i) value.push_back(static_cast<char>(byte()));
    return value;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

}  // namespace backoff_fuzz
