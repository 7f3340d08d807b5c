#include "backoff/vocabulary.hpp"

#include <array>
#include <utility>

#include "backoff/param_table.hpp"
#include "backoff/status.hpp"

namespace backoff {
namespace {

struct Entry {
  std::int64_t value;
  const char* name;
};

struct Family {
  const Entry* entries;
  int count;
};

#define BACKOFF_VOCAB_ENTRY(identifier, value, name, c_enumerator) {value, name},
constexpr Entry kFamilies[] = {BACKOFF_VOCAB_FAMILIES(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kStatus[] = {BACKOFF_VOCAB_STATUS(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kValueTypes[] = {BACKOFF_VOCAB_VALUE_TYPE(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kParamFields[] = {BACKOFF_VOCAB_PARAM_FIELD(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kKinds[] = {BACKOFF_VOCAB_KIND(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kJitters[] = {BACKOFF_VOCAB_JITTER(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kTrips[] = {BACKOFF_VOCAB_TRIP(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kWindows[] = {BACKOFF_VOCAB_WINDOW(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kBreakerStates[] = {BACKOFF_VOCAB_BREAKER_STATE(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kOutcomes[] = {BACKOFF_VOCAB_OUTCOME(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kBreakerCauses[] = {BACKOFF_VOCAB_BREAKER_CAUSE(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kBreakerCounts[] = {BACKOFF_VOCAB_BREAKER_COUNT(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kCalibrations[] = {BACKOFF_VOCAB_CALIBRATION(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kErrorClasses[] = {BACKOFF_VOCAB_ERROR_CLASS(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kBudgetCounts[] = {BACKOFF_VOCAB_BUDGET_COUNT(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kAttempts[] = {BACKOFF_VOCAB_ATTEMPT(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kRetryOutcomes[] = {BACKOFF_VOCAB_RETRY_OUTCOME(BACKOFF_VOCAB_ENTRY)};
constexpr Entry kStopWhens[] = {BACKOFF_VOCAB_STOP_WHEN(BACKOFF_VOCAB_ENTRY)};
#undef BACKOFF_VOCAB_ENTRY

// The parameter families' names come from their tables: ids are indexes there.
#define BACKOFF_PARAM_ENTRY(identifier, id, name, type, unit, default_text, domain, choices, c_enumerator) {id, name},
constexpr Entry kPolicyParamNames[] = {BACKOFF_POLICY_PARAMS(BACKOFF_PARAM_ENTRY)};
constexpr Entry kBreakerParamNames[] = {BACKOFF_BREAKER_PARAMS(BACKOFF_PARAM_ENTRY)};
constexpr Entry kBudgetParamNames[] = {BACKOFF_BUDGET_PARAMS(BACKOFF_PARAM_ENTRY)};
#undef BACKOFF_PARAM_ENTRY

template <int N>
constexpr Family family_of(const Entry (&entries)[N]) {
  return {entries, N};
}

// Indexed by VocabFamily, in the order of BACKOFF_VOCAB_FAMILIES.
constexpr Family kTable[] = {
    family_of(kFamilies),      family_of(kStatus),        family_of(kValueTypes),     family_of(kParamFields),
    family_of(kPolicyParamNames), family_of(kKinds),      family_of(kJitters),        family_of(kBreakerParamNames),
    family_of(kTrips),         family_of(kWindows),       family_of(kBreakerStates),  family_of(kOutcomes),
    family_of(kBreakerCauses), family_of(kBreakerCounts), family_of(kBudgetParamNames), family_of(kCalibrations),
    family_of(kErrorClasses),  family_of(kBudgetCounts),  family_of(kAttempts),       family_of(kRetryOutcomes),
    family_of(kStopWhens),
};
static_assert(std::size(kTable) == kVocabFamilyCount, "kTable lists every family of BACKOFF_VOCAB_FAMILIES");

constexpr std::int64_t dense_count(const Family& family) {
  for (int i = 0; i < family.count; ++i) {
    if (family.entries[i].value != i) return 0;
  }
  return family.count;
}

template <std::size_t... Id>
constexpr std::array<std::int64_t, sizeof...(Id)> dense_counts(std::index_sequence<Id...>) {
  return {dense_count(kTable[Id])...};
}

const Family* find(VocabFamily family) noexcept {
  const int id = static_cast<int>(family);
  return id >= 0 && id < kVocabFamilyCount ? &kTable[id] : nullptr;
}

}  // namespace

// constexpr: constant-initialized, so a check made during another unit's static initialization reads it
// filled.
constexpr std::array<std::int64_t, kVocabFamilyCount> kDenseMemberCount =
    dense_counts(std::make_index_sequence<kVocabFamilyCount>());

const char* name_of(VocabFamily family, std::int64_t value) noexcept {
  const Family* found = find(family);
  for (int i = 0; found != nullptr && i < found->count; ++i) {
    if (found->entries[i].value == value) return found->entries[i].name;
  }
  return nullptr;
}

std::int64_t value_of(VocabFamily family, std::string_view name, const char* what) {
  const Family* found = find(family);
  for (int i = 0; found != nullptr && i < found->count; ++i) {
    if (name == found->entries[i].name) return found->entries[i].value;
  }
  const char* label = what != nullptr ? what : name_of(VocabFamily::family, static_cast<int>(family));
  throw Error(Status::unknown_name, std::string(label != nullptr ? label : "family") + ": unknown value '" +
                                        clip_value(name) + "' (known: " + known_names(family, false) + ")");
}

std::int64_t require_listed_member(VocabFamily family, std::int64_t value, const char* what) {
  if (name_of(family, value) == nullptr) {
    throw Error(Status::unknown_name, std::string(what) + ": unknown value " + std::to_string(value) +
                                          " (known: " + known_names(family, /*with_values=*/true) + ")");
  }
  return value;
}

std::string known_names(VocabFamily family, bool with_values) {
  const Family* found = find(family);
  std::string names;
  for (int i = 0; found != nullptr && i < found->count; ++i) {
    if (i > 0) names += ", ";
    if (with_values) names += std::to_string(found->entries[i].value) + " ";
    names += found->entries[i].name;
  }
  return names;
}

const char* known_names_static(VocabFamily family) noexcept {
  // Built once, at the first call (thread-safe static initialization); the names never change.
  static const std::array<std::string, kVocabFamilyCount> listings = [] {
    std::array<std::string, kVocabFamilyCount> all;
    for (int i = 0; i < kVocabFamilyCount; ++i) all[static_cast<std::size_t>(i)] = known_names(static_cast<VocabFamily>(i), false);
    return all;
  }();
  const int id = static_cast<int>(family);
  return id >= 0 && id < kVocabFamilyCount ? listings[static_cast<std::size_t>(id)].c_str() : nullptr;
}

VocabFamily vocab_family_from_id(int id) {
  if (id < 0 || id >= kVocabFamilyCount) {
    throw Error(Status::unknown_name, "family: unknown enum family " + std::to_string(id));
  }
  return static_cast<VocabFamily>(id);
}

}  // namespace backoff
