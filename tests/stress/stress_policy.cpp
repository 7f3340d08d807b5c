// Stress test: many threads on one shared backoff_policy, which backoff.h declares safe to share.
//
// Each check computes its expected answers on one thread first, then has kThreads threads ask the same
// shared policy at once and compare. Under ThreadSanitizer any unsynchronised access fails the run.
//
// Usage: stress_policy <check>; the checks are listed at the bottom, one ctest each.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "backoff.h"
#include "stress_harness.hpp"

using backoff_stress::Failures;

namespace {

constexpr std::uint64_t kAttempts = 48;
constexpr std::uint64_t kKeys = 16;
constexpr int kRounds = 200;

// Builds a policy from "name=value" pairs; every pair must be accepted.
backoff_policy* make_policy(std::initializer_list<std::pair<const char*, const char*>> params) {
  backoff_config* config = nullptr;
  backoff_config_new(&config);
  for (const auto& [name, value] : params) {
    if (backoff_config_set_text(config, name, value) != BACKOFF_OK) std::abort();
  }
  backoff_policy* policy = nullptr;
  if (backoff_policy_new(&policy, config) != BACKOFF_OK) std::abort();
  backoff_config_free(config);
  return policy;
}

// One policy of each kind, seeded and not: an unseeded policy's stateless delays are just as fixed.
std::vector<backoff_policy*> make_policies() {
  return {
      make_policy({{"kind", "exponential"}, {"jitter", "full"}, {"seed", "42"}, {"cap", "30s"}}),
      make_policy({{"kind", "exponential"}, {"jitter", "randomization"}, {"multiplier", "1.5"}}),
      make_policy({{"kind", "decorrelated"}, {"multiplier", "3"}, {"seed", "7"}, {"max_attempts", "40"}}),
      make_policy({{"kind", "linear"}, {"increment", "250ms"}, {"jitter", "equal"}, {"cap", "5s"}}),
  };
}

void free_policies(const std::vector<backoff_policy*>& policies) {
  for (backoff_policy* policy : policies) backoff_policy_free(policy);
}

std::vector<std::int64_t> stateless_delays(const backoff_policy* policy) {
  std::vector<std::int64_t> delays;
  for (std::uint64_t attempt = 0; attempt < kAttempts; ++attempt) {
    for (std::uint64_t key = 0; key < kKeys; ++key) {
      std::int64_t delay = -2;
      backoff_policy_delay(&delay, policy, attempt, key);
      delays.push_back(delay);
    }
  }
  return delays;
}

// The delays a fresh state gives at fixed times; a stop ends the sequence.
std::vector<std::int64_t> state_delays(const backoff_policy* policy) {
  backoff_state* state = nullptr;
  if (backoff_state_new(&state, policy) != BACKOFF_OK) return {};
  backoff_state_reset_at(state, 0);
  std::vector<std::int64_t> delays;
  std::int64_t delay = 0;
  for (std::int64_t now = 0; delays.size() < kAttempts; now += BACKOFF_SECOND) {
    backoff_state_next_at(&delay, state, now, 0);
    delays.push_back(delay);
    if (delay == BACKOFF_STOP) break;
  }
  backoff_state_free(state);
  return delays;
}

void threads_get_the_single_threaded_delays(Failures& failures) {
  const std::vector<backoff_policy*> policies = make_policies();
  std::vector<std::vector<std::int64_t>> expected;
  for (const backoff_policy* policy : policies) expected.push_back(stateless_delays(policy));

  backoff_stress::run_concurrently([&](int thread) {
    for (int round = 0; round < kRounds; ++round) {
      // Threads start on different policies, so that every policy is read by several threads at once.
      for (std::size_t i = 0; i < policies.size(); ++i) {
        const std::size_t which = (i + static_cast<std::size_t>(thread)) % policies.size();
        if (stateless_delays(policies[which]) != expected[which]) {
          failures.add("policy " + std::to_string(which) + ": delays differ on thread " + std::to_string(thread));
        }
      }
    }
  });
  free_policies(policies);
}

void states_from_a_shared_seeded_policy_replay_its_sequence(Failures& failures) {
  const std::vector<backoff_policy*> policies = make_policies();
  const std::vector<backoff_policy*> seeded = {policies[0], policies[2]};
  std::vector<std::vector<std::int64_t>> expected;
  for (const backoff_policy* policy : seeded) expected.push_back(state_delays(policy));

  backoff_stress::run_concurrently([&](int thread) {
    for (int round = 0; round < kRounds; ++round) {
      const std::size_t which = static_cast<std::size_t>(thread + round) % seeded.size();
      if (state_delays(seeded[which]) != expected[which]) {
        failures.add("seeded policy " + std::to_string(which) + ": a state on thread " + std::to_string(thread) +
                     " gave another sequence");
      }
    }
  });
  free_policies(policies);
}

// Unseeded states draw their streams from a process-wide sequence: states created at the same instant
// on different threads must still get different streams, and the policy must not change.
void states_from_a_shared_unseeded_policy_get_distinct_streams(Failures& failures) {
  backoff_policy* policy = make_policy({{"kind", "exponential"}, {"jitter", "full"}, {"cap", "1h"}});
  const std::vector<std::int64_t> stateless_before = stateless_delays(policy);
  std::vector<std::vector<std::vector<std::int64_t>>> sequences(backoff_stress::kThreads);

  backoff_stress::run_concurrently([&](int thread) {
    for (int round = 0; round < kRounds; ++round) sequences[thread].push_back(state_delays(policy));
  });

  std::vector<std::vector<std::int64_t>> all;
  for (const auto& per_thread : sequences) all.insert(all.end(), per_thread.begin(), per_thread.end());
  std::sort(all.begin(), all.end());
  if (std::adjacent_find(all.begin(), all.end()) != all.end()) {
    failures.add("two unseeded states drew the same sequence of " + std::to_string(kAttempts) + " delays");
  }
  if (stateless_delays(policy) != stateless_before) failures.add("creating states changed the policy");
  backoff_policy_free(policy);
}

// backoff_last_error() is per thread: a thread's message names its own bad value, whatever the others do.
void each_thread_reads_its_own_last_error(Failures& failures) {
  backoff_stress::run_concurrently([&](int thread) {
    backoff_config* config = nullptr;
    backoff_config_new(&config);
    const std::string own_value = "(got -" + std::to_string(thread + 1) + ")";
    for (int round = 0; round < 5 * kRounds; ++round) {
      backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, -(thread + 1));
      backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS, 5);  // a success leaves the message alone
      const std::string message = backoff_last_error();
      if (message.find(own_value) == std::string::npos) {
        failures.add("thread " + std::to_string(thread) + " read \"" + message + "\"");
      }
    }
    backoff_config_free(config);
  });
}

constexpr backoff_stress::Check kChecks[] = {
    {"delays", threads_get_the_single_threaded_delays},
    {"seeded_states", states_from_a_shared_seeded_policy_replay_its_sequence},
    {"unseeded_states", states_from_a_shared_unseeded_policy_get_distinct_streams},
    {"last_error", each_thread_reads_its_own_last_error},
};

}  // namespace

int main(int argc, char** argv) { return backoff_stress::run_check(argc, argv, kChecks); }
