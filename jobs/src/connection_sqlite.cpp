// The SQLite store: one connection to a file in WAL mode. Several processes may share the file: writes
// take turns under SQLite's lock (BEGIN IMMEDIATE, a busy timeout), and a waiting worker notices another
// process's commit through PRAGMA data_version, which changes whenever another connection commits.
#include <poll.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "connection.hpp"

namespace backoff::jobs {
namespace {

constexpr int kBusyTimeoutMs = 10'000;
// How often an idle worker looks for another process's commit. PRAGMA data_version reads the WAL index
// in shared memory: no disk access, a few microseconds.
constexpr int kChangePollMs = 2;

// $1 -> ?1: the statements are written in PostgreSQL's form; SQLite reads ?NNN the same way.
std::string sqlite_placeholders(const std::string& sql) {
  std::string out = sql;
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  }
  return out;
}

void now_function(sqlite3_context* context, int, sqlite3_value**) { sqlite3_result_int64(context, unix_now_ns()); }

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw JobsError(BACKOFF_JOBS_ESTORE, "url: cannot open SQLite database " + quoted(path) + ": " + why);
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    sqlite3_create_function(db_, "backoff_jobs_now_ns", 0, SQLITE_UTF8, nullptr, now_function, nullptr, nullptr);
    try {
      execute("PRAGMA journal_mode=WAL");
      execute("PRAGMA synchronous=NORMAL");
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
  }

  ~SqliteConnection() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }

  int dialect() const noexcept override { return BACKOFF_JOBS_DIALECT_SQLITE; }

  Result query(const std::string& sql, const Params& params) override {
    sqlite3_stmt* statement = prepared(sql);
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{statement};
    for (std::size_t i = 0; i < params.size(); ++i) bind(statement, static_cast<int>(i + 1), params[i]);
    Result result;
    result.columns = static_cast<std::size_t>(sqlite3_column_count(statement));
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw_error("query");
      for (int c = 0; c < static_cast<int>(result.columns); ++c) result.cells.push_back(cell(statement, c));
    }
    result.affected = sqlite3_changes64(db_);
    return result;
  }

  void begin() override { execute("BEGIN IMMEDIATE"); }
  void commit() override { execute("COMMIT"); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void notify(std::string_view) override {}

  WaitResult wait_for_change(std::string_view, std::int64_t timeout_ns, int interrupt_fd) override {
    const std::int64_t deadline = unix_now_ns() + timeout_ns;
    const std::int64_t version = data_version();
    for (;;) {
      const std::int64_t left_ns = deadline - unix_now_ns();
      if (left_ns <= 0) return WaitResult::timeout;
      pollfd interrupt{interrupt_fd, POLLIN, 0};
      const int wait_ms = static_cast<int>(std::min<std::int64_t>(kChangePollMs, (left_ns + 999'999) / 1'000'000));
      if (poll(&interrupt, 1, wait_ms) > 0) return WaitResult::interrupted;
      if (data_version() != version) return WaitResult::changed;
    }
  }

  void reconnect(std::int64_t) override {
    throw JobsError(BACKOFF_JOBS_ESTORE, "SQLite connections are not reconnected");
  }

 private:
  sqlite3_stmt* prepared(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second;
    sqlite3_stmt* statement = nullptr;
    const std::string text = sqlite_placeholders(sql);
    if (sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
      throw_error("prepare");
    }
    statements_.emplace(sql, statement);
    return statement;
  }

  void bind(sqlite3_stmt* statement, int index, const Value& value) {
    int rc = SQLITE_OK;
    switch (value.kind) {
      case Value::Kind::null: rc = sqlite3_bind_null(statement, index); break;
      case Value::Kind::integer: rc = sqlite3_bind_int64(statement, index, value.integer); break;
      case Value::Kind::text:
        rc = sqlite3_bind_text64(statement, index, value.bytes.data(), value.bytes.size(), SQLITE_STATIC, SQLITE_UTF8);
        break;
      case Value::Kind::blob:
        rc = sqlite3_bind_blob64(statement, index, value.bytes.data(), value.bytes.size(), SQLITE_STATIC);
        break;
      case Value::Kind::integers: throw JobsError(BACKOFF_EINTERNAL, "an integer list bound on SQLite");
    }
    if (rc != SQLITE_OK) throw_error("bind");
  }

  static Cell cell(sqlite3_stmt* statement, int column) {
    Cell cell;
    switch (sqlite3_column_type(statement, column)) {
      case SQLITE_NULL: return cell;
      case SQLITE_INTEGER: cell.integer = sqlite3_column_int64(statement, column); break;
      default: {
        const void* bytes = sqlite3_column_blob(statement, column);
        cell.bytes.assign(static_cast<const char*>(bytes), static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
      }
    }
    cell.null = false;
    return cell;
  }

  std::int64_t data_version() { return query("PRAGMA data_version", {}).integer(0, 0); }

  void execute(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string why = message != nullptr ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      throw JobsError(BACKOFF_JOBS_ESTORE, std::string("SQLite: ") + sql + ": " + why);
    }
  }

  [[noreturn]] void throw_error(const char* what) {
    throw JobsError(BACKOFF_JOBS_ESTORE, std::string("SQLite ") + what + ": " + sqlite3_errmsg(db_));
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path) { return std::make_unique<SqliteConnection>(path); }

}  // namespace backoff::jobs
