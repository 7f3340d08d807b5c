// The circuit breaker: its parameter table, config handle, breaker handle and per-key pool.
#include <string>

#include "backoff/breaker.hpp"
#include "backoff/breaker_config.hpp"
#include "backoff/breaker_pool.hpp"
#include "capi_config_family.hpp"
#include "capi_internal.hpp"

struct backoff_breaker_config {
  backoff::BreakerConfig config;
};

struct backoff_breaker_pool {
  backoff::BreakerPool pool;
};

namespace {

// Enum arguments arrive as plain ints; the core's vocabulary checks each before the breaker sees it.
backoff::Outcome outcome_from_int(int outcome) {
  return backoff::member_of<backoff::Outcome>(backoff::VocabFamily::outcome, outcome, "outcome");
}

backoff::BreakerState state_from_int(int state) {
  return backoff::member_of<backoff::BreakerState>(backoff::VocabFamily::breaker_state, state, "state");
}

backoff::BreakerCount count_from_int(int which) {
  return backoff::member_of<backoff::BreakerCount>(backoff::VocabFamily::breaker_count, which, "which");
}

int admission_status(const backoff::Admission& admission, uint64_t* out_permit, int64_t* out_wait_ns) {
  *out_permit = admission.permit;
  *out_wait_ns = c_ns(admission.wait);
  return admission.admitted() ? BACKOFF_OK : BACKOFF_EOPEN;
}

}  // namespace

extern "C" {

BACKOFF_CAPI_CONFIG_FAMILY(backoff_breaker_, Breaker)

int backoff_breaker_config_set_open_policy(backoff_breaker_config* config, const backoff_policy* policy) {
  BACKOFF_REQUIRE(config);
  return guarded([&] {
    if (policy == nullptr) {
      config->config.clear_open_policy();
    } else {
      config->config.set_open_policy(policy->policy);
    }
  });
}

int backoff_breaker_new(backoff_breaker** out, const backoff_breaker_config* config) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  return guarded([&] { *out = new backoff_breaker{backoff::Breaker(config->config)}; });
}

int backoff_breaker_new_with_clock(backoff_breaker** out, const backoff_breaker_config* config,
                                   backoff_clock_fn clock, void* user_data) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  BACKOFF_REQUIRE(clock);
  return guarded([&] { *out = new backoff_breaker{backoff::Breaker(config->config, {clock, user_data})}; });
}

void backoff_breaker_free(backoff_breaker* breaker) { delete breaker; }

int backoff_breaker_acquire(uint64_t* out_permit, int64_t* out_wait_ns, backoff_breaker* breaker) {
  BACKOFF_REQUIRE(out_permit);
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_CALL(breaker, return admission_status(breaker->breaker.acquire(), out_permit, out_wait_ns));
}

int backoff_breaker_acquire_at(uint64_t* out_permit, int64_t* out_wait_ns, backoff_breaker* breaker, int64_t now_ns) {
  BACKOFF_REQUIRE(out_permit);
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_CALL(breaker, return admission_status(breaker->breaker.acquire_at(at_ns(now_ns)), out_permit, out_wait_ns));
}

int backoff_breaker_record(backoff_breaker* breaker, uint64_t permit, int outcome, int64_t duration_ns,
                           int64_t hint_ns) {
  BACKOFF_CALL(breaker,
               breaker->breaker.record(permit, outcome_from_int(outcome), for_ns(duration_ns), for_ns(hint_ns)));
}

int backoff_breaker_record_at(backoff_breaker* breaker, int64_t now_ns, uint64_t permit, int outcome,
                              int64_t duration_ns, int64_t hint_ns) {
  BACKOFF_CALL(breaker, breaker->breaker.record_at(at_ns(now_ns), permit, outcome_from_int(outcome),
                                                   for_ns(duration_ns), for_ns(hint_ns)));
}

int backoff_breaker_release(backoff_breaker* breaker, uint64_t permit) {
  BACKOFF_CALL(breaker, breaker->breaker.release(permit));
}

int backoff_breaker_transition(backoff_breaker* breaker, int state) {
  BACKOFF_CALL(breaker, breaker->breaker.transition_to(state_from_int(state)));
}

int backoff_breaker_transition_at(backoff_breaker* breaker, int64_t now_ns, int state) {
  BACKOFF_CALL(breaker, breaker->breaker.transition_to_at(at_ns(now_ns), state_from_int(state)));
}

int backoff_breaker_get_state(int* out, const backoff_breaker* breaker) {
  BACKOFF_READ(out, breaker, static_cast<int>(breaker->breaker.state()));
}

int backoff_breaker_get_count(uint64_t* out, const backoff_breaker* breaker, int which) {
  BACKOFF_READ(out, breaker, breaker->breaker.count(count_from_int(which)));
}

