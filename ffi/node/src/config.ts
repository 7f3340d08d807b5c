// Builds a policy, breaker or budget config from parameters named as backoff.h names them. A string goes
// through the family's text setter ({ cap: '30s', jitter: 'none' }); a number or BigInt through the typed
// setter the parameter's type calls for, which the library tells (backoff_*param_type).
import { check } from './errors.js';
import { library, type Native } from './native.js';
import { valueOf } from './vocabulary.js';

export type ParamValue = string | number | bigint;
export type Params = Record<string, ParamValue>;

/** The functions of one configurable family: "", "breaker_" or "budget_" in backoff.h. */
interface Family {
  fromName(out: number[], name: string): number;
  type(param: number): number;
  configNew(out: unknown[]): number;
  configFree(config: unknown): void;
  setI64(config: unknown, param: number, value: number | bigint): number;
  setF64(config: unknown, param: number, value: number): number;
  setU64?(config: unknown, param: number, value: bigint): number;
  setText(config: unknown, name: string, value: string): number;
}

export type FamilyName = 'policy' | 'breaker' | 'budget';

function family(native: Native, name: FamilyName): Family {
  if (name === 'policy') {
    return { fromName: native.paramFromName, type: native.paramType, configNew: native.configNew,
      configFree: native.configFree, setI64: native.configSetI64, setF64: native.configSetF64,
      setU64: native.configSetU64, setText: native.configSetText };
  }
  if (name === 'breaker') {
    return { fromName: native.breakerParamFromName, type: native.breakerParamType,
      configNew: native.breakerConfigNew, configFree: native.breakerConfigFree,
      setI64: native.breakerConfigSetI64, setF64: native.breakerConfigSetF64, setText: native.breakerConfigSetText };
  }
  return { fromName: native.budgetParamFromName, type: native.budgetParamType, configNew: native.budgetConfigNew,
    configFree: native.budgetConfigFree, setI64: native.budgetConfigSetI64, setF64: native.budgetConfigSetF64,
    setText: native.budgetConfigSetText };
}

/**
 * Makes a config of `familyName` holding `params`, calls `build` with it, frees it and returns what
 * `build` returned. `labels` maps a parameter to the option of ours it came from, so that an error names
 * what the caller wrote ("failureThreshold = 0: failure_threshold: must be at least 1 (got 0)").
 */
export function withConfig<T>(familyName: FamilyName, params: Params, labels: Record<string, string>,
  build: (config: unknown) => T): T {
  const fam = family(library(), familyName);
  const config = [null];
  check(fam.configNew(config));
  try {
    for (const [name, value] of Object.entries(params)) {
      const label = labels[name];
      check(setParam(fam, config[0], name, value), label && `${label} = ${String(value)}`);
    }
    return build(config[0]);
  } finally {
    fam.configFree(config[0]);
  }
}

function setParam(fam: Family, config: unknown, name: string, value: ParamValue): number {
  // A fraction for an integer parameter goes to the text setter, whose error names the parameter.
  if (typeof value === 'string' || (typeof value === 'number' && !Number.isInteger(value))) {
    return fam.setText(config, name, String(value));
  }
  const param = [0];
  const status = fam.fromName(param, name);
  if (status !== 0) return status;
  const type = fam.type(param[0]!);
  if (type === valueOf('value_type', 'real')) return fam.setF64(config, param[0]!, Number(value));
  if (type === valueOf('value_type', 'seed') && fam.setU64) return fam.setU64(config, param[0]!, BigInt(value));
  return fam.setI64(config, param[0]!, BigInt(value));
}
