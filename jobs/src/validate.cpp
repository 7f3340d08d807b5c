#include "validate.hpp"

#include <cstring>

#include "jobs_error.hpp"
#include "limits.hpp"
#include "vocabulary.hpp"

namespace backoff::jobs {
namespace {

// The length of the UTF-8 sequence starting at text[i], or 0 if it is not a valid one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

const char* utf8_problem(std::string_view text, bool allow_newlines) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_length(text, i);
    if (length == 0) return "must be valid UTF-8";
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (length == 1 && (c < 0x20 || c == 0x7F) && !(allow_newlines && (c == '\n' || c == '\t' || c == '\r'))) {
      return "must not contain control characters";
    }
    i += length;
  }
  return nullptr;
}

std::string_view checked_text(const char* param, const char* value, std::int64_t max) {
  if (value == nullptr) throw JobsError(BACKOFF_ENULL, std::string(param) + ": must not be NULL");
  const std::string_view text(value);
  if (text.empty()) throw_invalid(param, "must not be empty", text);
  if (static_cast<std::int64_t>(text.size()) > max) {
    throw_invalid(param, "must be at most " + std::to_string(max) + " bytes (" + std::to_string(text.size()) + ")", text);
  }
  if (const char* problem = utf8_problem(text, false)) throw_invalid(param, problem, text);
  return text;
}

}  // namespace

std::string_view checked_name(const char* param, const char* value) { return checked_text(param, value, kMaxName); }

std::string_view checked_unique_key(const char* value) { return checked_text("unique_key", value, kMaxUniqueKey); }

std::string_view checked_payload(const void* payload, std::uint64_t size) {
  if (size > static_cast<std::uint64_t>(kMaxPayload)) {
    throw JobsError(BACKOFF_EINVAL, "payload_size: must be at most " + std::to_string(kMaxPayload) + " bytes (got " +
                                        std::to_string(size) + ")");
  }
  if (payload == nullptr && size != 0) throw JobsError(BACKOFF_ENULL, "payload: must not be NULL when payload_size is not 0");
  return size == 0 ? std::string_view() : std::string_view(static_cast<const char*>(payload), size);
}

void check_lease(std::int64_t lease_ns) {
  if (lease_ns < kMinLeaseNs || lease_ns > kMaxLeaseNs) {
    throw_invalid("lease_ns", "must be in [" + std::to_string(kMinLeaseNs) + ", " + std::to_string(kMaxLeaseNs) + "] ns",
                  static_cast<long long>(lease_ns));
  }
}

void check_claim_size(const char* param, std::uint64_t count) {
  if (count < 1 || count > static_cast<std::uint64_t>(kMaxClaim)) {
    throw_invalid(param, "must be in [1, " + std::to_string(kMaxClaim) + "]", static_cast<long long>(count));
  }
}

void check_state(int state, const char* param) { require_member(BACKOFF_JOBS_ENUM_STATE, state, param); }

std::string clipped_error(const char* error) {
  // An error text comes from a failure (a program's stderr, an exception): keep it whatever it holds,
  // with each invalid UTF-8 byte replaced by U+FFFD, so that reporting a failure can never fail.
  const std::string_view text = error == nullptr ? std::string_view() : std::string_view(error);
  std::string kept;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_length(text, i);
    const std::string_view piece = length == 0 ? std::string_view("\xEF\xBF\xBD") : text.substr(i, length);
    if (kept.size() + piece.size() > static_cast<std::size_t>(kMaxError)) break;
    kept += piece;
    i += length == 0 ? 1 : length;
  }
  return kept;
}

}  // namespace backoff::jobs
