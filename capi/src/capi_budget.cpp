// The retry budget: its parameter table, config handle, budget handle and per-key pool.
#include <string>

#include "backoff/budget.hpp"
#include "backoff/budget_config.hpp"
#include "backoff/budget_pool.hpp"
#include "capi_config_family.hpp"
#include "capi_internal.hpp"

struct backoff_budget_config {
  backoff::BudgetConfig config;
};

struct backoff_budget_pool {
  backoff::BudgetPool pool;
};

namespace {

backoff::BudgetCount budget_count_from_int(int which) {
  return backoff::member_of<backoff::BudgetCount>(backoff::VocabFamily::budget_count, which, "which");
}

backoff_budget* new_budget(const backoff::BudgetConfig& config, backoff::Clock clock) {
  return budget_handle(backoff::Budget::make(config, clock));
}

int withdrawal_status(std::uint64_t ticket, uint64_t* out_ticket) {
  *out_ticket = ticket;
  return ticket != 0 ? BACKOFF_OK : BACKOFF_EBUDGET;
}

}  // namespace

extern "C" {

BACKOFF_CAPI_CONFIG_FAMILY(backoff_budget_, Budget)

int backoff_budget_new(backoff_budget** out, const backoff_budget_config* config) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  return guarded([&] { *out = new_budget(config->config, backoff::Clock{}); });
}

int backoff_budget_new_with_clock(backoff_budget** out, const backoff_budget_config* config, backoff_clock_fn clock,
                                  void* user_data) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  BACKOFF_REQUIRE(clock);
  return guarded([&] { *out = new_budget(config->config, backoff::Clock{clock, user_data}); });
}

void backoff_budget_free(backoff_budget* budget) {
  // The handle's reference, dropped: the budget goes if it was the last.
  backoff::BudgetRef::adopt(budget_of(budget));
}

int backoff_budget_record_request(backoff_budget* budget) {
  BACKOFF_CALL(budget, budget_of(budget)->record_request());
}

int backoff_budget_record_request_at(backoff_budget* budget, int64_t now_ns) {
  BACKOFF_CALL(budget, budget_of(budget)->record_request_at(at_ns(now_ns)));
}

int backoff_budget_record_failure(backoff_budget* budget) { BACKOFF_CALL(budget, budget_of(budget)->record_failure()); }

int backoff_budget_withdraw(uint64_t* out_ticket, backoff_budget* budget, int error_class) {
  BACKOFF_REQUIRE(out_ticket);
  BACKOFF_CALL(budget, return withdrawal_status(budget_of(budget)->withdraw(error_class_from_int(error_class)), out_ticket));
}

int backoff_budget_withdraw_at(uint64_t* out_ticket, backoff_budget* budget, int64_t now_ns, int error_class) {
  BACKOFF_REQUIRE(out_ticket);
  BACKOFF_CALL(budget, return withdrawal_status(
                           budget_of(budget)->withdraw_at(at_ns(now_ns), error_class_from_int(error_class)), out_ticket));
}

int backoff_budget_record_success(backoff_budget* budget, uint64_t ticket) {
  BACKOFF_CALL(budget, budget_of(budget)->record_success(ticket));
}

int backoff_budget_record_success_at(backoff_budget* budget, int64_t now_ns, uint64_t ticket) {
  BACKOFF_CALL(budget, budget_of(budget)->record_success_at(at_ns(now_ns), ticket));
}

int backoff_budget_refund(backoff_budget* budget, uint64_t ticket) { BACKOFF_CALL(budget, budget_of(budget)->refund(ticket)); }

int backoff_budget_refund_at(backoff_budget* budget, int64_t now_ns, uint64_t ticket) {
  BACKOFF_CALL(budget, budget_of(budget)->refund_at(at_ns(now_ns), ticket));
}

int backoff_budget_balance(int64_t* out_milli, backoff_budget* budget) {
  BACKOFF_READ(out_milli, budget, budget_of(budget)->balance_milli());
}

int backoff_budget_balance_at(int64_t* out_milli, backoff_budget* budget, int64_t now_ns) {
  BACKOFF_READ(out_milli, budget, budget_of(budget)->balance_milli_at(at_ns(now_ns)));
}

int backoff_budget_get_count(uint64_t* out, const backoff_budget* budget, int which) {
  BACKOFF_READ(out, budget, budget_of(budget)->count(budget_count_from_int(which)));
}

int backoff_budget_get_i64(int64_t* out, const backoff_budget* budget, int param) {
  BACKOFF_READ(out, budget, budget_of(budget)->config().get_i64(backoff::param_from_id<backoff::BudgetParam>(param)));
}

int backoff_budget_get_f64(double* out, const backoff_budget* budget, int param) {
  BACKOFF_READ(out, budget, budget_of(budget)->config().get_f64(backoff::param_from_id<backoff::BudgetParam>(param)));
}

int backoff_budget_pool_new(backoff_budget_pool** out, const backoff_budget_config* config, int64_t max_keys) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  return guarded([&] { *out = new backoff_budget_pool{backoff::BudgetPool(config->config, max_keys)}; });
}

int backoff_budget_pool_new_with_clock(backoff_budget_pool** out, const backoff_budget_config* config,
                                       int64_t max_keys, backoff_clock_fn clock, void* user_data) {
  BACKOFF_REQUIRE(out);
  BACKOFF_REQUIRE(config);
  BACKOFF_REQUIRE(clock);
  return guarded([&] {
    *out = new backoff_budget_pool{backoff::BudgetPool(config->config, max_keys, backoff::Clock{clock, user_data})};
  });
}

void backoff_budget_pool_free(backoff_budget_pool* pool) { delete pool; }

int backoff_budget_pool_get(backoff_budget** out, backoff_budget_pool* pool, const char* key) {
  BACKOFF_REQUIRE(pool);
  BACKOFF_REQUIRE(key);
  BACKOFF_REQUIRE(out);
  return guarded([&] { *out = budget_handle(pool->pool.get(key)); });
}

int backoff_budget_pool_size(int64_t* out, const backoff_budget_pool* pool) {
  BACKOFF_REQUIRE(pool);
  BACKOFF_REQUIRE(out);
  return guarded([&] { *out = static_cast<int64_t>(pool->pool.size()); });
}

}
