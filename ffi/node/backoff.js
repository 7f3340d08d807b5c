// libbackoff through koffi: the C library decides every delay, this module only translates.
//
// Durations are BigInt nanoseconds, as in the C API, so nothing is rounded (Number(ns) / 1e6 gives
// milliseconds for setTimeout). null in place of a delay means "stop retrying" (BACKOFF_STOP).
// Attempts, keys and seeds are uint64: pass a BigInt above Number.MAX_SAFE_INTEGER.
//
// Which libbackoff.so is loaded: the path in BACKOFF_LIBRARY, else libbackoff.so.0 through the system
// loader (LD_LIBRARY_PATH or the linker cache).
import koffi from 'koffi';

const STOP_NS = -1n;
// backoff_value_type: how a parameter's value is passed, and so which setter takes it.
const TYPE_REAL = 3;
const TYPE_SEED = 4;

export class BackoffError extends Error {
  /** code: the negative status; message: backoff_last_error()'s text, naming the parameter and value. */
  constructor(code, message) {
    super(message);
    this.name = 'BackoffError';
    this.code = code;
  }
}

export function findLibrary() {
  if (process.env.BACKOFF_LIBRARY) return process.env.BACKOFF_LIBRARY;
  if (process.platform === 'darwin') return 'libbackoff.0.dylib';
  if (process.platform === 'win32') return 'backoff.dll';
  return 'libbackoff.so.0';
}

function loadLibrary() {
  const name = findLibrary();
  let lib;
  try {
    lib = koffi.load(name);
  } catch (error) {
    throw new Error(`cannot load libbackoff from '${name}': set BACKOFF_LIBRARY to the path of libbackoff.so ` +
      `or add its directory to LD_LIBRARY_PATH (${error.message})`);
  }
  koffi.opaque('backoff_config');
  koffi.opaque('backoff_policy');
  koffi.opaque('backoff_state');
  // Delays come back through a BigInt64Array the caller passes as int64_t *: no marshalling, exact.
  const declare = (prototype) => lib.func(prototype);
  return {
    versionNumber: declare('unsigned int backoff_version_number(void)'),
    versionString: declare('const char *backoff_version_string(void)'),
    lastError: declare('const char *backoff_last_error(void)'),
    monotonicNowNs: declare('int64_t backoff_monotonic_now_ns(void)'),
    paramFromName: declare('int backoff_param_from_name(_Out_ int *out, const char *name)'),
    paramType: declare('int backoff_param_type(int param)'),
    configNew: declare('int backoff_config_new(_Out_ backoff_config **out)'),
    configFree: declare('void backoff_config_free(backoff_config *config)'),
    configSetI64: declare('int backoff_config_set_i64(backoff_config *config, int param, int64_t value)'),
    configSetF64: declare('int backoff_config_set_f64(backoff_config *config, int param, double value)'),
    configSetU64: declare('int backoff_config_set_u64(backoff_config *config, int param, uint64_t value)'),
    configSetText: declare('int backoff_config_set_text(backoff_config *config, const char *name, const char *value)'),
    policyNew: declare('int backoff_policy_new(_Out_ backoff_policy **out, const backoff_config *config)'),
    policyFree: declare('void backoff_policy_free(backoff_policy *policy)'),
    policyDelay: declare(
      'int backoff_policy_delay(int64_t *out, const backoff_policy *policy, uint64_t attempt, uint64_t key)'),
    keyHash: declare('int backoff_key_hash(uint64_t *out, const void *bytes, uint64_t size)'),
    stateNew: declare('int backoff_state_new(_Out_ backoff_state **out, const backoff_policy *policy)'),
    stateFree: declare('void backoff_state_free(backoff_state *state)'),
    stateNext: declare('int backoff_state_next(int64_t *out, backoff_state *state, int64_t hint_ns)'),
    stateNextAt: declare(
      'int backoff_state_next_at(int64_t *out, backoff_state *state, int64_t now_ns, int64_t hint_ns)'),
    stateReset: declare('int backoff_state_reset(backoff_state *state)'),
    stateResetAt: declare('int backoff_state_reset_at(backoff_state *state, int64_t now_ns)'),
    stateElapsedAt: declare('int backoff_state_elapsed_at(int64_t *out, const backoff_state *state, int64_t now_ns)'),
    stateAttempt: declare('int backoff_state_attempt(uint64_t *out, const backoff_state *state)'),
  };
}

let loaded = null;
/** Loads libbackoff on first use and returns its functions. */
export function library() {
  loaded ??= loadLibrary();
  return loaded;
}

/** Throws the library's error for a failed status. JavaScript runs on one thread, so it is this call's. */
function check(status) {
  if (status !== 0) throw new BackoffError(status, library().lastError());
}

function delayOf(out) {
  return out[0] === STOP_NS ? null : out[0];
}

