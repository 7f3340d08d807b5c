#include "policy_text.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "jobs_error.hpp"

namespace backoff::jobs {
namespace {

// Turns a libbackoff status into the exception the guard reports, keeping libbackoff's own message.
void check(int status) {
  if (status != BACKOFF_OK) throw JobsError(status, backoff_last_error());
}

std::string value_text(const backoff_policy* policy, int param) {
  switch (backoff_param_type(param)) {
    case BACKOFF_TYPE_REAL: {
      double value = 0;
      check(backoff_policy_get_f64(&value, policy, param));
      char text[40];
      std::snprintf(text, sizeof text, "%.17g", value);  // round-trips exactly
      return text;
    }
    case BACKOFF_TYPE_SEED: {
      uint64_t value = 0;
      check(backoff_policy_get_u64(&value, policy, param));
      return std::to_string(value);
    }
    default: {
      int64_t value = 0;
      check(backoff_policy_get_i64(&value, policy, param));
      return std::to_string(value);
    }
  }
}

void set_value(backoff_config* config, const std::string& name, const std::string& value) {
  int param = 0;
  check(backoff_param_from_name(&param, name.c_str()));
  switch (backoff_param_type(param)) {
    case BACKOFF_TYPE_REAL: check(backoff_config_set_f64(config, param, std::strtod(value.c_str(), nullptr))); break;
    case BACKOFF_TYPE_SEED: check(backoff_config_set_u64(config, param, std::strtoull(value.c_str(), nullptr, 10))); break;
    default: check(backoff_config_set_i64(config, param, std::strtoll(value.c_str(), nullptr, 10)));
  }
}

struct ConfigHandle {
  backoff_config* config = nullptr;
  ~ConfigHandle() { backoff_config_free(config); }
};

}  // namespace

std::string policy_text(const backoff_policy* policy) {
  std::string text;
  for (int param = 0; backoff_param_name(param) != nullptr; ++param) {
    text += (param ? " " : "") + std::string(backoff_param_name(param)) + "=" + value_text(policy, param);
  }
  return text;
}

const std::string& default_policy_text() {
  static const std::string text = [] {
    ConfigHandle handle;
    check(backoff_config_new(&handle.config));
    for (const char* setting : {"kind=exponential", "initial=1s", "multiplier=2", "cap=1h", "jitter=full", "max_attempts=25",
                                "seed=0"}) {
      const std::string s(setting);
      const std::size_t eq = s.find('=');
      check(backoff_config_set_text(handle.config, s.substr(0, eq).c_str(), s.substr(eq + 1).c_str()));
    }
    backoff_policy* policy = nullptr;
    check(backoff_policy_new(&policy, handle.config));
    std::string result = policy_text(policy);
    backoff_policy_free(policy);
    return result;
  }();
  return text;
}

std::int64_t policy_max_attempts(const std::string& text) {
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    if (word.rfind("max_attempts=", 0) == 0) return std::strtoll(word.c_str() + 13, nullptr, 10);
  }
  return 0;
}

backoff_policy* policy_from_text(const std::string& text, std::int64_t max_attempts) {
  ConfigHandle handle;
  check(backoff_config_new(&handle.config));
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    const std::size_t eq = word.find('=');
    if (eq == std::string::npos) throw_invalid("policy", "each setting must be name=value", text);
    set_value(handle.config, word.substr(0, eq), word.substr(eq + 1));
  }
  check(backoff_config_set_i64(handle.config, BACKOFF_PARAM_MAX_ATTEMPTS, max_attempts));
  backoff_policy* policy = nullptr;
  check(backoff_policy_new(&policy, handle.config));
  return policy;
}

PolicyCache::~PolicyCache() {
  for (auto& [text, policy] : policies_) backoff_policy_free(policy);
}

std::int64_t PolicyCache::retry_delay(const std::string& text, std::int64_t max_attempts, std::int64_t attempt,
                                      std::int64_t job_id, std::int64_t elapsed_ns, std::int64_t hint_ns) {
  const std::string key = std::to_string(max_attempts) + "|" + text;
  auto found = policies_.find(key);
  if (found == policies_.end()) {
    if (policies_.size() >= kCapacity) {
      backoff_policy_free(policies_.at(order_.front()));
      policies_.erase(order_.front());
      order_.pop_front();
    }
    found = policies_.emplace(key, policy_from_text(text, max_attempts)).first;
    order_.push_back(key);
  }
  int64_t delay_ns = 0;
  check(backoff_policy_delay_hinted(&delay_ns, found->second, static_cast<uint64_t>(attempt - 1),
                                    static_cast<uint64_t>(job_id), elapsed_ns, hint_ns));
  return delay_ns;
}

}  // namespace backoff::jobs
