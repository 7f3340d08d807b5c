package backoff_test

import (
	"fmt"
	"testing"

	backoff "libbackoff.dev/ffi/go"
)

// The key's budget, closed when the test ends.
func budgetOf(t *testing.T, pool *backoff.BudgetPool, key string) *backoff.RetryBudget {
	budget, err := pool.Get(key)
	return kept(t, budget, err)
}

// Spends all 10 tokens of a budget at 5 a retry.
func spend(t *testing.T, budget *backoff.RetryBudget) {
	for i := 0; i < 2; i++ {
		if _, err := budget.Withdraw(backoff.ErrorOrdinary); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSpendingOneKeysBudgetLeavesTheOtherKeysFull(t *testing.T) {
	pool := newBudgetPool(t, 8, backoff.WithCapacity(10), backoff.WithRetryCost(5))
	spend(t, budgetOf(t, pool, "db-1"))
	if _, err := budgetOf(t, pool, "db-1").Withdraw(backoff.ErrorOrdinary); err != backoff.ErrBudgetExhausted {
		t.Errorf("a second handle to the spent key got %v, want ErrBudgetExhausted", err)
	}
	if balance := budgetOf(t, pool, "db-2").Balance(); balance != 10 {
		t.Errorf("another key's Balance() = %v, want 10", balance)
	}
}

func TestTheBudgetPoolDropsTheLeastRecentlyUsedKeyWhichComesBackFull(t *testing.T) {
	pool := newBudgetPool(t, 2, backoff.WithCapacity(10), backoff.WithRetryCost(5))
	spent := budgetOf(t, pool, "spent")
	spend(t, spent)
	for i := 0; i < 5; i++ {
		budgetOf(t, pool, fmt.Sprint("key-", i))
	}
	if pool.Size() != 2 {
		t.Fatalf("Size() = %d with max_keys 2", pool.Size())
	}
	if balance := budgetOf(t, pool, "spent").Balance(); balance != 10 {
		t.Errorf("the dropped key came back with %v tokens, want 10", balance)
	}
	if spent.Balance() != 0 {
		t.Errorf("the handle taken before the drop reads %v, want its own budget's 0", spent.Balance())
	}
}

func TestOneBudgetPoolServesConcurrentGoroutines(t *testing.T) {
	pool := newBudgetPool(t, 16)
	inParallel(func() {
		for i := 0; i < 500; i++ {
			budget, err := pool.Get(fmt.Sprint("host-", i%40))
			if err != nil {
				t.Errorf("Get: %v", err)
				return
			}
			ticket, err := budget.Withdraw(backoff.ErrorOrdinary)
			if err == nil {
				err = budget.Refund(ticket)
			}
			budget.Close()
			if err != nil {
				t.Errorf("Withdraw or Refund: %v", err)
				return
			}
		}
	})
	if pool.Size() != 16 {
		t.Errorf("Size() = %d after 40 keys, want max_keys 16", pool.Size())
	}
}
