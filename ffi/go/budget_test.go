package backoff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

func TestTheBudgetGrantsRetriesUntilItsTokensRunOut(t *testing.T) {
	budget := newBudget(t, backoff.WithCapacity(10), backoff.WithRetryCost(5))
	first, err := budget.Withdraw(backoff.ErrorOrdinary)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := budget.Withdraw(backoff.ErrorOrdinary); err != nil {
		t.Fatal(err)
	}
	if _, err := budget.Withdraw(backoff.ErrorOrdinary); err != backoff.ErrBudgetExhausted {
		t.Fatalf("a third withdrawal got %v, want ErrBudgetExhausted", err)
	}
	if budget.Balance() != 0 {
		t.Errorf("Balance() = %v, want 0", budget.Balance())
	}
	if err := budget.RecordSuccess(first); err != nil { // AWS refunds a successful retry's cost
		t.Fatal(err)
	}
	if budget.Balance() != 5 {
		t.Errorf("Balance() = %v after a successful retry, want 5", budget.Balance())
	}
	wantError(t, budget.RecordSuccess(first), backoff.CodeInvalid, "ticket")
}

func TestAnUnknownErrorClassIsRejected(t *testing.T) {
	_, err := newBudget(t).Withdraw(backoff.ErrorClass(7))
	wantError(t, err, backoff.CodeUnknown, "7")
}

func TestARefundGivesTheTokensBack(t *testing.T) {
	budget := newBudget(t, backoff.WithCapacity(10), backoff.WithRetryCost(5))
	ticket, _ := budget.Withdraw(backoff.ErrorOrdinary)
	if err := budget.Refund(ticket); err != nil {
		t.Fatal(err)
	}
	if budget.Balance() != 10 {
		t.Errorf("Balance() = %v, want 10", budget.Balance())
	}
}

func TestRejectedBudgetParametersAreNamed(t *testing.T) {
	_, err := backoff.NewRetryBudget(backoff.WithCapacity(10), backoff.WithRetryCost(50))
	wantError(t, err, backoff.CodeInvalid, "retry_cost")
	_, err = backoff.NewRetryBudget(backoff.BudgetSetting("calibration", "aws2"))
	wantError(t, err, backoff.CodeUnknown, "aws2")
}

func TestRetryStopsWhenTheBudgetRefuses(t *testing.T) {
	budget := newBudget(t, backoff.WithCapacity(10), backoff.WithRetryCost(5))
	op, calls := failing(10, errTransient)
	_, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(&backoff.ZeroBackOff{}),
		backoff.WithRetryBudget(budget), backoff.WithTimer(newInstantTimer()))
	if !errors.Is(err, backoff.ErrBudgetExhausted) || !errors.Is(err, errTransient) || *calls != 3 {
		t.Errorf("got %v after %d calls; want ErrBudgetExhausted and the last error after 3 (2 retries of 5)",
			err, *calls)
	}
}

func TestASuccessfulRetryGetsItsCostBack(t *testing.T) {
	budget := newBudget(t, backoff.WithCapacity(10), backoff.WithRetryCost(5))
	op, _ := failing(1, errTransient)
	if _, err := backoff.Retry(context.Background(), op, backoff.WithBackOff(&backoff.ZeroBackOff{}),
		backoff.WithRetryBudget(budget), backoff.WithTimer(newInstantTimer())); err != nil {
		t.Fatal(err)
	}
	if budget.Balance() != 10 {
		t.Errorf("Balance() = %v, want 10", budget.Balance())
	}
}

func TestTheGRPCCalibrationThrottlesBelowHalfItsTokens(t *testing.T) {
	budget := newBudget(t, backoff.WithCalibration(backoff.CalibrationGRPC), backoff.BudgetSetting("max_tokens", "4"))
	granted := 0
	for i := 0; i < 10; i++ {
		budget.RecordFailure()
		if _, err := budget.Withdraw(backoff.ErrorOrdinary); err == nil {
			granted++
		}
	}
	if granted != 1 { // 4 -> 3 passes (above 2); 3 -> 2 is at half: refused from then on
		t.Errorf("granted %d retries, want 1", granted)
	}
}

func TestACancelledWaitGivesTheRetrysTokensBack(t *testing.T) {
	budget := newBudget(t, backoff.WithCapacity(10), backoff.WithRetryCost(5))
	ctx, cancel := context.WithCancel(context.Background())
	op, _ := failing(10, errTransient)
	_, err := backoff.Retry(ctx, op, backoff.WithBackOff(backoff.NewConstantBackOff(time.Hour)),
		backoff.WithMaxElapsedTime(0), backoff.WithRetryBudget(budget),
		backoff.WithNotify(func(error, time.Duration) {
			if budget.Balance() != 5 {
				t.Errorf("Balance() while waiting = %v, want 5 (the retry's cost held)", budget.Balance())
			}
			cancel()
		}))
	if !errors.Is(err, context.Canceled) || budget.Balance() != 10 {
		t.Errorf("got %v with a balance of %v; want context.Canceled and the tokens back (10)", err, budget.Balance())
	}
}
