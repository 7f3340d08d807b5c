// The enum values the per-call paths pass to the library, asked of it once by name.
import { valueOf } from './vocabulary.js';

export interface Codes {
  readonly circuitOpen: number;
  readonly success: number;
  readonly failure: number;
  readonly ignored: number;
}

let cached: Codes | null = null;
export function codes(): Codes {
  cached ??= {
    circuitOpen: valueOf('status', 'circuit_open'),
    success: valueOf('outcome', 'success'),
    failure: valueOf('outcome', 'failure'),
    ignored: valueOf('outcome', 'ignored'),
  };
  return cached;
}

/** A wait in ns as milliseconds for setTimeout; INT64_MAX ("isolated", "never") is Infinity. */
export function nsToMs(ns: bigint): number {
  return ns === 0x7fff_ffff_ffff_ffffn ? Infinity : Number(ns) / 1e6;
}
