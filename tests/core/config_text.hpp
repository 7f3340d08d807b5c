// Builds a Config from "name=value,name=value" text: the config column of the shared vectors, and a
// compact way for the tests to write a policy.
#pragma once

#include <string>
#include <string_view>

#include "backoff/config.hpp"
#include "backoff/policy.hpp"

namespace backoff_test {

inline backoff::Config config_from_text(std::string_view text) {
  backoff::Config config;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view pair = text.substr(0, comma);
    const std::size_t equals = pair.find('=');
    config.set_text(pair.substr(0, equals), equals == std::string_view::npos ? "" : pair.substr(equals + 1));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return config;
}

inline backoff::Policy policy_from_text(std::string_view text) { return backoff::Policy(config_from_text(text)); }

// One second between attempts, no jitter, with `limits` ("max_attempts=3,...") added.
inline backoff::Policy every_second(std::string_view limits) {
  return policy_from_text("kind=constant,initial=1s,jitter=none," + std::string(limits));
}

}  // namespace backoff_test
