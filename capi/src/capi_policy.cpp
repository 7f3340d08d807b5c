// The policy handle: construction, the stateless delay and read-back of parameters.
#include "capi_internal.hpp"

extern "C" {

int backoff_policy_new(backoff_policy** out, const backoff_config* config) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  return guarded([&] { *out = new backoff_policy(backoff::Policy(config->config)); });
}

void backoff_policy_free(backoff_policy* policy) { delete policy; }

int backoff_policy_delay(int64_t* out_ns, const backoff_policy* policy, uint64_t attempt, uint64_t key) {
  BACKOFF_READ(out_ns, policy, c_ns(policy->policy.delay(attempt, key)));
}

int backoff_policy_delay_within(int64_t* out_ns, const backoff_policy* policy, uint64_t attempt, uint64_t key,
                                int64_t elapsed_ns) {
  BACKOFF_READ(out_ns, policy, c_ns(policy->policy.delay_within(attempt, key, for_ns(elapsed_ns))));
}

int backoff_policy_delay_hinted(int64_t* out_ns, const backoff_policy* policy, uint64_t attempt, uint64_t key,
                                int64_t elapsed_ns, int64_t hint_ns) {
  BACKOFF_REQUIRE(out_ns);
  BACKOFF_REQUIRE(policy);
  return guarded([&] { *out_ns = c_ns(policy->policy.delay_hinted(attempt, key, for_ns(elapsed_ns), for_ns(hint_ns))); });
}

int backoff_policy_base_delay(int64_t* out_ns, const backoff_policy* policy, uint64_t attempt) {
  BACKOFF_READ(out_ns, policy, policy->policy.base_delay(attempt));
}

int backoff_policy_delay_bounds(int64_t* out_min_ns, int64_t* out_max_ns, const backoff_policy* policy,
                                uint64_t attempt) {
  BACKOFF_REQUIRE(policy);
  BACKOFF_REQUIRE(out_min_ns);
  BACKOFF_REQUIRE(out_max_ns);
  const backoff::DelayRange range = policy->policy.delay_bounds(attempt);
  *out_min_ns = range.min_ns;
  *out_max_ns = range.max_ns;
  return BACKOFF_OK;
}

int backoff_policy_get_i64(int64_t* out, const backoff_policy* policy, int param) {
  BACKOFF_READ(out, policy, policy->policy.get_i64(backoff::param_from_id<backoff::Param>(param)));
}

int backoff_policy_get_f64(double* out, const backoff_policy* policy, int param) {
  BACKOFF_READ(out, policy, policy->policy.get_f64(backoff::param_from_id<backoff::Param>(param)));
}

int backoff_policy_get_u64(uint64_t* out, const backoff_policy* policy, int param) {
  BACKOFF_READ(out, policy, policy->policy.get_u64(backoff::param_from_id<backoff::Param>(param)));
}

}
