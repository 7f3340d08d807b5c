#include "url.hpp"

#include <cctype>

#include "jobs_error.hpp"

namespace backoff::jobs {
namespace {


[[noreturn]] void reject(std::string_view url, const std::string& why) { throw_invalid("url", why, masked_url(url)); }

// "scheme" of "scheme://...", or "" when the text does not start with one (a plain file path).
std::string_view scheme_of(std::string_view url) {
  const std::size_t end = url.find("://");
  if (end == std::string_view::npos || end == 0) return {};
  for (std::size_t i = 0; i < end; ++i) {
    const char c = url[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return {};
  }
  return url.substr(0, end);
}

}  // namespace

StoreUrl parse_store_url(std::string_view url) {
  if (url.empty()) reject(url, "must not be empty");
  if (url == "sqlite::memory:") return {BACKOFF_JOBS_DIALECT_SQLITE, ":memory:"};
  const std::string_view scheme = scheme_of(url);
  if (scheme.empty()) return {BACKOFF_JOBS_DIALECT_SQLITE, std::string(url)};
  if (scheme == "postgresql" || scheme == "postgres") return {BACKOFF_JOBS_DIALECT_POSTGRESQL, std::string(url)};
  if (scheme == "sqlite") {
    // sqlite:///abs/path -> /abs/path; sqlite://rel/path -> rel/path.
    const std::string_view path = url.substr(std::string_view("sqlite://").size());
    if (path.empty() || path == "/") reject(url, "an SQLite URL needs a file path (sqlite:///path/to/jobs.db)");
    if (path.find('?') != std::string_view::npos) reject(url, "an SQLite URL takes no parameters");
    return {BACKOFF_JOBS_DIALECT_SQLITE, std::string(path)};
  }
  reject(url, "unknown scheme '" + std::string(scheme) + "' (known: sqlite, postgresql, postgres, or a file path)");
}

std::string masked_url(std::string_view url) {
  const std::size_t authority = url.find("://");
  if (authority == std::string_view::npos) return std::string(url);
  const std::size_t start = authority + 3;
  const std::size_t at = url.find('@', start);
  const std::size_t slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(url);
  const std::size_t colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

}  // namespace backoff::jobs
