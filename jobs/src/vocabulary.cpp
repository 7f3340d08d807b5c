#include "vocabulary.hpp"

#include <cstring>
#include <string>

#include "jobs_error.hpp"

namespace backoff::jobs {
namespace {

struct Name {
  int value;
  const char* name;
};

struct Family {
  const char* name;
  const Name* names;
  int count;
};

constexpr Name kStates[] = {{BACKOFF_JOBS_SCHEDULED, "scheduled"},
                            {BACKOFF_JOBS_RUNNING, "running"},
                            {BACKOFF_JOBS_COMPLETED, "completed"},
                            {BACKOFF_JOBS_FAILED, "failed"},
                            {BACKOFF_JOBS_CANCELLED, "cancelled"}};
constexpr Name kStatuses[] = {{BACKOFF_JOBS_ESTORE, "store_error"},
                              {BACKOFF_JOBS_ESCHEMA, "schema"},
                              {BACKOFF_JOBS_ENOTFOUND, "not_found"},
                              {BACKOFF_JOBS_ESTALE, "stale_lease"},
                              {BACKOFF_JOBS_ESTATE, "wrong_state"}};
constexpr Name kFields[] = {{BACKOFF_JOBS_FIELD_ID, "id"},
                            {BACKOFF_JOBS_FIELD_QUEUE, "queue"},
                            {BACKOFF_JOBS_FIELD_TYPE, "type"},
                            {BACKOFF_JOBS_FIELD_PAYLOAD, "payload"},
                            {BACKOFF_JOBS_FIELD_STATE, "state"},
                            {BACKOFF_JOBS_FIELD_PRIORITY, "priority"},
                            {BACKOFF_JOBS_FIELD_ATTEMPT, "attempt"},
                            {BACKOFF_JOBS_FIELD_MAX_ATTEMPTS, "max_attempts"},
                            {BACKOFF_JOBS_FIELD_LEASE_TOKEN, "lease_token"},
                            {BACKOFF_JOBS_FIELD_RUN_AT_NS, "run_at"},
                            {BACKOFF_JOBS_FIELD_CREATED_AT_NS, "created_at"},
                            {BACKOFF_JOBS_FIELD_LEASE_EXPIRES_AT_NS, "lease_expires_at"},
                            {BACKOFF_JOBS_FIELD_FINISHED_AT_NS, "finished_at"},
                            {BACKOFF_JOBS_FIELD_UNIQUE_KEY, "unique_key"},
                            {BACKOFF_JOBS_FIELD_POLICY, "policy"},
                            {BACKOFF_JOBS_FIELD_ERROR, "error"},
                            {BACKOFF_JOBS_FIELD_ERROR_AT_NS, "error_at"},
                            {BACKOFF_JOBS_FIELD_WORKER, "worker"},
                            {BACKOFF_JOBS_FIELD_COUNT, "count"}};
constexpr Name kOptions[] = {{BACKOFF_JOBS_OPT_PRIORITY, "priority"},
                             {BACKOFF_JOBS_OPT_RUN_AT_NS, "run_at"},
                             {BACKOFF_JOBS_OPT_DELAY_NS, "delay"},
                             {BACKOFF_JOBS_OPT_MAX_ATTEMPTS, "max_attempts"},
                             {BACKOFF_JOBS_OPT_UNIQUE_KEY, "unique_key"}};
constexpr Name kDialects[] = {{BACKOFF_JOBS_DIALECT_SQLITE, "sqlite"}, {BACKOFF_JOBS_DIALECT_POSTGRESQL, "postgresql"}};
constexpr Name kPlaceholders[] = {{BACKOFF_JOBS_PLACEHOLDER_NATIVE, "native"},
                                  {BACKOFF_JOBS_PLACEHOLDER_QMARK, "qmark"},
                                  {BACKOFF_JOBS_PLACEHOLDER_FORMAT, "format"},
                                  {BACKOFF_JOBS_PLACEHOLDER_NUMERIC, "numeric"}};
constexpr Name kLimits[] = {{BACKOFF_JOBS_LIMIT_MAX_PAYLOAD, "max_payload"},
                            {BACKOFF_JOBS_LIMIT_MAX_NAME, "max_name"},
                            {BACKOFF_JOBS_LIMIT_MAX_UNIQUE_KEY, "max_unique_key"},
                            {BACKOFF_JOBS_LIMIT_MAX_ERROR, "max_error"},
                            {BACKOFF_JOBS_LIMIT_MAX_ERRORS, "max_errors"},
                            {BACKOFF_JOBS_LIMIT_MAX_CLAIM, "max_claim"},
                            {BACKOFF_JOBS_LIMIT_MIN_LEASE_NS, "min_lease"},
                            {BACKOFF_JOBS_LIMIT_MAX_LEASE_NS, "max_lease"},
                            {BACKOFF_JOBS_LIMIT_MIN_PRIORITY, "min_priority"},
                            {BACKOFF_JOBS_LIMIT_MAX_PRIORITY, "max_priority"}};

template <int N>
constexpr Family family(const char* name, const Name (&names)[N]) {
  return {name, names, N};
}

// Indexed by backoff_jobs_enum_family.
constexpr Family kFamilies[] = {family("state", kStates),       family("status", kStatuses),
                                family("field", kFields),       family("option", kOptions),
                                family("dialect", kDialects),   family("placeholder", kPlaceholders),
                                family("limit", kLimits)};
constexpr int kFamilyCount = sizeof kFamilies / sizeof kFamilies[0];

const Family& family_or_throw(int family) {
  if (family < 0 || family >= kFamilyCount) {
    throw JobsError(BACKOFF_EUNKNOWN, "family: unknown enum family " + std::to_string(family));
  }
  return kFamilies[family];
}

std::string known_names(const Family& f) {
  std::string known;
  for (int i = 0; i < f.count; ++i) known += (i ? ", " : "") + std::string(f.names[i].name);
  return known;
}

}  // namespace

const char* name_of(int family, int value) noexcept {
  if (family < 0 || family >= kFamilyCount) return nullptr;
  for (int i = 0; i < kFamilies[family].count; ++i) {
    if (kFamilies[family].names[i].value == value) return kFamilies[family].names[i].name;
  }
  return nullptr;
}

int value_of(int family, const char* name) {
  const Family& f = family_or_throw(family);
  for (int i = 0; i < f.count; ++i) {
    if (std::strcmp(f.names[i].name, name) == 0) return f.names[i].value;
  }
  throw JobsError(BACKOFF_EUNKNOWN,
                  std::string(f.name) + ": unknown value " + quoted(name) + " (known: " + known_names(f) + ")");
}

void require_member(int family, int value, const char* param) {
  if (name_of(family, value) != nullptr) return;
  throw JobsError(BACKOFF_EUNKNOWN, std::string(param) + ": unknown value " + std::to_string(value) +
                                        " (known: " + known_names(family_or_throw(family)) + ")");
}

}  // namespace backoff::jobs
