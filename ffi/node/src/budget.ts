// A retry budget of the library's: a token bucket shared by every retrying function it is given to, so
// that retries cannot multiply the load on a failing service. The library decides every withdrawal.
import { withConfig, type Params } from './config.js';
import { check } from './errors.js';
import { own } from './handle.js';
import { library, type Native } from './native.js';
import { valueOf } from './vocabulary.js';

/** A budget handle the library made elsewhere (a pool's), for RetryBudget's constructor to own. */
export class BudgetHandle {
  constructor(readonly handle: unknown) {}
}

export class RetryBudget {
  readonly #native: Native;
  #handle: unknown;
  readonly #close: () => void;

  /**
   * @param params  backoff.h's budget parameters by name: { calibration: 'aws', capacity: 500,
   *   retry_cost: 5 }, { calibration: 'grpc', max_tokens: 10, token_ratio: 0.1 }, or
   *   { calibration: 'finagle', percent_can_retry: 0.2, ttl: '10s' }. Omitted ones take the library's defaults.
   *   (A BudgetHandle, from RetryBudgetPool.get, is a budget made already.)
   */
  constructor(params: Params | BudgetHandle = {}) {
    const native = library();
    this.#native = native;
    const handle = params instanceof BudgetHandle ? params.handle : withConfig('budget', params, {}, (config) => {
      const out = [null];
      check(native.budgetNew(out, config));
      return out[0];
    });
    this.#handle = handle;
    this.#close = own(this, () => native.budgetFree(handle));
  }

  /** The tokens in the bucket now. */
  get balance(): number {
    check(this.#native.budgetBalance(this.#native.out.ptr, this.#handle));
    return Number(this.#native.out.i64[0]) / 1000;
  }

  /** One of the library's counts (backoff_budget_count): 'granted' or 'refused' withdrawals. */
  count(name: string): number {
    check(this.#native.budgetGetCount(this.#native.out.ptr, this.#handle, valueOf('budget_count', name)));
    return Number(this.#native.out.u64[0]);
  }

  /** Frees the budget. Functions it was given to then fail their calls: close it after them. */
  close(): void {
    this.#handle = null;
    this.#close();
  }

  get closed(): boolean {
    return this.#handle === null;
  }

  /** The C handle (NULL once closed). */
  get handle(): unknown {
    return this.#handle;
  }
}
