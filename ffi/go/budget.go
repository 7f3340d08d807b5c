package backoff

/*
#include <backoff.h>

typedef struct { uint64_t ticket; int status; } withdrawn;

static withdrawn budget_withdraw(backoff_budget *budget, int error_class) {
  withdrawn result = {0, 0};
  result.status = backoff_budget_withdraw(&result.ticket, budget, error_class);
  return result;
}

static int64_t budget_balance(backoff_budget *budget) {
  int64_t milli = 0;
  backoff_budget_balance(&milli, budget);
  return milli;
}

*/
import "C"

import (
	"runtime"
	"unsafe"
)

// BudgetOption sets one parameter of NewRetryBudget; the library validates each value.
type BudgetOption struct {
	apply setting
}

// WithCalibration sets calibration: AWS (the default), gRPC or Finagle.
func WithCalibration(c Calibration) BudgetOption {
	return BudgetOption{budgetFamily.int(C.BACKOFF_BUDGET_PARAM_CALIBRATION, int64(c))}
}

// WithCapacity sets capacity, the AWS bucket's size in tokens.
func WithCapacity(tokens float64) BudgetOption {
	return BudgetOption{budgetFamily.real(C.BACKOFF_BUDGET_PARAM_CAPACITY, tokens)}
}

// WithRetryCost sets retry_cost, the tokens an AWS retry after an ordinary failure takes.
func WithRetryCost(tokens float64) BudgetOption {
	return BudgetOption{budgetFamily.real(C.BACKOFF_BUDGET_PARAM_RETRY_COST, tokens)}
}

// BudgetSetting sets any budget parameter from text by its name: BudgetSetting("token_ratio", "0.1").
func BudgetSetting(name, value string) BudgetOption {
	return BudgetOption{budgetFamily.named(name, value)}
}

// RetryBudget is the library's retry budget, a token bucket shared by every caller of a service so that
// retries cannot multiply its load in an outage. Safe for concurrent use. Retry drives it with
// WithRetryBudget; the methods below are the same steps for a loop of your own.
type RetryBudget struct {
	owned[*C.backoff_budget]
}

// NewRetryBudget builds a full budget from the library's defaults (AWS: 500 tokens, 5 a retry) and the
// options. A rejected value returns an *Error naming the parameter and the value.
func NewRetryBudget(options ...BudgetOption) (*RetryBudget, error) {
	return ownBudget(budgetFamily.build(settingsOf(options)))
}

// ownBudget makes a RetryBudget the owner of a budget handle the library made, unless err says it did not.
func ownBudget(handle unsafe.Pointer, err error) (*RetryBudget, error) {
	return ownerOf(handle, err, func(b *RetryBudget) *owned[*C.backoff_budget] { return &b.owned },
		func(h *C.backoff_budget) { C.backoff_budget_free(h) }, "RetryBudget")
}

// Ticket holds the tokens of one granted retry. The zero Ticket stands for a first attempt.
type Ticket struct {
	id uint64
}

// RecordRequest notes that a logical request starts: once, at its first attempt.
func (b *RetryBudget) RecordRequest() {
	C.backoff_budget_record_request(b.live())
	runtime.KeepAlive(b)
}

// RecordFailure notes a retryable failure.
func (b *RetryBudget) RecordFailure() {
	C.backoff_budget_record_failure(b.live())
	runtime.KeepAlive(b)
}

// Withdraw asks to retry after a failure of the given class: a Ticket holding the retry's tokens, or
// ErrBudgetExhausted.
func (b *RetryBudget) Withdraw(class ErrorClass) (Ticket, error) {
	handle := b.live()
	runtime.LockOSThread() // until an error's message is read; see call
	defer runtime.UnlockOSThread()
	result := C.budget_withdraw(handle, C.int(class))
	runtime.KeepAlive(b)
	if result.status == C.BACKOFF_EBUDGET {
		return Ticket{}, ErrBudgetExhausted
	}
	return Ticket{uint64(result.ticket)}, errorOf(result.status)
}

// RecordSuccess notes a successful attempt: the retry's ticket, or the zero Ticket for a first attempt.
// A ticket settled already, or another budget's, returns an *Error and changes nothing.
func (b *RetryBudget) RecordSuccess(ticket Ticket) error {
	handle := b.live()
	err := call(func() C.int { return C.backoff_budget_record_success(handle, C.uint64_t(ticket.id)) })
	runtime.KeepAlive(b)
	return err
}

// Refund gives a ticket's tokens back, for a retry abandoned before it ran.
func (b *RetryBudget) Refund(ticket Ticket) error {
	handle := b.live()
	err := call(func() C.int { return C.backoff_budget_refund(handle, C.uint64_t(ticket.id)) })
	runtime.KeepAlive(b)
	return err
}

// Balance returns the tokens in the bucket.
func (b *RetryBudget) Balance() float64 {
	milli := C.budget_balance(b.live())
	runtime.KeepAlive(b)
	return float64(milli) / 1000
}

// Close frees this handle. No call may be using it. Closing twice is a no-op.
func (b *RetryBudget) Close() { b.close() }

// handle is the C budget, or NULL for no budget.
func (b *RetryBudget) handle() *C.backoff_budget {
	if b == nil {
		return nil
	}
	return b.live()
}
