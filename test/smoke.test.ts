import { strict as assert } from 'node:assert';
import { MkpkgError } from '../src/errors.js';

describe('errors', () => {
  it('MkpkgError carries a stable code and hint', () => {
    const e = new MkpkgError('E_CONFIG_INVALID', 'bad', { hint: 'fix it' });
    assert.equal(e.code, 'E_CONFIG_INVALID');
    assert.equal(e.hint, 'fix it');
    assert.ok(e instanceof Error);
  });
});
