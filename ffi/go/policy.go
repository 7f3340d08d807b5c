package backoff

/*
#cgo CFLAGS: -I${SRCDIR}/../../capi/include
#cgo LDFLAGS: -lbackoff
#include <backoff.h>

// Returns the delay by value: the address of a Go variable passed to C moves it to the heap, an
// allocation per call. Cannot fail with a live policy and a non-NULL out.
static int64_t policy_delay(const backoff_policy *policy, uint64_t attempt, uint64_t key) {
  int64_t delay_ns = 0;
  backoff_policy_delay(&delay_ns, policy, attempt, key);
  return delay_ns;
}

// As policy_delay: by value. Cannot fail with a non-NULL out and bytes for a non-zero size.
static uint64_t key_hash(const void *bytes, uint64_t size) {
  uint64_t key = 0;
  backoff_key_hash(&key, bytes, size);
  return key;
}

static int config_set_seed(void *config, uint64_t seed) {
  return backoff_config_set_u64(config, BACKOFF_PARAM_SEED, seed);
}
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// Stop in place of a delay means "do not retry any more".
const Stop time.Duration = -1

// Option sets one policy parameter for NewPolicy. The library validates each value.
type Option struct {
	apply setting
}

func intOption(param C.int, value int64) Option { return Option{policyFamily.int(param, value)} }

// Each option below sets the parameter of the same name in backoff.h's table; durations are
// nanoseconds there as in time.Duration.

func WithKind(kind Kind) Option         { return intOption(C.BACKOFF_PARAM_KIND, int64(kind)) }
func WithJitter(jitter Jitter) Option   { return intOption(C.BACKOFF_PARAM_JITTER, int64(jitter)) }
func Initial(d time.Duration) Option    { return intOption(C.BACKOFF_PARAM_INITIAL_NS, int64(d)) }
func Increment(d time.Duration) Option  { return intOption(C.BACKOFF_PARAM_INCREMENT_NS, int64(d)) }
func Cap(d time.Duration) Option        { return intOption(C.BACKOFF_PARAM_CAP_NS, int64(d)) }
func MaxElapsed(d time.Duration) Option { return intOption(C.BACKOFF_PARAM_MAX_ELAPSED_NS, int64(d)) }
func MaxAttempts(n int64) Option        { return intOption(C.BACKOFF_PARAM_MAX_ATTEMPTS, n) }
func Multiplier(m float64) Option       { return Option{policyFamily.real(C.BACKOFF_PARAM_MULTIPLIER, m)} }
func RandomizationFactor(f float64) Option {
	return Option{policyFamily.real(C.BACKOFF_PARAM_RANDOMIZATION_FACTOR, f)}
}

// Seed makes every delay reproducible, in any process and any language.
func Seed(seed uint64) Option {
	return Option{func(config unsafe.Pointer) C.int { return C.config_set_seed(config, C.uint64_t(seed)) }}
}

// Set sets a parameter from text, as a configuration file gives it: Set("cap", "30s").
func Set(name, value string) Option { return Option{policyFamily.named(name, value)} }

// Policy is an immutable, validated schedule, safe for concurrent use. Close frees it; a Policy that is
// never closed is freed when it becomes unreachable.
type Policy struct {
	owned[*C.backoff_policy]
}

// NewPolicy builds a policy from the library's defaults (backoff.h's policy parameter table, which
// backoff_param_info reports) and the options, applied in order. A rejected value returns an *Error
// whose Message names the parameter and the value.
func NewPolicy(options ...Option) (*Policy, error) {
	return newOwner(policyFamily, settingsOf(options), func(p *Policy) *owned[*C.backoff_policy] { return &p.owned },
		func(h *C.backoff_policy) { C.backoff_policy_free(h) }, "Policy")
}

// Delay returns the wait before retry number attempt (0 after the first failure), or Stop once
// MaxAttempts attempts have been made. It is a pure function of (policy, attempt, key): pass a job id as
// key so that different jobs draw different jitter. It panics if the policy was closed.
func (p *Policy) Delay(attempt, key uint64) time.Duration {
	delay := C.policy_delay(p.live(), C.uint64_t(attempt), C.uint64_t(key))
	runtime.KeepAlive(p)
	return time.Duration(delay)
}

// KeyHash returns the key Delay takes for a job id given as bytes (a string as []byte(id), its UTF-8
// bytes): the library's backoff_key_hash, so one job id gives the same delays in every language.
func KeyHash(id []byte) uint64 {
	var data unsafe.Pointer
	if len(id) > 0 {
		data = unsafe.Pointer(&id[0])
	}
	key := C.key_hash(data, C.uint64_t(len(id)))
	runtime.KeepAlive(id)
	return uint64(key)
}

// Close frees the policy at once. States built from it stay valid. Closing twice is a no-op.
func (p *Policy) Close() { p.close() }
