// Loads libbackoff.so through koffi and declares the C functions this package calls. Nothing here
// decides anything: every function is backoff.h's, with its C name minus the `backoff_` prefix.
//
// Which libbackoff.so is loaded: the path in BACKOFF_LIBRARY, else libbackoff.so.0 through the system
// loader (LD_LIBRARY_PATH or the linker cache).
import koffi, { type LibraryHandle } from 'koffi';

/** The path or name `library()` loads: BACKOFF_LIBRARY, else the platform's name for the system loader. */
export function findLibrary(): string {
  if (process.env.BACKOFF_LIBRARY) return process.env.BACKOFF_LIBRARY;
  if (process.platform === 'darwin') return 'libbackoff.0.dylib';
  if (process.platform === 'win32') return 'backoff.dll';
  return 'libbackoff.so.0';
}

// koffi returns plain functions; the prototypes below say what each takes.
type Fn = (...args: any[]) => any;

/** Out-parameters of the per-call functions: native memory allocated once, read through a typed view. */
export interface OutSlot {
  /** The pointer passed as `void *out`. */
  readonly ptr: unknown;
  /** The value the last call wrote, as int64 or uint64. */
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;
  readonly i32: Int32Array;
}

function outSlot(): OutSlot {
  const ptr = koffi.alloc('uint64_t', 1);
  const memory = koffi.view(ptr, 8);
  return { ptr, i64: new BigInt64Array(memory), u64: new BigUint64Array(memory), i32: new Int32Array(memory) };
}

