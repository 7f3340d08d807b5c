//! Breakers and budgets by key through the safe wrapper: isolation, eviction, threads and bad input.

use std::time::Duration;

use backoff_ffi::{
    BreakerError, BreakerPool, BreakerState, BudgetPool, CircuitBreaker, CircuitOpen, ErrorCode, Jitter, Kind, Policy,
    Retry, RetryBudget,
};

fn breakers(max_keys: i64, threshold: u32) -> BreakerPool {
    let builder = CircuitBreaker::builder()
        .failure_threshold(threshold)
        .open_duration(Duration::from_secs(60));
    BreakerPool::new(builder, max_keys).unwrap()
}

/// Budgets of two retries' worth of tokens (10, at 5 a retry).
fn budgets(max_keys: i64) -> BudgetPool {
    BudgetPool::new(
        RetryBudget::builder().set("capacity", "10").set("retry_cost", "5"),
        max_keys,
    )
    .unwrap()
}

/// Retries an operation that always fails, without waiting, until the budget refuses: spends it all.
fn spend(budget: &RetryBudget) {
    let policy = Policy::builder()
        .kind(Kind::Constant)
        .initial(Duration::ZERO)
        .jitter(Jitter::None)
        .build()
        .unwrap();
    let _ = Retry::new(&policy)
        .budget(budget)
        .run_blocking(|| Err::<(), _>("down"), |_| true);
}

#[test]
fn tripping_one_keys_breaker_leaves_the_other_keys_closed() {
    let pool = breakers(16, 2);
    for _ in 0..2 {
        assert_eq!(
            pool.call("db-1", || Err::<(), _>("down")),
            Err(BreakerError::Failed("down"))
        );
    }
    let Err(BreakerError::Open(CircuitOpen { retry_in })) = pool.call("db-1", || Ok::<_, ()>(())) else {
        panic!("the open key admitted a call")
    };
    assert!(
        retry_in > Duration::from_secs(59) && retry_in <= Duration::from_secs(60),
        "{retry_in:?}"
    );
    assert_eq!(pool.call("db-2", || Ok::<_, ()>(7)), Ok(7));
    assert_eq!(
        (pool.state("db-1"), pool.state("db-2")),
        (BreakerState::Open, BreakerState::Closed)
    );
}

#[test]
fn the_pool_drops_the_least_recently_used_key_which_comes_back_closed() {
    let pool = breakers(4, 1);
    let _ = pool.call("tripped", || Err::<(), _>("down"));
    for i in 0..10 {
        pool.acquire(&format!("key-{i}")).unwrap().success();
        assert!(pool.size() <= 4, "size {}", pool.size());
    }
    assert_eq!((pool.size(), pool.state("tripped")), (4, BreakerState::Closed));
    pool.acquire("tripped")
        .expect("the dropped key came back closed")
        .success();
}

#[test]
fn a_permit_whose_key_was_dropped_changes_nothing() {
    let pool = breakers(1, 1);
    let permit = pool.acquire("a").unwrap();
    pool.acquire("b").unwrap().success(); // drops "a"
    permit.failure(Duration::ZERO);
    assert_eq!(pool.state("a"), BreakerState::Closed);
}

/// A pool whose key "a" is half-open, its one probe slot free: tripped, and its 1 ms open period over.
fn half_open_pool() -> BreakerPool {
    let builder = CircuitBreaker::builder()
        .failure_threshold(1)
        .open_duration(Duration::from_millis(1));
    let pool = BreakerPool::new(builder, 4).unwrap();
    let _ = pool.call("a", || Err::<(), _>("down"));
    std::thread::sleep(Duration::from_millis(5));
    pool
}

#[test]
fn a_dropped_pool_permit_frees_its_half_open_probe_slot() {
    let pool = half_open_pool();
    let probe = pool.acquire("a").expect("the one probe slot");
    assert_eq!(pool.acquire("a").unwrap_err().retry_in, Duration::ZERO, "slot taken");
    drop(probe);
    pool.acquire("a").expect("slot given back").success();
    assert_eq!(pool.state("a"), BreakerState::Closed);
}

#[tokio::test]
async fn a_cancelled_call_async_frees_its_half_open_probe_slot() {
    let pool = half_open_pool();
    tokio::select! {
        biased;
        _ = pool.call_async("a", std::future::pending::<Result<(), ()>>()) => unreachable!(),
        () = async { assert_eq!(pool.acquire("a").unwrap_err().retry_in, Duration::ZERO, "slot taken") } => {}
    }
    assert_eq!(pool.call_async("a", async { Ok::<_, ()>(7) }).await, Ok(7));
    assert_eq!(pool.state("a"), BreakerState::Closed);
}

#[test]
fn long_keys_are_compared_whole() {
    let pool = breakers(8, 1);
    let prefix = "k".repeat(1000); // past the stack copy: the heap's
    pool.acquire(&format!("{prefix}1")).unwrap().failure(Duration::ZERO);
    assert_eq!(pool.state(&format!("{prefix}1")), BreakerState::Open);
    assert_eq!(pool.state(&format!("{prefix}2")), BreakerState::Closed);
}

#[test]
fn one_breaker_pool_serves_threads_on_many_keys() {
    let pool = breakers(16, 1000);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for i in 0..2000 {
                    assert_eq!(pool.call(&format!("host-{}", i % 40), || Ok::<_, ()>(())), Ok(()));
                }
            });
        }
    });
    assert_eq!(pool.size(), 16);
}

#[test]
fn pools_reject_max_keys_out_of_range_naming_it() {
    for max_keys in [0, (1 << 20) + 1] {
        let error = BreakerPool::new(CircuitBreaker::builder(), max_keys).unwrap_err();
        assert_eq!(error.code(), ErrorCode::Invalid);
        assert!(
            error.message().contains("max_keys") && error.message().contains(&max_keys.to_string()),
            "{error}"
        );
        let error = BudgetPool::new(RetryBudget::builder(), max_keys).unwrap_err();
        assert!(
            error.message().contains("max_keys") && error.message().contains(&max_keys.to_string()),
            "{error}"
        );
    }
    let error = BreakerPool::new(CircuitBreaker::builder().failure_threshold(0), 8).unwrap_err();
    assert!(error.message().contains("failure_threshold"), "{error}");
}

#[test]
fn spending_one_keys_budget_leaves_the_other_keys_full() {
    let pool = budgets(8);
    spend(&pool.get("db-1").unwrap());
    assert_eq!(
        pool.get("db-1").unwrap().balance(),
        0.0,
        "a second handle shares the spent budget"
    );
    assert_eq!(pool.get("db-2").unwrap().balance(), 10.0);
}

#[test]
fn the_budget_pool_drops_the_least_recently_used_key_which_comes_back_full() {
    let pool = budgets(2);
    let spent = pool.get("spent").unwrap();
    spend(&spent);
    for i in 0..5 {
        pool.get(&format!("key-{i}")).unwrap();
    }
    assert_eq!(pool.size(), 2);
    assert_eq!(pool.get("spent").unwrap().balance(), 10.0);
    assert_eq!(
        spent.balance(),
        0.0,
        "a handle taken before the drop keeps its own budget"
    );
}

#[test]
fn one_budget_pool_serves_threads() {
    let pool = budgets(16);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                for i in 0..500 {
                    assert_eq!(pool.get(&format!("host-{}", i % 40)).unwrap().balance(), 10.0);
                }
            });
        }
    });
    assert_eq!(pool.size(), 16);
}
