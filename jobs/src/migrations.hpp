// Versioned schema migrations. Each version is a list of statements per dialect, applied in its own
// transaction together with the new version number, so a store is always at exactly one version.
#pragma once

#include "connection.hpp"

namespace backoff::jobs {

// The newest schema version this library knows.
inline constexpr int kSchemaVersion = 1;

// The store's version: 0 when it has never been migrated.
int read_schema_version(Connection& db);

// Applies every missing migration; throws BACKOFF_JOBS_ESCHEMA, changing nothing, for a newer store.
int migrate(Connection& db);

// Throws BACKOFF_JOBS_ESCHEMA for a store at a newer version than this library's.
void refuse_newer(int store_version);

}  // namespace backoff::jobs
