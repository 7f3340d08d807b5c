// backoff_jobs_store: a connection, the schema version it was found at, the interrupt pipe of
// backoff_jobs_interrupt, the retry policies its workers have rebuilt, and the worker loop's breakers.
// Every unit of work runs through run(): one transaction (or one autocommit statement), re-run from the
// start after the connection is re-established if the server went away meanwhile.
#pragma once

#include <memory>
#include <string>

#include "backoff/keyed_pool.hpp"
#include "connection.hpp"
#include "kind_breakers.hpp"
#include "policy_text.hpp"

namespace backoff::jobs {
// How many queues a store remembers the last expired-lease sweep of.
inline constexpr std::int64_t kSweptQueues = 1024;
}  // namespace backoff::jobs

struct backoff_jobs_store {
  std::unique_ptr<backoff::jobs::Connection> db;
  int schema_version = 0;
  int interrupt_read = -1;  // a non-blocking self-pipe: interrupt() writes a byte, wait() polls it
  int interrupt_write = -1;
  bool in_handler = false;  // inside backoff_jobs_work's handler: only heartbeat and interrupt are allowed
  backoff::jobs::PolicyCache policies;
  // Per queue, when its expired-lease sweep last ran (claim sweeps at most once a second), in bounded
  // memory however many queue names a store sees: the queue used least recently is dropped. A dropped
  // queue just sweeps again at its next claim, which is harmless: a sweep only fails leases that have
  // expired, so an early one costs its one indexed SELECT and changes nothing else.
  backoff::KeyedPool<std::int64_t> last_sweep_ns{backoff::jobs::kSweptQueues};
  std::unique_ptr<backoff::jobs::KindBreakers> breakers;  // set by backoff_jobs_set_breaker(); null: none
  std::uint64_t snoozed = 0;  // jobs the worker loop handed back unrun because their type's breaker was open

  backoff_jobs_store() = default;
  backoff_jobs_store(const backoff_jobs_store&) = delete;
  backoff_jobs_store& operator=(const backoff_jobs_store&) = delete;
  ~backoff_jobs_store();
};

namespace backoff::jobs {

// How long a store keeps trying to reach a PostgreSQL server that went away before it gives up.
inline constexpr std::int64_t kReconnectWithinNs = 30'000'000'000;

backoff_jobs_store* open_store(const char* url);

// Throws BACKOFF_JOBS_ESCHEMA unless the store is at this library's schema version.
void require_migrated(const backoff_jobs_store& store);

// True, once, after backoff_jobs_interrupt(): the pending interrupt is consumed.
bool take_interrupt(backoff_jobs_store& store) noexcept;

// Runs `body` in a write transaction (write = true) or as autocommit statements, reconnecting and
// running it again when the connection is lost. A body that throws rolls the transaction back.
template <class Body>
auto run(backoff_jobs_store& store, bool write, Body&& body) -> decltype(body()) {
  for (int lost = 0;; ++lost) {
    try {
      if (write) store.db->begin();
      auto result = body();
      if (write) store.db->commit();
      return result;
    } catch (const ConnectionLost&) {
      store.db->rollback();
      if (lost >= 2) throw;
      store.db->reconnect(kReconnectWithinNs);
    } catch (...) {
      store.db->rollback();
      throw;
    }
  }
}

}  // namespace backoff::jobs
