package backoff_test

import (
	"errors"
	"fmt"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// State has cenkalti/backoff's BackOff methods, so it drops into code written for that interface.
var _ interface {
	NextBackOff() time.Duration
	Reset()
} = (*backoff.State)(nil)

// A retry loop on the real clock: sleep what NextBackOff says until the call succeeds or it says Stop.
func Example_retry() {
	policy, err := backoff.NewPolicy(backoff.Initial(time.Millisecond), backoff.MaxAttempts(5))
	if err != nil {
		panic(err)
	}
	defer policy.Close()
	state, err := backoff.NewState(policy)
	if err != nil {
		panic(err)
	}
	defer state.Close()

	calls := 0
	fetch := func() error {
		calls++
		if calls < 3 {
			return errors.New("503 Service Unavailable")
		}
		return nil
	}
	for err = fetch(); err != nil; err = fetch() {
		delay := state.NextBackOff()
		if delay == backoff.Stop {
			break
		}
		time.Sleep(delay)
	}
	fmt.Printf("err=%v after %d calls\n", err, calls)
	// Output: err=<nil> after 3 calls
}

func Example_badInput() {
	_, err := backoff.NewPolicy(backoff.Multiplier(0.5))
	var failure *backoff.Error
	if errors.As(err, &failure) {
		fmt.Println(failure.Code == backoff.CodeInvalid, failure.Message)
	}
	// Output: true multiplier: must be at least 1 (got 0.5)
}
