#include "migrations.hpp"

#include <string>
#include <vector>

namespace backoff::jobs {
namespace {

// Version 1. Times are UNIX nanoseconds in bigint columns in both dialects, so one set of statements
// serves both. The partial indexes follow the states: the claim reads scheduled jobs in claim order, the
// lease sweep reads running jobs by expiry, purge reads finished jobs by age; each index holds only its
// state's rows, so the claim index stays small however many finished jobs are kept.
const std::vector<std::string> kVersion1Postgres = {
    "CREATE FUNCTION backoff_jobs_now_ns() RETURNS bigint LANGUAGE sql STABLE "
    "AS 'SELECT (extract(epoch FROM now()) * 1000000)::bigint * 1000'",
    "CREATE TABLE backoff_jobs (id bigserial PRIMARY KEY, queue text NOT NULL, type text NOT NULL, "
    "payload bytea NOT NULL, state smallint NOT NULL DEFAULT 0, priority integer NOT NULL DEFAULT 0, "
    "attempt bigint NOT NULL DEFAULT 0, max_attempts bigint NOT NULL, lease_token bigint NOT NULL DEFAULT 0, "
    "run_at bigint NOT NULL, created_at bigint NOT NULL, lease_expires_at bigint NOT NULL DEFAULT 0, "
    "finished_at bigint NOT NULL DEFAULT 0, unique_key text, policy text NOT NULL, "
    "last_error text NOT NULL DEFAULT '', worker text NOT NULL DEFAULT '')",
    "CREATE TABLE backoff_jobs_errors (job_id bigint NOT NULL, attempt bigint NOT NULL, at bigint NOT NULL, "
    "error text NOT NULL)",
    "CREATE TABLE backoff_jobs_queues (name text PRIMARY KEY, policy text NOT NULL, max_attempts bigint NOT NULL)",
};

const std::vector<std::string> kVersion1Sqlite = {
    "CREATE TABLE backoff_jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, type TEXT NOT NULL, "
    "payload BLOB NOT NULL, state INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL DEFAULT 0, "
    "attempt INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, lease_token INTEGER NOT NULL DEFAULT 0, "
    "run_at INTEGER NOT NULL, created_at INTEGER NOT NULL, lease_expires_at INTEGER NOT NULL DEFAULT 0, "
    "finished_at INTEGER NOT NULL DEFAULT 0, unique_key TEXT, policy TEXT NOT NULL, "
    "last_error TEXT NOT NULL DEFAULT '', worker TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE backoff_jobs_errors (job_id INTEGER NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL, "
    "error TEXT NOT NULL)",
    "CREATE TABLE backoff_jobs_queues (name TEXT PRIMARY KEY, policy TEXT NOT NULL, max_attempts INTEGER NOT NULL)",
};

const std::vector<std::string> kVersion1Common = {
    "CREATE INDEX backoff_jobs_claim ON backoff_jobs (queue, priority, run_at, id) WHERE state = 0",
    "CREATE INDEX backoff_jobs_leases ON backoff_jobs (queue, lease_expires_at) WHERE state = 1",
    "CREATE INDEX backoff_jobs_finished ON backoff_jobs (queue, state, finished_at) WHERE state >= 2",
    "CREATE UNIQUE INDEX backoff_jobs_unique ON backoff_jobs (unique_key) WHERE unique_key IS NOT NULL",
    "CREATE INDEX backoff_jobs_errors_job ON backoff_jobs_errors (job_id, attempt)",
};

std::vector<std::string> statements_of(int dialect, int version) {
  std::vector<std::string> all;
  if (version == 1) {
    all = dialect == BACKOFF_JOBS_DIALECT_POSTGRESQL ? kVersion1Postgres : kVersion1Sqlite;
    all.insert(all.end(), kVersion1Common.begin(), kVersion1Common.end());
  }
  return all;
}

bool has_version_table(Connection& db) {
  const std::string sql = db.dialect() == BACKOFF_JOBS_DIALECT_POSTGRESQL
                              ? "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'backoff_jobs_schema' "
                                "AND schemaname = current_schema()"
                              : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'backoff_jobs_schema'";
  return db.query(sql, {}).integer(0, 0) > 0;
}

}  // namespace

int read_schema_version(Connection& db) {
  if (!has_version_table(db)) return 0;
  const Result version = db.query("SELECT max(version) FROM backoff_jobs_schema", {});
  return static_cast<int>(version.rows() ? version.integer(0, 0) : 0);
}

void refuse_newer(int store_version) {
  if (store_version <= kSchemaVersion) return;
  throw JobsError(BACKOFF_JOBS_ESCHEMA, "schema: store is at version " + std::to_string(store_version) +
                                            ", this library knows up to " + std::to_string(kSchemaVersion) +
                                            "; upgrade libbackoff_jobs");
}

int migrate(Connection& db) {
  const bool postgres = db.dialect() == BACKOFF_JOBS_DIALECT_POSTGRESQL;
  db.begin();
  try {
    // Migrating processes take turns: an advisory lock (PostgreSQL) or the write lock BEGIN IMMEDIATE
    // already holds (SQLite). The version is read again under it.
    if (postgres) db.query("SELECT pg_advisory_xact_lock(7330571090417)", {});
    db.query("CREATE TABLE IF NOT EXISTS backoff_jobs_schema (version integer NOT NULL)", {});
    int version = read_schema_version(db);
    refuse_newer(version);
    for (++version; version <= kSchemaVersion; ++version) {
      for (const std::string& sql : statements_of(db.dialect(), version)) db.query(sql, {});
      db.query("INSERT INTO backoff_jobs_schema (version) VALUES ($1)", {Value::of(version)});
    }
    db.commit();
  } catch (...) {
    db.rollback();
    throw;
  }
  return kSchemaVersion;
}

}  // namespace backoff::jobs
