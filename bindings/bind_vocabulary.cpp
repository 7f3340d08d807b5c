// _core.enum_names and _core.param_table: the vocabulary (vocabulary.hpp, vocabulary_params.hpp) for
// the Python package, which builds its enums' checks and its parameter types from them.
#include <cstdint>
#include <string>

#include "backoff/param_table.hpp"
#include "backoff/status.hpp"
#include "bind.hpp"
#include "bind_vocabulary.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

backoff::VocabFamily family_named(const std::string& family) {
  return static_cast<backoff::VocabFamily>(backoff::value_of(backoff::VocabFamily::family, family, "family"));
}

// Every (value, name) of a family, in value order. The C API's enums are small: -64..63 covers them all.
py::list enum_names(const std::string& family) {
  const backoff::VocabFamily id = family_named(family);
  py::list names;
  for (std::int64_t value = -64; value < 64; ++value) {
    if (const char* name = backoff::name_of(id, value)) names.append(py::make_tuple(value, name));
  }
  return names;
}

// (name, type, unit, default, domain, choices, retry_default) of every parameter of "param",
// "breaker_param" or "budget_param", indexed by the parameter's id.
py::list param_table(const std::string& family) {
  int count = 0;
  const backoff::VocabFamily id = family_named(family);
  const backoff::ParamSpec* table = backoff::param_table(id, &count);
  if (table == nullptr) {
    throw backoff::Error(backoff::Status::unknown_name, "family: '" + family + "' has no parameter table");
  }
  py::list rows;
  for (int i = 0; i < count; ++i) {
    const backoff::ParamSpec& spec = table[i];
    const char* choices = spec.choices == backoff::kNoChoices
                              ? ""
                              : backoff::known_names_static(static_cast<backoff::VocabFamily>(spec.choices));
    rows.append(py::make_tuple(spec.name,
                               backoff::name_of(backoff::VocabFamily::value_type, static_cast<int>(spec.type)),
                               spec.unit, spec.default_text, spec.domain, choices,
                               backoff::retry_stop_default(id, i)));
  }
  return rows;
}

}  // namespace

void bind_vocabulary(py::module_& module) {
  module.def("enum_names", &enum_names, py::arg("family"));
  // The value of `name` in `family`, or the core's error naming `param` and listing the known names.
  module.def("value_of", [](const std::string& family, const py::handle& name, const std::string& param) {
    return backoff::value_of(family_named(family), text(name, param.c_str()), param.c_str());
  }, py::arg("family"), py::arg("name"), py::arg("param"));
  module.def("param_table", &param_table, py::arg("family"));
}

}  // namespace backoff_python
