module libbackoff.dev/ffi/go

go 1.24
