package backoff

/*
#include <stdlib.h>
#include <backoff.h>
*/
import "C"

import "unsafe"

// The library has three config families (policy, breaker, budget) of one shape: a config holding the
// defaults, setters that validate each value at once, and a constructor that checks the whole. Every
// option of this package is a setting of one of them; build runs the shape once for all three.

// setting applies one parameter to a C config; the status says whether the library accepted it.
type setting[Config any] func(config Config) C.int

// build creates a config with the library's defaults, applies the settings in order and makes the object.
// The first rejection is returned as an *Error naming the parameter and the value.
// Config and Handle are C pointer types (cgo cannot take an incomplete C type as a type argument).
func build[Config, Handle any](newConfig func(*Config) C.int, freeConfig func(Config),
	settings []setting[Config], newHandle func(*Handle, Config) C.int) (Handle, error) {
	var config Config
	var handle Handle
	if err := call(func() C.int { return newConfig(&config) }); err != nil {
		return handle, err
	}
	defer freeConfig(config)
	for _, apply := range settings {
		if err := call(func() C.int { return apply(config) }); err != nil {
			return handle, err
		}
	}
	err := call(func() C.int { return newHandle(&handle, config) })
	return handle, err
}

// The typed setters of one family, so that each option is a parameter id and a value.
type setters[Config any] struct {
	i64  func(Config, C.int, C.int64_t) C.int
	f64  func(Config, C.int, C.double) C.int
	text func(Config, *C.char, *C.char) C.int
}

func (s setters[Config]) int(param C.int, value int64) setting[Config] {
	return func(config Config) C.int { return s.i64(config, param, C.int64_t(value)) }
}

func (s setters[Config]) real(param C.int, value float64) setting[Config] {
	return func(config Config) C.int { return s.f64(config, param, C.double(value)) }
}

// named sets a parameter from text, by the library's name for it: ("open_duration", "30s").
func (s setters[Config]) named(name, value string) setting[Config] {
	return func(config Config) C.int {
		cName, cValue := C.CString(name), C.CString(value)
		defer C.free(unsafe.Pointer(cName))
		defer C.free(unsafe.Pointer(cValue))
		return s.text(config, cName, cValue)
	}
}