function declareAll(lib: LibraryHandle) {
  for (const type of ['backoff_config', 'backoff_policy', 'backoff_state', 'backoff_breaker_config',
    'backoff_breaker', 'backoff_budget_config', 'backoff_budget', 'backoff_retrier', 'backoff_breaker_pool',
    'backoff_budget_pool']) {
    koffi.opaque(type);
  }
  const listener = koffi.proto(
    'int backoff_breaker_listener_fn(int state, int previous, int cause, int64_t at_ns, void *user_data)');
  const f = (prototype: string): Fn => lib.func(prototype);
  return {
    listenerPointer: koffi.pointer(listener),
    versionNumber: f('unsigned int backoff_version_number(void)'),
    versionString: f('const char *backoff_version_string(void)'),
    lastError: f('const char *backoff_last_error(void)'),
    monotonicNowNs: f('int64_t backoff_monotonic_now_ns(void)'),
    nameOf: f('const char *backoff_name_of(int family, int value)'),
    valueOf: f('int backoff_value_of(_Out_ int *out, int family, const char *name)'),
    retryAfterParse: f('int backoff_retry_after_parse(void *out_ns, const char *value, int64_t now_unix_ns)'),
    keyHash: f('int backoff_key_hash(uint64_t *out, const void *bytes, uint64_t size)'),

    // One family of functions per configurable object: "", "breaker_" and "budget_".
    paramFromName: f('int backoff_param_from_name(_Out_ int *out, const char *name)'),
    paramType: f('int backoff_param_type(int param)'),
    configNew: f('int backoff_config_new(_Out_ backoff_config **out)'),
    configFree: f('void backoff_config_free(backoff_config *config)'),
    configSetI64: f('int backoff_config_set_i64(backoff_config *config, int param, int64_t value)'),
    configSetF64: f('int backoff_config_set_f64(backoff_config *config, int param, double value)'),
    configSetU64: f('int backoff_config_set_u64(backoff_config *config, int param, uint64_t value)'),
    configSetText: f('int backoff_config_set_text(backoff_config *config, const char *name, const char *value)'),
    breakerParamFromName: f('int backoff_breaker_param_from_name(_Out_ int *out, const char *name)'),
    breakerParamType: f('int backoff_breaker_param_type(int param)'),
    breakerConfigNew: f('int backoff_breaker_config_new(_Out_ backoff_breaker_config **out)'),
    breakerConfigFree: f('void backoff_breaker_config_free(backoff_breaker_config *config)'),
    breakerConfigSetI64: f(
      'int backoff_breaker_config_set_i64(backoff_breaker_config *config, int param, int64_t value)'),
    breakerConfigSetF64: f(
      'int backoff_breaker_config_set_f64(backoff_breaker_config *config, int param, double value)'),
    breakerConfigSetText: f(
      'int backoff_breaker_config_set_text(backoff_breaker_config *config, const char *name, const char *value)'),
    budgetParamFromName: f('int backoff_budget_param_from_name(_Out_ int *out, const char *name)'),
    budgetParamType: f('int backoff_budget_param_type(int param)'),
    budgetConfigNew: f('int backoff_budget_config_new(_Out_ backoff_budget_config **out)'),
    budgetConfigFree: f('void backoff_budget_config_free(backoff_budget_config *config)'),
    budgetConfigSetI64: f('int backoff_budget_config_set_i64(backoff_budget_config *config, int param, int64_t value)'),
    budgetConfigSetF64: f('int backoff_budget_config_set_f64(backoff_budget_config *config, int param, double value)'),
    budgetConfigSetText: f(
      'int backoff_budget_config_set_text(backoff_budget_config *config, const char *name, const char *value)'),

    policyNew: f('int backoff_policy_new(_Out_ backoff_policy **out, const backoff_config *config)'),
    policyFree: f('void backoff_policy_free(backoff_policy *policy)'),
    policyDelay: f('int backoff_policy_delay(int64_t *out, const backoff_policy *policy, uint64_t attempt, uint64_t key)'),
    stateNew: f('int backoff_state_new(_Out_ backoff_state **out, const backoff_policy *policy)'),
    stateFree: f('void backoff_state_free(backoff_state *state)'),
    stateNext: f('int backoff_state_next(int64_t *out, backoff_state *state, int64_t hint_ns)'),
    stateNextAt: f('int backoff_state_next_at(int64_t *out, backoff_state *state, int64_t now_ns, int64_t hint_ns)'),
    stateReset: f('int backoff_state_reset(backoff_state *state)'),
    stateResetAt: f('int backoff_state_reset_at(backoff_state *state, int64_t now_ns)'),
    stateElapsedAt: f('int backoff_state_elapsed_at(int64_t *out, const backoff_state *state, int64_t now_ns)'),
    stateAttempt: f('int backoff_state_attempt(uint64_t *out, const backoff_state *state)'),

    breakerNew: f('int backoff_breaker_new(_Out_ backoff_breaker **out, const backoff_breaker_config *config)'),
    breakerFree: f('void backoff_breaker_free(backoff_breaker *breaker)'),
    // The per-call pair: out-parameters are OutSlot pointers (void *), the cheapest koffi argument.
    breakerAcquire: f('int backoff_breaker_acquire(void *out_permit, void *out_wait_ns, backoff_breaker *breaker)'),
    breakerRecord: f('int backoff_breaker_record(backoff_breaker *breaker, uint64_t permit, int outcome, ' +
      'int64_t duration_ns, int64_t hint_ns)'),
    breakerTransition: f('int backoff_breaker_transition(backoff_breaker *breaker, int state)'),
    breakerGetState: f('int backoff_breaker_get_state(void *out, const backoff_breaker *breaker)'),
    breakerGetCount: f('int backoff_breaker_get_count(void *out, const backoff_breaker *breaker, int which)'),
    breakerGetI64: f('int backoff_breaker_get_i64(void *out, const backoff_breaker *breaker, int param)'),
    breakerSetListener: f('int backoff_breaker_set_listener(backoff_breaker *breaker, ' +
      'backoff_breaker_listener_fn *listener, void *user_data)'),

    budgetNew: f('int backoff_budget_new(_Out_ backoff_budget **out, const backoff_budget_config *config)'),
    budgetFree: f('void backoff_budget_free(backoff_budget *budget)'),
    budgetBalance: f('int backoff_budget_balance(void *out_milli, backoff_budget *budget)'),
    budgetGetCount: f('int backoff_budget_get_count(void *out, const backoff_budget *budget, int which)'),

    // The pools (experimental tier); a key is a JavaScript string, passed NUL-terminated in UTF-8.
    breakerPoolNew: f('int backoff_breaker_pool_new(_Out_ backoff_breaker_pool **out, ' +
      'const backoff_breaker_config *config, int64_t max_keys)'),
    breakerPoolFree: f('void backoff_breaker_pool_free(backoff_breaker_pool *pool)'),
    breakerPoolAcquire: f('int backoff_breaker_pool_acquire(void *out_permit, void *out_wait_ns, ' +
      'backoff_breaker_pool *pool, const char *key)'),
    breakerPoolRecord: f('int backoff_breaker_pool_record(backoff_breaker_pool *pool, const char *key, ' +
      'uint64_t permit, int outcome, int64_t duration_ns, int64_t hint_ns)'),
    breakerPoolState: f('int backoff_breaker_pool_state(void *out, backoff_breaker_pool *pool, const char *key)'),
    breakerPoolSize: f('int backoff_breaker_pool_size(void *out, const backoff_breaker_pool *pool)'),
    budgetPoolNew: f('int backoff_budget_pool_new(_Out_ backoff_budget_pool **out, ' +
      'const backoff_budget_config *config, int64_t max_keys)'),
    budgetPoolFree: f('void backoff_budget_pool_free(backoff_budget_pool *pool)'),
    budgetPoolGet: f('int backoff_budget_pool_get(_Out_ backoff_budget **out, backoff_budget_pool *pool, ' +
      'const char *key)'),
    budgetPoolSize: f('int backoff_budget_pool_size(void *out, const backoff_budget_pool *pool)'),

    retrierNew: f('int backoff_retrier_new(_Out_ backoff_retrier **out, const backoff_policy *policy)'),
    retrierFree: f('void backoff_retrier_free(backoff_retrier *retrier)'),
    retrierSetBreaker: f('int backoff_retrier_set_breaker(backoff_retrier *retrier, backoff_breaker *breaker)'),
    retrierSetBudget: f('int backoff_retrier_set_budget(backoff_retrier *retrier, backoff_budget *budget)'),
    retrierReset: f('int backoff_retrier_reset(backoff_retrier *retrier)'),
    retrierBeforeAttempt: f('int backoff_retrier_before_attempt(void *out_wait_ns, backoff_retrier *retrier)'),
    retrierOnFailure: f('int backoff_retrier_on_failure(void *out_delay_ns, backoff_retrier *retrier, ' +
      'int error_class, int64_t hint_ns)'),
    retrierOnSuccess: f('int backoff_retrier_on_success(backoff_retrier *retrier)'),
    retrierOnPermanentFailure: f('int backoff_retrier_on_permanent_failure(backoff_retrier *retrier)'),
    retrierGetOutcome: f('int backoff_retrier_get_outcome(void *out, const backoff_retrier *retrier)'),

    /** Scratch out-parameters. JavaScript runs one call at a time, so each is read right after its call. */
    out: outSlot(),
    out2: outSlot(),
  };
}

export type Native = ReturnType<typeof declareAll>;

function loadLibrary(): Native {
  const name = findLibrary();
  let lib: LibraryHandle;
  try {
    lib = koffi.load(name);
  } catch (error) {
    throw new Error(`cannot load libbackoff from '${name}': set BACKOFF_LIBRARY to the path of libbackoff.so ` +
      `or add its directory to LD_LIBRARY_PATH (${(error as Error).message})`);
  }
  return declareAll(lib);
}

let loaded: Native | null = null;
/** Loads libbackoff on first use and returns its functions. */
export function library(): Native {
  loaded ??= loadLibrary();
  return loaded;
}

/** Registers a JavaScript function as a breaker listener callback; `koffi.unregister` frees it. */
export function registerListener(listener: (state: number, previous: number) => number): bigint {
  return koffi.register(listener, library().listenerPointer);
}

export function unregister(callback: bigint): void {
  koffi.unregister(callback);
}
