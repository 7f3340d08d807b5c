// Names of the library's enums, asked of the library (backoff_name_of / backoff_value_of), never typed
// here. JavaScript spells them in camelCase: the library's "half_open" is 'halfOpen'.
import { check } from './errors.js';
import { library } from './native.js';

const FAMILY_OF_FAMILIES = 0; // BACKOFF_ENUM_FAMILY: the one value needed to ask for the others.

const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The value of `name` (camelCase or the library's snake_case) in the family named `family`. */
export function valueOf(family: string, name: string): number {
  const out = [0];
  check(library().valueOf(out, familyId(family), snake(name)));
  return out[0]!;
}

/** The camelCase name of `value` in `family`, or undefined for a value the library does not name. */
export function nameOf(family: string, value: number): string | undefined {
  const name = library().nameOf(familyId(family), value) as string | null;
  return name === null ? undefined : camel(name);
}

/** Every name of a family whose values count up from 0, in value order. */
export function namesOf(family: string): string[] {
  const names: string[] = [];
  for (let value = 0; ; value++) {
    const name = nameOf(family, value);
    if (name === undefined) return names;
    names.push(name);
  }
}

const families = new Map<string, number>();
function familyId(family: string): number {
  let id = families.get(family);
  if (id === undefined) {
    const out = [0];
    check(library().valueOf(out, FAMILY_OF_FAMILIES, family));
    id = out[0]!;
    families.set(family, id);
  }
  return id;
}
