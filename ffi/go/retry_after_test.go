package backoff_test

import (
	"net/http"
	"testing"
	"time"

	backoff "libbackoff.dev/ffi/go"
)

func TestRetryAfterInSecondsIsThatWait(t *testing.T) {
	if wait, err := backoff.ParseRetryAfter("120", time.Now()); err != nil || wait != 120*time.Second {
		t.Errorf("ParseRetryAfter(\"120\") = %v, %v", wait, err)
	}
}

func TestRetryAfterAsADateIsTheTimeUntilThen(t *testing.T) {
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	date := now.Add(90 * time.Second).Format(http.TimeFormat)
	if wait, err := backoff.ParseRetryAfter(date, now); err != nil || wait != 90*time.Second {
		t.Errorf("ParseRetryAfter(%q) = %v, %v; want 1m30s", date, wait, err)
	}
	if wait, err := backoff.ParseRetryAfter(date, now.Add(time.Hour)); err != nil || wait != 0 {
		t.Errorf("a date in the past gave %v, %v; want 0", wait, err)
	}
}

func TestAnUnreadableRetryAfterIsRejectedAndQuoted(t *testing.T) {
	_, err := backoff.ParseRetryAfter("soon", time.Now())
	wantError(t, err, backoff.CodeInvalid, "soon")
}
