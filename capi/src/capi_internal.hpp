// What every capi_*.cpp shares: the handle structs behind the opaque C types, and the boundary guard
// that turns core exceptions into status codes plus a thread-local message.
#pragma once

#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "backoff.h"
#include "backoff/adaptive_limiter.hpp"
#include "backoff/backoff.hpp"
#include "backoff/breaker.hpp"
#include "backoff/budget.hpp"
#include "backoff/config.hpp"
#include "backoff/policy.hpp"
#include "backoff/status.hpp"
#include "backoff/vocabulary.hpp"

struct backoff_config {
  backoff::Config config;
};

struct backoff_policy {
  explicit backoff_policy(backoff::Policy made)
      : shared(std::make_shared<const backoff::Policy>(std::move(made))), policy(*shared) {}
  // Shared with the states made from it, which then neither copy it (288 B) nor dangle when the policy is
  // freed before them (backoff_policy_free: states stay valid).
  const std::shared_ptr<const backoff::Policy> shared;
  const backoff::Policy& policy;
};

struct backoff_state {
  backoff::SharedBackoff state;
};

struct backoff_breaker {
  backoff::Breaker breaker;
};

// Shared for the same reason: retriers attached to a limiter keep it alive.
struct backoff_limiter {
  std::shared_ptr<backoff::AdaptiveLimiter> limiter;
};

namespace backoff::capi {

// The C ABI speaks int64_t nanoseconds, the core Duration and Instant: these are the one crossing each
// way. A negative C duration stays negative, so that the core, not this layer, rejects it.
inline Instant at_ns(int64_t now_ns) noexcept { return Instant::from_ns(now_ns); }

// A budget handle is its budget (Budget::make()'s allocation: no handle struct, no control block), and it
// holds one of the budget's counted references (BudgetRef), as a pool's entry and the retriers attached
// to the budget do: a handle freed by the caller, or a budget dropped by its pool to make room, never pulls
// the budget from under the others.
inline Budget* budget_of(backoff_budget* handle) noexcept { return reinterpret_cast<Budget*>(handle); }
inline const Budget* budget_of(const backoff_budget* handle) noexcept {
  return reinterpret_cast<const Budget*>(handle);
}
// The handle that holds `budget`'s reference from now on.
inline backoff_budget* budget_handle(BudgetRef budget) noexcept {
  return reinterpret_cast<backoff_budget*>(budget.release());
}
inline Duration for_ns(int64_t ns) noexcept { return nanoseconds(ns); }
inline int64_t c_ns(Instant t) noexcept { return t.ns(); }
inline int64_t c_ns(Duration d) noexcept { return d.ns(); }

// Records `message` as the calling thread's last error and returns `status`.
int fail(int status, const char* message) noexcept;

// Reports a NULL argument: "backoff_policy_new: out must not be NULL".
int null_argument(const char* function, const char* argument) noexcept;

// A backoff_error_class from its int; the core throws Error(unknown_name) naming `error_class` otherwise.
inline ErrorClass error_class_from_int(int error_class) {
  return member_of<ErrorClass>(VocabFamily::error_class, error_class, "error_class");
}

// Runs `body` and converts anything it throws; no exception crosses the C ABI. Returns BACKOFF_OK, or the
// status `body` returns if it returns one (an entry point whose answer is a status, as BACKOFF_EOPEN).
template <class Body>
int guarded(Body&& body) noexcept {
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      return BACKOFF_OK;
    } else {
      return body();
    }
  } catch (const Error& error) {
    return fail(static_cast<int>(error.status()), error.what());
  } catch (const std::bad_alloc&) {
    return fail(BACKOFF_ENOMEM, "out of memory");
  } catch (const std::exception& error) {
    return fail(BACKOFF_EINTERNAL, error.what());
  } catch (...) {
    return fail(BACKOFF_EINTERNAL, "unknown exception");
  }
}

}  // namespace backoff::capi

// Every capi_*.cpp speaks in these: the time crossings and the guard. Global using-declarations, in this
// internal header only, so that the entry points read as one line of translation each.
using backoff::capi::at_ns;
using backoff::capi::budget_handle;
using backoff::capi::budget_of;
using backoff::capi::c_ns;
using backoff::capi::error_class_from_int;
using backoff::capi::for_ns;
using backoff::capi::guarded;

// Returns from the calling entry point when an argument is NULL. A macro because it must return.
#define BACKOFF_REQUIRE(argument) \
  do { \
    if ((argument) == nullptr) return ::backoff::capi::null_argument(__func__, #argument); \
  } while (0)

// The two bodies most entry points have, written once. BACKOFF_CALL(handle, statements) checks the handle,
// then runs the statements inside guarded() (a `return status;` among them is the entry point's status).
// BACKOFF_READ(out, handle, expression) checks the handle and then `out`, and stores the expression's
// value in *out. Macros, as BACKOFF_REQUIRE, because they return from the entry point they stand in.
#define BACKOFF_CALL(handle, ...) \
  do { \
    BACKOFF_REQUIRE(handle); \
    return ::backoff::capi::guarded([&] { __VA_ARGS__; }); \
  } while (0)
#define BACKOFF_READ(out, handle, ...) \
  do { \
    BACKOFF_REQUIRE(handle); \
    BACKOFF_REQUIRE(out); \
    return ::backoff::capi::guarded([&] { *(out) = (__VA_ARGS__); }); \
  } while (0)
