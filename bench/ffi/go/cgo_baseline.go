package main

/*
#cgo CFLAGS: -I${SRCDIR}/../../../capi/include
#cgo LDFLAGS: -lbackoff
#include <backoff.h>
*/
import "C"

// emptyCall crosses into libbackoff.so and does nothing there: the cost of a cgo call by itself.
func emptyCall() uint32 { return uint32(C.backoff_version_number()) }
