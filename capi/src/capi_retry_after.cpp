// Server hints: the Retry-After parser of the core, behind the C ABI.
#include <cstdio>
#include <string>
#include <string_view>

#include "backoff/retry_after.hpp"
#include "capi_internal.hpp"

namespace {

// The value as the error message shows it: quoted, cut after 64 bytes, control and non-ASCII bytes
// escaped. It came from a server, so it must not put a terminal escape or a megabyte into a log line.
std::string quoted_for_message(std::string_view value) {
  constexpr std::size_t kShown = 64;
  std::string text = "'";
  for (const char c : value.substr(0, kShown)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      text += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      text += escaped;
    }
  }
  text += value.size() > kShown ? "'..." : "'";
  return text;
}

}  // namespace

extern "C" {

int backoff_retry_after_parse(int64_t* out_ns, const char* value, int64_t now_unix_ns) {
  BACKOFF_REQUIRE(out_ns);
  BACKOFF_REQUIRE(value);
  const std::string_view text(value);
  const std::optional<backoff::Duration> wait = backoff::parse_retry_after(text, now_unix_ns);
  if (wait) {
    *out_ns = backoff::capi::c_ns(*wait);
    return BACKOFF_OK;
  }
  return backoff::capi::guarded([&] {
    backoff::throw_invalid("value", "is neither Retry-After delta-seconds nor an HTTP-date",
                           quoted_for_message(text));
  });
}

}
