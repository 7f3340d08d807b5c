module libbackoff.dev/bench/ffi/go

go 1.24

require (
	github.com/cenkalti/backoff/v4 v4.3.0
	github.com/cenkalti/backoff/v5 v5.0.3
	github.com/sony/gobreaker/v2 v2.4.0
	libbackoff.dev/ffi/go v0.0.0
)

replace libbackoff.dev/ffi/go => ../../../ffi/go