/** The library's monotonic clock in ns: the time scale of State.nextAt and State.resetAt. */
export function monotonicNowNs() {
  return BigInt(library().monotonicNowNs());
}

/**
 * The key of Policy.delayNs for a job id given as a string (hashed as its UTF-8 bytes) or a Uint8Array:
 * the library's backoff_key_hash, so one job id gives the same delays in every language. A BigInt.
 */
export function keyHash(id) {
  const bytes = typeof id === 'string' ? Buffer.from(id, 'utf8') : id;
  const out = new BigUint64Array(1);
  check(library().keyHash(out, bytes, BigInt(bytes.length)));
  return out[0];
}

// Frees handles that were never closed, once they are garbage collected.
const leaked = new FinalizationRegistry(({ free, handle }) => free(handle));

function own(object, free, handle) {
  leaked.register(object, { free, handle }, object);
  return () => {
    leaked.unregister(object);
    free(handle);
  };
}

/**
 * An immutable, validated schedule. Parameters are backoff.h's names, applied in order: a string goes
 * through the text setter ({ cap: '30s', jitter: 'none' }), a number or BigInt through the typed setter
 * ({ multiplier: 1.5, max_attempts: 5, initial: 100_000_000n, seed: 2n ** 64n - 1n }).
 */
export class Policy {
  #handle;
  #free;
  #out = new BigInt64Array(1);

  constructor(params = {}) {
    const lib = library();
    const config = [null];
    check(lib.configNew(config));
    try {
      for (const [name, value] of Object.entries(params)) setParam(lib, config[0], name, value);
      const handle = [null];
      check(lib.policyNew(handle, config[0]));
      this.#handle = handle[0];
    } finally {
      lib.configFree(config[0]);
    }
    this.#free = own(this, lib.policyFree, this.#handle);
  }

  /**
   * The wait in ns before retry number `attempt` (0 after the first failure), or null once max_attempts
   * attempts have been made. A pure function of (policy, attempt, key): pass a job id as key.
   */
  delayNs(attempt, key = 0n) {
    check(library().policyDelay(this.#out, this.handle, attempt, key));
    return delayOf(this.#out);
  }

  /** Frees the policy now. States made from it stay valid. Closing twice is a no-op. */
  close() {
    this.#free?.();
    this.#free = null;
  }

  /** The C handle, for State. */
  get handle() {
    if (!this.#free) throw new Error('Policy used after close()');
    return this.#handle;
  }
}

function setParam(lib, config, name, value) {
  if (typeof value === 'string') {
    check(lib.configSetText(config, name, value));
    return;
  }
  const param = [0];
  check(lib.paramFromName(param, name));
  const type = lib.paramType(param[0]);
  if (type === TYPE_REAL) check(lib.configSetF64(config, param[0], Number(value)));
  else if (type === TYPE_SEED) check(lib.configSetU64(config, param[0], BigInt(value)));
  else check(lib.configSetI64(config, param[0], BigInt(value)));
}

/**
 * The stateful form of a policy: counts attempts and measures elapsed time. next() and reset() read the
 * library's monotonic clock; the ...At methods take the time in ns on any scale the caller keeps, for
 * simulated time without a clock callback.
 */
export class State {
  #handle;
  #free;
  #out = new BigInt64Array(1);

  constructor(policy) {
    const lib = library();
    const handle = [null];
    check(lib.stateNew(handle, policy.handle));
    this.#handle = handle[0];
    this.#free = own(this, lib.stateFree, this.#handle);
  }

  /** The wait in ns before the next retry, or null to stop; hintNs is a server's Retry-After (a floor). */
  next(hintNs = 0n) {
    check(library().stateNext(this.#out, this.#live(), hintNs));
    return delayOf(this.#out);
  }

  nextAt(nowNs, hintNs = 0n) {
    check(library().stateNextAt(this.#out, this.#live(), nowNs, hintNs));
    return delayOf(this.#out);
  }

  /** Starts over: attempt 0, elapsed time from now. A seeded state replays its delays. */
  reset() {
    check(library().stateReset(this.#live()));
  }

  resetAt(nowNs) {
    check(library().stateResetAt(this.#live(), nowNs));
  }

  /** Time in ns from the start or the last reset until nowNs; 0n if nowNs is earlier. */
  elapsedAt(nowNs) {
    check(library().stateElapsedAt(this.#out, this.#live(), nowNs));
    return this.#out[0];
  }

  /** How many delays the state has handed out since the start or the last reset, as a BigInt. */
  get attempt() {
    const out = new BigUint64Array(1);
    check(library().stateAttempt(out, this.#live()));
    return out[0];
  }

  close() {
    this.#free?.();
    this.#free = null;
  }

  #live() {
    if (!this.#free) throw new Error('State used after close()');
    return this.#handle;
  }
}
