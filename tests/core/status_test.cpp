// Error messages: a huge bad value is quoted by a short prefix and its length, never whole.
#include <string>

#include <catch2/catch.hpp>

#include "backoff/config.hpp"
#include "backoff/status.hpp"

namespace {

std::string message_of(const std::string& name, const std::string& value) {
  backoff::Config config;
  try {
    config.set_text(name, value);
  } catch (const backoff::Error& error) {
    return error.what();
  }
  FAIL("set_text(" << name << ") accepted a bad value");
  return "";
}

}  // namespace

TEST_CASE("a short value is quoted whole") {
  CHECK(backoff::clip_value("250 parsecs") == "250 parsecs");
  CHECK(backoff::clip_value(std::string(backoff::kClipAbove, 'x')) == std::string(backoff::kClipAbove, 'x'));
}

TEST_CASE("a long value is quoted by its first 64 bytes and its length") {
  const std::string value(backoff::kClipAbove + 1, 'x');
  CHECK(backoff::clip_value(value) == std::string(backoff::kClipPrefix, 'x') + "... (81 bytes)");
}

TEST_CASE("a quoted value is clipped inside its quotes") {
  const std::string value = "'" + std::string(100, 'x') + "'";
  CHECK(backoff::clip_value(value) == "'" + std::string(backoff::kClipPrefix, 'x') + "...' (100 bytes)");
  CHECK(backoff::clip_value("'short'") == "'short'");
}

TEST_CASE("clipping never cuts a UTF-8 character in two") {
  // 63 ASCII bytes, then 'é' (two bytes) straddles the 64-byte limit: it is dropped whole.
  const std::string value = std::string(63, 'a') + "\xC3\xA9" + std::string(100, 'b');
  CHECK(backoff::clip_value(value) == std::string(63, 'a') + "... (165 bytes)");
}

TEST_CASE("a megabyte of bad duration text gives a message of under 200 bytes") {
  const std::string message = message_of("initial", std::string(1 << 20, '9') + "y");
  CHECK_THAT(message, Catch::StartsWith("initial: "));
  CHECK_THAT(message, Catch::Contains("...' (1048577 bytes)"));
  CHECK(message.size() < 200);
}

TEST_CASE("a megabyte of unknown parameter name or choice is clipped too") {
  CHECK(message_of(std::string(1 << 20, 'n'), "1").size() < 200);
  const std::string message = message_of("kind", std::string(1 << 20, 'k'));
  CHECK_THAT(message, Catch::Contains("(1048576 bytes)"));
  CHECK_THAT(message, Catch::Contains("known: constant"));
}
