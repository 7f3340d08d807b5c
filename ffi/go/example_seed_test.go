package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

// cenkalti's schedule, without jitter so that the output is fixed: x1.5 from 500 ms.
func ExampleNewExponentialBackOff() {
	b := backoff.NewExponentialBackOff(backoff.WithRandomizationFactor(0))
	for i := 0; i < 4; i++ {
		fmt.Println(b.NextBackOff())
	}
	// Output:
	// 500ms
	// 750ms
	// 1.125s
	// 1.6875s
}

func ExampleRetry() {
	calls := 0
	fetch := func() (string, error) {
		calls++
		switch calls {
		case 1:
			return "", errors.New("503 Service Unavailable")
		case 2:
			return "", &backoff.RetryAfterError{Duration: 2 * time.Millisecond} // the server asked for 2 ms
		}
		return "payload", nil
	}
	body, err := backoff.Retry(context.Background(), fetch,
		backoff.WithBackOff(backoff.NewExponentialBackOff(backoff.WithInitialInterval(time.Millisecond))),
		backoff.WithMaxTries(5))
	fmt.Println(body, err, calls)
	// Output: payload <nil> 3
}

func ExampleCircuitBreaker_Execute() {
	cb, err := backoff.NewCircuitBreaker(backoff.WithFailureThreshold(2), backoff.WithOpenDuration(time.Minute))
	if err != nil {
		panic(err)
	}
	defer cb.Close()
	down := func() error { return errors.New("connection refused") }
	for i := 0; i < 3; i++ {
		err := cb.Execute(down)
		fmt.Println(cb.State(), errors.Is(err, backoff.ErrCircuitOpen))
	}
	// Output:
	// closed false
	// open false
	// open true
}
