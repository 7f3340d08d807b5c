// The core's enums seen from Python, generated from the vocabulary's lists so that no binding types a
// value list again. Members keep the C++ identifiers (RetryOutcome.retry), as every binding does.
// `Bound` names the enum at the expansion site:
//
//   { using Bound = backoff::Kind; py::enum_<Bound>(module, "Kind") BACKOFF_VOCAB_KIND(BACKOFF_BIND_VALUE); }
#pragma once

#include <pybind11/pybind11.h>

#include "backoff/vocabulary.hpp"
#include "backoff/vocabulary_params.hpp"

#define BACKOFF_BIND_VALUE(identifier, number, name, c_enumerator) .value(#identifier, Bound::identifier)
#define BACKOFF_BIND_PARAM(identifier, id, name, type, unit, default_text, domain, choices, c_enumerator) \
  .value(name, Bound::identifier)

namespace backoff_python {

// _core.enum_names(family) and _core.param_table(family) (bind_vocabulary.cpp).
void bind_vocabulary(pybind11::module_& module);

}  // namespace backoff_python
