module libbackoff.dev/ffi/go/jobs

go 1.24
