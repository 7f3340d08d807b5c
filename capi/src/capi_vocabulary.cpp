// The vocabulary's entry points, and the compile-time pins of backoff.h's enumerators: every enumerator
// of every family is checked here against the core's value (vocabulary.hpp, vocabulary_params.hpp), so
// the header and the core cannot drift apart, and a value added to the core fails to compile until the
// header declares it.
#include "backoff/breaker.hpp"
#include "backoff/budget.hpp"
#include "backoff/param_table.hpp"
#include "backoff/retrier.hpp"
#include "backoff/vocabulary.hpp"
#include "capi_internal.hpp"

namespace {

// Each C enumerator equals the list's value, and the core's enumerator (generated from the list) too.
#define BACKOFF_PIN(identifier, value, name, c_enumerator) \
  static_assert((c_enumerator) == (value), "backoff.h's " #c_enumerator " is not the core's " #value);
#define BACKOFF_PIN_CORE(Enum, identifier, c_enumerator) \
  static_assert(static_cast<long long>(backoff::Enum::identifier) == (c_enumerator), \
                "backoff.h's " #c_enumerator " is not backoff::" #Enum "::" #identifier);
#define BACKOFF_PIN_PARAM(identifier, id, name, type, unit, default_text, domain, choices, c_enumerator) \
  BACKOFF_PIN(identifier, id, name, c_enumerator)

BACKOFF_VOCAB_FAMILIES(BACKOFF_PIN)
BACKOFF_VOCAB_PARAM_FIELD(BACKOFF_PIN)
BACKOFF_VOCAB_ATTEMPT(BACKOFF_PIN)  // the C loop's own vocabulary: the core has no enum for it

#define BACKOFF_PIN_STATUS(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(Status, i, c)
#define BACKOFF_PIN_VALUE_TYPE(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(ParamType, i, c)
#define BACKOFF_PIN_KIND(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(Kind, i, c)
#define BACKOFF_PIN_JITTER(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(Jitter, i, c)
#define BACKOFF_PIN_TRIP(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(TripRule, i, c)
#define BACKOFF_PIN_WINDOW(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(WindowKind, i, c)
#define BACKOFF_PIN_BREAKER_STATE(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(BreakerState, i, c)
#define BACKOFF_PIN_OUTCOME(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(Outcome, i, c)
#define BACKOFF_PIN_BREAKER_CAUSE(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(BreakerCause, i, c)
#define BACKOFF_PIN_BREAKER_COUNT(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(BreakerCount, i, c)
#define BACKOFF_PIN_CALIBRATION(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(Calibration, i, c)
#define BACKOFF_PIN_ERROR_CLASS(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(ErrorClass, i, c)
#define BACKOFF_PIN_BUDGET_COUNT(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(BudgetCount, i, c)
#define BACKOFF_PIN_RETRY_OUTCOME(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(RetryOutcome, i, c)
#define BACKOFF_PIN_STOP_WHEN(i, v, n, c) BACKOFF_PIN(i, v, n, c) BACKOFF_PIN_CORE(StopWhen, i, c)
#define BACKOFF_PIN_POLICY_PARAM(i, id, n, t, u, d, dom, ch, c) BACKOFF_PIN(i, id, n, c) BACKOFF_PIN_CORE(Param, i, c)
#define BACKOFF_PIN_BREAKER_PARAM(i, id, n, t, u, d, dom, ch, c) \
  BACKOFF_PIN(i, id, n, c) BACKOFF_PIN_CORE(BreakerParam, i, c)
#define BACKOFF_PIN_BUDGET_PARAM(i, id, n, t, u, d, dom, ch, c) \
  BACKOFF_PIN(i, id, n, c) BACKOFF_PIN_CORE(BudgetParam, i, c)

BACKOFF_VOCAB_STATUS(BACKOFF_PIN_STATUS)
BACKOFF_VOCAB_VALUE_TYPE(BACKOFF_PIN_VALUE_TYPE)
BACKOFF_VOCAB_KIND(BACKOFF_PIN_KIND)
BACKOFF_VOCAB_JITTER(BACKOFF_PIN_JITTER)
BACKOFF_VOCAB_TRIP(BACKOFF_PIN_TRIP)
BACKOFF_VOCAB_WINDOW(BACKOFF_PIN_WINDOW)
BACKOFF_VOCAB_BREAKER_STATE(BACKOFF_PIN_BREAKER_STATE)
BACKOFF_VOCAB_OUTCOME(BACKOFF_PIN_OUTCOME)
BACKOFF_VOCAB_BREAKER_CAUSE(BACKOFF_PIN_BREAKER_CAUSE)
BACKOFF_VOCAB_BREAKER_COUNT(BACKOFF_PIN_BREAKER_COUNT)
BACKOFF_VOCAB_CALIBRATION(BACKOFF_PIN_CALIBRATION)
BACKOFF_VOCAB_ERROR_CLASS(BACKOFF_PIN_ERROR_CLASS)
BACKOFF_VOCAB_BUDGET_COUNT(BACKOFF_PIN_BUDGET_COUNT)
BACKOFF_VOCAB_RETRY_OUTCOME(BACKOFF_PIN_RETRY_OUTCOME)
BACKOFF_VOCAB_STOP_WHEN(BACKOFF_PIN_STOP_WHEN)
BACKOFF_POLICY_PARAMS(BACKOFF_PIN_POLICY_PARAM)
BACKOFF_BREAKER_PARAMS(BACKOFF_PIN_BREAKER_PARAM)
BACKOFF_BUDGET_PARAMS(BACKOFF_PIN_BUDGET_PARAM)

// The C-only sentinels: no value of their family, so the lists leave them out.
static_assert(BACKOFF_BREAKER_NONE == -1 && BACKOFF_ATTEMPT_NONE == -1, "the C sentinels are -1");

bool is_family(int family) { return family >= 0 && family < backoff::kVocabFamilyCount; }

}  // namespace

extern "C" {

const char* backoff_name_of(int family, int value) {
  return is_family(family) ? backoff::name_of(static_cast<backoff::VocabFamily>(family), value) : nullptr;
}

int backoff_value_of(int* out, int family, const char* name) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(name);
  return backoff::capi::guarded([&] {
    *out = static_cast<int>(backoff::value_of(backoff::vocab_family_from_id(family), name));
  });
}

const char* backoff_param_info(int family, int param, int field) {
  int count = 0;
  const backoff::ParamSpec* table =
      is_family(family) ? backoff::param_table(static_cast<backoff::VocabFamily>(family), &count) : nullptr;
  if (table == nullptr || param < 0 || param >= count) return nullptr;
  const backoff::ParamSpec& spec = table[param];
  switch (field) {
    case BACKOFF_FIELD_NAME: return spec.name;
    case BACKOFF_FIELD_TYPE: return backoff::name_of(backoff::VocabFamily::value_type, static_cast<int>(spec.type));
    case BACKOFF_FIELD_UNIT: return spec.unit;
    case BACKOFF_FIELD_DEFAULT: return spec.default_text;
    case BACKOFF_FIELD_DOMAIN: return spec.domain;
    case BACKOFF_FIELD_CHOICES:
      return spec.choices == backoff::kNoChoices
                 ? ""
                 : backoff::known_names_static(static_cast<backoff::VocabFamily>(spec.choices));
    case BACKOFF_FIELD_RETRY_DEFAULT:
      return backoff::retry_stop_default(static_cast<backoff::VocabFamily>(family), param);
  }
  return nullptr;
}

}
