// What the C entry points (capi_jobs_*.cpp) share: one shape for every entry point. Each one refuses its
// NULL arguments in a fixed order (out-parameters, the store with its re-entry guard, then the inputs),
// runs its body under jobs_guarded, and returns BACKOFF_OK when the body returns normally.
#pragma once

#include <initializer_list>

#include "jobs_error.hpp"
#include "ops.hpp"

namespace backoff::jobs {

// A pointer argument an entry point requires (when `needed`), and its name for the BACKOFF_ENULL message.
struct Required {
  const char* name;
  const void* pointer;
  bool needed = true;
};

// The status that refuses the call, or BACKOFF_OK: the first NULL of `outs`, then a NULL store or one
// called from a backoff_jobs_work handler on itself (only heartbeat and interrupt may be), then the first
// NULL of `inputs`. An entry point without a store passes `store_guarded` false to skip the store checks.
int refuse_entry(const char* function, std::initializer_list<Required> outs, const backoff_jobs_store* store,
                 bool store_guarded, std::initializer_list<Required> inputs) noexcept;

// Runs `body` (returning nothing) guarded: BACKOFF_OK, or the status of what it threw.
template <class Body>
int jobs_call(const char* function, Body&& body) noexcept {
  return jobs_guarded(function, [&]() -> int {
    body();
    return BACKOFF_OK;
  });
}

// An entry point on a store: refuse_entry's checks, then jobs_call(body).
template <class Body>
int store_entry(const char* function, std::initializer_list<Required> outs, backoff_jobs_store* store,
                std::initializer_list<Required> inputs, Body&& body) noexcept {
  const int refused = refuse_entry(function, outs, store, true, inputs);
  return refused != BACKOFF_OK ? refused : jobs_call(function, body);
}

// An entry point without a store: its arguments' NULL checks, then jobs_call(body).
template <class Body>
int plain_entry(const char* function, std::initializer_list<Required> required, Body&& body) noexcept {
  const int refused = refuse_entry(function, required, nullptr, false, {});
  return refused != BACKOFF_OK ? refused : jobs_call(function, body);
}

// Writes an optional out-parameter: the caller may pass NULL for what it does not want.
template <class T, class V>
void set_optional(T* out, V value) noexcept {
  if (out != nullptr) *out = static_cast<T>(value);
}

}  // namespace backoff::jobs
