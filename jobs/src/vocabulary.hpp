// The names of backoff_jobs.h's enum families, defined once: backoff_jobs_name_of / value_of and every
// message that names a state or a field read them here.
#pragma once

namespace backoff::jobs {

// The name of `value` in `family`, or nullptr.
const char* name_of(int family, int value) noexcept;
// The value named `name` in `family`; throws BACKOFF_EUNKNOWN naming the family and the known names.
int value_of(int family, const char* name);
// Throws BACKOFF_EUNKNOWN unless `value` is a member of `family`: "<param>: unknown value 7 (known: ...)".
void require_member(int family, int value, const char* param);

}  // namespace backoff::jobs
