/** Checks shared by the version tests. */
import { MkpkgError } from '../../src/errors.js';

/** `accepts(parse)(v)`: true when `parse(v)` returns, false when it throws. */
export const accepts = (parse: (v: string) => unknown) => (v: string): boolean => {
  try {
    parse(v);
    return true;
  } catch {
    return false;
  }
};

/** An `assert.throws` validator: an E_VERSION_INVALID MkpkgError whose message names `field` and the quoted `value`, and which passes `check`. */
export const versionInvalid = (field: string, value: string, check: (e: MkpkgError) => boolean) => (e: unknown): boolean =>
  e instanceof MkpkgError &&
  e.code === 'E_VERSION_INVALID' &&
  e.message.includes(field) &&
  e.message.includes(JSON.stringify(value)) &&
  check(e);
