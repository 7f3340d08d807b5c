// The core's enums seen from Python, generated from the vocabulary's lists so that no binding types a
// value list again. Members keep the C++ identifiers (RetryOutcome.retry), as every binding does:
//
//   BACKOFF_BIND_ENUM(module, backoff::Outcome, "Outcome", BACKOFF_VOCAB_OUTCOME);
#pragma once

#include <pybind11/pybind11.h>

#include "backoff/vocabulary.hpp"
#include "backoff/vocabulary_params.hpp"

#define BACKOFF_BIND_VALUE(identifier, number, name, c_enumerator) .value(#identifier, Bound::identifier)
#define BACKOFF_BIND_PARAM(identifier, id, name, type, unit, default_text, domain, choices, c_enumerator) \
  .value(name, Bound::identifier)

// Binds `Enum` as `name` with a member per row of the X-macro `list` (BACKOFF_BIND_PARAM_ENUM: of a
// parameter list); `Bound` names the enum for the rows.
#define BACKOFF_BIND_ENUM(module, Enum, name, list) \
  [&] {                                            \
    using Bound = Enum;                            \
    pybind11::enum_<Bound>(module, name) list(BACKOFF_BIND_VALUE); \
  }()
#define BACKOFF_BIND_PARAM_ENUM(module, Enum, name, list) \
  [&] {                                                  \
    using Bound = Enum;                                  \
    pybind11::enum_<Bound>(module, name) list(BACKOFF_BIND_PARAM); \
  }()

namespace backoff_python {

// _core.enum_names(family) and _core.param_table(family) (bind_vocabulary.cpp).
void bind_vocabulary(pybind11::module_& module);

}  // namespace backoff_python
