// The store interface: one database connection, SQLite or PostgreSQL, behind the few operations the
// job logic needs (run a statement, transactions, the database clock, wait for a change). The job logic
// (ops_*.cpp) is written once against it; only the SQL texts that must differ are chosen by dialect.
//
// Statements are written with PostgreSQL's $1, $2 placeholders and every value is a bound parameter;
// the SQLite connection reads $N as ?N. backoff_jobs_now_ns() is the database's clock in SQL: a function
// the migrations create in PostgreSQL and the SQLite connection registers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jobs_error.hpp"

namespace backoff::jobs {

// A bound parameter.
struct Value {
  enum class Kind { null, integer, text, blob, integers };
  Kind kind = Kind::null;
  std::int64_t integer = 0;
  std::string bytes;                  // text or blob
  std::vector<std::int64_t> integers;  // an int8[] (PostgreSQL only)

  static Value null_value() { return {}; }
  static Value of(std::int64_t v) { return {Kind::integer, v, {}, {}}; }
  static Value text(std::string_view v) { return {Kind::text, 0, std::string(v), {}}; }
  static Value blob(std::string_view v) { return {Kind::blob, 0, std::string(v), {}}; }
  static Value list(std::vector<std::int64_t> v) { return {Kind::integers, 0, {}, std::move(v)}; }
};
using Params = std::vector<Value>;

// A cell of a result: NULL, an integer, or bytes (text and blobs alike).
struct Cell {
  bool null = true;
  std::int64_t integer = 0;
  std::string bytes;
};

struct Result {
  std::size_t columns = 0;
  std::vector<Cell> cells;  // row-major
  std::int64_t affected = 0;  // rows changed by an INSERT, UPDATE or DELETE

  std::size_t rows() const noexcept { return columns == 0 ? 0 : cells.size() / columns; }
  const Cell& at(std::size_t row, std::size_t column) const { return cells.at(row * columns + column); }
  std::int64_t integer(std::size_t row, std::size_t column) const { return at(row, column).integer; }
};

// Thrown when the connection to the server is gone (PostgreSQL restarted, network cut): the store
// reconnects and runs the whole unit of work again.
class ConnectionLost : public JobsError {
 public:
  explicit ConnectionLost(const std::string& message) : JobsError(BACKOFF_JOBS_ESTORE, message) {}
};

// What a wait ended with.
enum class WaitResult { changed, timeout, interrupted };

class Connection {
 public:
  virtual ~Connection() = default;
  virtual int dialect() const noexcept = 0;

  // Runs one statement and returns its rows. Throws JobsError(BACKOFF_JOBS_ESTORE) quoting the
  // database, or ConnectionLost.
  virtual Result query(const std::string& sql, const Params& params) = 0;

  // A write transaction: BEGIN IMMEDIATE on SQLite (take the write lock now, so a read-then-write
  // transaction never fails to upgrade), BEGIN on PostgreSQL.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // Wakes the queue's idle workers when the current transaction commits (PostgreSQL NOTIFY; SQLite
  // waiters see the commit itself).
  virtual void notify(std::string_view queue) = 0;

  // Waits up to timeout_ns for a change that may concern `queue` (a notification for it, a commit to
  // the file), or for interrupt_fd to become readable.
  virtual WaitResult wait_for_change(std::string_view queue, std::int64_t timeout_ns, int interrupt_fd) = 0;

  // Re-establishes a lost connection, trying with backoff for up to `within_ns`; throws
  // JobsError(BACKOFF_JOBS_ESTORE) when it cannot.
  virtual void reconnect(std::int64_t within_ns) = 0;
};

std::unique_ptr<Connection> open_sqlite(const std::string& path);
std::unique_ptr<Connection> open_postgres(const std::string& url);

// The wall clock, UNIX ns: SQLite's database clock (every process on the machine shares it).
std::int64_t unix_now_ns() noexcept;

}  // namespace backoff::jobs