int backoff_breaker_get_count_at(uint64_t* out, const backoff_breaker* breaker, int64_t now_ns, int which) {
  BACKOFF_READ(out, breaker, breaker->breaker.count_at(at_ns(now_ns), count_from_int(which)));
}

int backoff_breaker_get_i64(int64_t* out, const backoff_breaker* breaker, int param) {
  BACKOFF_READ(out, breaker, breaker->breaker.config().get_i64(backoff::param_from_id<backoff::BreakerParam>(param)));
}

int backoff_breaker_get_f64(double* out, const backoff_breaker* breaker, int param) {
  BACKOFF_READ(out, breaker, breaker->breaker.config().get_f64(backoff::param_from_id<backoff::BreakerParam>(param)));
}

int backoff_breaker_set_listener(backoff_breaker* breaker, backoff_breaker_listener_fn listener, void* user_data) {
  BACKOFF_REQUIRE(breaker);
  return guarded([&] {
    if (listener == nullptr) {
      breaker->breaker.set_listener(nullptr);
      return;
    }
    breaker->breaker.set_listener([listener, user_data](const backoff::BreakerEvent& event) {
      return listener(static_cast<int>(event.state), static_cast<int>(event.previous),
                      static_cast<int>(event.cause), event.at_ns, user_data);
    });
  });
}

int backoff_breaker_poll_event(int* out_state, int* out_previous, int* out_cause, int64_t* out_at_ns,
                               backoff_breaker* breaker) {
  BACKOFF_REQUIRE(breaker);
  BACKOFF_REQUIRE(out_state);
  BACKOFF_REQUIRE(out_previous);
  BACKOFF_REQUIRE(out_cause);
  BACKOFF_REQUIRE(out_at_ns);
  return guarded([&] {
    const std::optional<backoff::BreakerEvent> event = breaker->breaker.poll_event();
    *out_state = event ? static_cast<int>(event->state) : BACKOFF_BREAKER_NONE;
    *out_previous = event ? static_cast<int>(event->previous) : 0;
    *out_cause = event ? static_cast<int>(event->cause) : 0;
    *out_at_ns = event ? event->at_ns : 0;
  });
}

int backoff_breaker_pool_new(backoff_breaker_pool** out, const backoff_breaker_config* config, int64_t max_keys) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  return guarded([&] { *out = new backoff_breaker_pool{backoff::BreakerPool(config->config, max_keys)}; });
}

void backoff_breaker_pool_free(backoff_breaker_pool* pool) { delete pool; }

int backoff_breaker_pool_acquire(uint64_t* out_permit, int64_t* out_wait_ns, backoff_breaker_pool* pool,
                                 const char* key) {
  BACKOFF_REQUIRE(out_permit);
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_REQUIRE(key);
  BACKOFF_CALL(pool, return admission_status(pool->pool.acquire(key), out_permit, out_wait_ns));
}

int backoff_breaker_pool_acquire_at(uint64_t* out_permit, int64_t* out_wait_ns, backoff_breaker_pool* pool,
                                    const char* key, int64_t now_ns) {
  BACKOFF_REQUIRE(out_permit);
  BACKOFF_REQUIRE(out_wait_ns);
  BACKOFF_REQUIRE(key);
  BACKOFF_CALL(pool, return admission_status(pool->pool.acquire_at(key, at_ns(now_ns)), out_permit, out_wait_ns));
}

int backoff_breaker_pool_record(backoff_breaker_pool* pool, const char* key, uint64_t permit, int outcome,
                                int64_t duration_ns, int64_t hint_ns) {
  BACKOFF_REQUIRE(key);
  BACKOFF_CALL(pool, pool->pool.record(key, permit, outcome_from_int(outcome), for_ns(duration_ns), for_ns(hint_ns)));
}

int backoff_breaker_pool_record_at(backoff_breaker_pool* pool, const char* key, int64_t now_ns, uint64_t permit,
                                   int outcome, int64_t duration_ns, int64_t hint_ns) {
  BACKOFF_REQUIRE(key);
  BACKOFF_CALL(pool, pool->pool.record_at(key, at_ns(now_ns), permit, outcome_from_int(outcome), for_ns(duration_ns),
                                          for_ns(hint_ns)));
}

int backoff_breaker_pool_release(backoff_breaker_pool* pool, const char* key, uint64_t permit) {
  BACKOFF_REQUIRE(key);
  BACKOFF_CALL(pool, pool->pool.release(key, permit));
}

int backoff_breaker_pool_state(int* out, backoff_breaker_pool* pool, const char* key) {
  BACKOFF_REQUIRE(key);
  BACKOFF_READ(out, pool, static_cast<int>(pool->pool.state(key)));
}

int backoff_breaker_pool_size(int64_t* out, const backoff_breaker_pool* pool) {
  BACKOFF_READ(out, pool, static_cast<int64_t>(pool->pool.size()));
}

}
