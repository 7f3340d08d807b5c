package backoff

/*
#include <stdlib.h>
#include <backoff.h>

// The library has three config families (policy, breaker, budget) of one shape: a config holding the
// defaults, typed setters that validate each value at once, a text setter by name, and a constructor that
// checks the whole. These dispatchers give Go one entry point per step for all three, so that building
// any of them is written once (build below); configs and handles travel as void pointers.
enum { FAMILY_POLICY, FAMILY_BREAKER, FAMILY_BUDGET };

#define FAMILY_DISPATCH(family, policy_call, breaker_call, budget_call) \
  switch (family) {                                                     \
  case FAMILY_POLICY: return policy_call;                               \
  case FAMILY_BREAKER: return breaker_call;                             \
  default: return budget_call;                                          \
  }

static int family_config_new(int family, void **out) {
  FAMILY_DISPATCH(family, backoff_config_new((backoff_config **)out),
                  backoff_breaker_config_new((backoff_breaker_config **)out),
                  backoff_budget_config_new((backoff_budget_config **)out))
}

static void family_config_free(int family, void *config) {
  switch (family) {
  case FAMILY_POLICY: backoff_config_free(config); break;
  case FAMILY_BREAKER: backoff_breaker_config_free(config); break;
  default: backoff_budget_config_free(config);
  }
}

static int family_set_i64(int family, void *config, int param, int64_t value) {
  FAMILY_DISPATCH(family, backoff_config_set_i64(config, param, value),
                  backoff_breaker_config_set_i64(config, param, value),
                  backoff_budget_config_set_i64(config, param, value))
}

static int family_set_f64(int family, void *config, int param, double value) {
  FAMILY_DISPATCH(family, backoff_config_set_f64(config, param, value),
                  backoff_breaker_config_set_f64(config, param, value),
                  backoff_budget_config_set_f64(config, param, value))
}

static int family_set_text(int family, void *config, const char *name, const char *value) {
  FAMILY_DISPATCH(family, backoff_config_set_text(config, name, value),
                  backoff_breaker_config_set_text(config, name, value),
                  backoff_budget_config_set_text(config, name, value))
}

static int family_new(int family, void **out, void *config) {
  FAMILY_DISPATCH(family, backoff_policy_new((backoff_policy **)out, config),
                  backoff_breaker_new((backoff_breaker **)out, config),
                  backoff_budget_new((backoff_budget **)out, config))
}
*/
import "C"

import "unsafe"

// family is one of the library's config families.
type family C.int

const (
	policyFamily  family = C.FAMILY_POLICY
	breakerFamily family = C.FAMILY_BREAKER
	budgetFamily  family = C.FAMILY_BUDGET
)

// setting applies one parameter to a C config of its family; the status says whether the library
// accepted it. Every option of this package is one.
type setting func(config unsafe.Pointer) C.int

func (f family) int(param C.int, value int64) setting {
	return func(config unsafe.Pointer) C.int { return C.family_set_i64(C.int(f), config, param, C.int64_t(value)) }
}

func (f family) real(param C.int, value float64) setting {
	return func(config unsafe.Pointer) C.int { return C.family_set_f64(C.int(f), config, param, C.double(value)) }
}

// named sets a parameter from text, by the library's name for it: ("open_duration", "30s").
func (f family) named(name, value string) setting {
	return func(config unsafe.Pointer) C.int {
		cName, cValue := C.CString(name), C.CString(value)
		defer C.free(unsafe.Pointer(cName))
		defer C.free(unsafe.Pointer(cValue))
		return C.family_set_text(C.int(f), config, cName, cValue)
	}
}

// build creates a config with the library's defaults, applies the settings in order and makes the
// family's object. The first rejection is returned as an *Error naming the parameter and the value.
func (f family) build(settings []setting) (unsafe.Pointer, error) {
	return f.buildWith(settings, func(handle *unsafe.Pointer, config unsafe.Pointer) C.int {
		return C.family_new(C.int(f), handle, config)
	})
}

// buildWith is build with another constructor of the family's config (a pool's), which writes the
// object to handle and returns its status.
func (f family) buildWith(settings []setting, construct func(handle *unsafe.Pointer, config unsafe.Pointer) C.int) (
	unsafe.Pointer, error) {
	var handle unsafe.Pointer
	err := f.withConfig(settings, func(config unsafe.Pointer) error {
		return call(func() C.int { return construct(&handle, config) })
	})
	return handle, err
}

// withConfig creates a config with the library's defaults, applies the settings in order, hands it to use
// and frees it when use returns. The first rejection is returned as an *Error, and use is not called.
func (f family) withConfig(settings []setting, use func(config unsafe.Pointer) error) error {
	var config unsafe.Pointer
	if err := call(func() C.int { return C.family_config_new(C.int(f), &config) }); err != nil {
		return err
	}
	defer C.family_config_free(C.int(f), config)
	for _, apply := range settings {
		if err := call(func() C.int { return apply(config) }); err != nil {
			return err
		}
	}
	return use(config)
}

// newOwner builds the family's object from settings and makes a new O, whose owned field slot returns,
// its owner. H is the object's C pointer type, which build returns as an unsafe.Pointer.
func newOwner[O any, H comparable](f family, settings []setting, slot func(*O) *owned[H], free func(H),
	kind string) (*O, error) {
	handle, err := f.build(settings)
	return ownerOf(handle, err, slot, free, kind)
}

// ownerOf makes a new O the owner of handle, as newOwner does, unless err says it was not made.
func ownerOf[O any, H comparable](handle unsafe.Pointer, err error, slot func(*O) *owned[H], free func(H),
	kind string) (*O, error) {
	if err != nil {
		return nil, err
	}
	owner := new(O)
	adopt(owner, slot(owner), *(*H)(unsafe.Pointer(&handle)), free, kind)
	return owner, nil
}

// settingsOf unwraps a family's options (Option, BreakerOption, BudgetOption).
func settingsOf[O ~struct{ apply setting }](options []O) []setting {
	settings := make([]setting, len(options))
	for i, option := range options {
		settings[i] = struct{ apply setting }(option).apply
	}
	return settings
}
