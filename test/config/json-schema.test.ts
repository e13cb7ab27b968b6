import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText } from '../../src/config/json-schema.js';
import { configSchema } from '../../src/config/schema.js';
import { requireTools } from '../support/tools.js';

const committed = fileURLToPath(new URL('../../schema/mkpkg.schema.json', import.meta.url));

describe('config/json-schema', () => {
  it('the committed schema/mkpkg.schema.json is what scripts/gen-schema.ts generates from the zod schema', () => {
    assert.equal(readFileSync(committed, 'utf8'), configJsonSchemaText(), 'stale: run npx tsx scripts/gen-schema.ts');
  });

  it('lists every config key and rejects unknown ones, like the zod schema', () => {
    const doc = JSON.parse(readFileSync(committed, 'utf8')) as { properties: Record<string, unknown>; additionalProperties: unknown };
    assert.deepEqual(Object.keys(doc.properties).sort(), Object.keys(configSchema.shape).sort());
    assert.equal(doc.additionalProperties, false);
  });

  it('a JSON-schema validator (python jsonschema) accepts a valid config and reports the same bad keys and values zod does', function () {
    requireTools(this, 'python3');
    const check = (instance: unknown): string[] => {
      const script = 'import json,sys\nfrom jsonschema import Draft202012Validator\nv = Draft202012Validator(json.load(open(sys.argv[1])))\nfor e in v.iter_errors(json.loads(sys.stdin.read())): print("/".join(map(str, e.absolute_path)) or "(root)")';
      const r = spawnSync('python3', ['-c', script, committed], { input: JSON.stringify(instance), encoding: 'utf8' });
      if (r.status !== 0) this.skip();
      return r.stdout.split('\n').filter((l) => l !== '').sort();
    };
    const good = { name: 'ping-svc', maintainer: 'Ops <ops@acme.example>', services: [{ name: 'ping-svc', onUpgrade: 'keep-running' }], contents: [{ src: 'a', dst: '/etc/a', type: 'config-noreplace', mode: '0640' }], overrides: { rpm: { depends: ['nodejs >= 18'] } } };
    assert.deepEqual(check(good), []);
    const bad = { ...good, sectoin: 'web', services: [{ name: 'ping-svc', onUpgrade: 'restartt' }], compression: 'bzip2' };
    assert.deepEqual(check(bad), ['(root)', 'compression', 'services/0/onUpgrade']);
  });

  it('gen-schema --check passes on the committed file', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../scripts/gen-schema.ts', import.meta.url)), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
