// Store URLs: which database, and where. See backoff_jobs_open() for the forms accepted.
#pragma once

#include <string>
#include <string_view>

namespace backoff::jobs {

struct StoreUrl {
  int dialect;         // a backoff_jobs_dialect
  std::string target;  // SQLite: the file path (or ":memory:"); PostgreSQL: the URL, for libpq
};

// Throws BACKOFF_EINVAL naming `url` (its password masked) for an empty URL, an unknown scheme or an
// SQLite URL without a path.
StoreUrl parse_store_url(std::string_view url);

// The URL with any password replaced by "***", for messages and logs.
std::string masked_url(std::string_view url);

}  // namespace backoff::jobs
