import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadProject } from '../../src/config/load.js';
import { requirePackageJson } from '../../src/config/package-json.js';
import { requireTools } from '../support/tools.js';
import { expectCode, writeProject } from './project.js';

/** Python's json module, an independent parser, as the judge of where a syntax error is. */
function pythonErrorPosition(file: string): { line: number; column: number } {
  const r = spawnSync('python3', ['-c', 'import json,sys\ntry:\n json.load(open(sys.argv[1]))\nexcept json.JSONDecodeError as e:\n print(e.lineno, e.colno)', file], { encoding: 'utf8' });
  const [line, column] = r.stdout.trim().split(' ').map(Number);
  return { line: line!, column: column! };
}

const MALFORMED: Record<string, string> = {
  'trailing comma': '{\n  "name": "x",\n  "version": "1.0.0",\n}\n',
  'missing comma': '{\n  "name": "x"\n  "version": "1.0.0"\n}\n',
  'unquoted value': '{\n  "name": "x",\n  "scripts": {\n    "start": node server.js\n  }\n}\n',
  'single quotes': "{\n  'name': 'x'\n}\n",
  'unterminated array': '{\n  "files": ["a",\n',
  'tab inside a string': '{\n  "description": "a\tb"\n}\n',
};

describe('config/package-json', () => {
  for (const [what, text] of Object.entries(MALFORMED)) {
    it(`reports malformed package.json (${what}) as E_CONFIG_PARSE at the line and column Python's json module reports`, async function () {
      requireTools(this, 'python3');
      const dir = writeProject({ 'package.json': text });
      const file = join(dir, 'package.json');
      const expected = pythonErrorPosition(file);
      const e = await expectCode(() => loadProject(dir), 'E_CONFIG_PARSE');
      assert.ok(e.message.startsWith(`${file}:${expected.line}:${expected.column}:`), `${e.message} (python: ${expected.line}:${expected.column})`);
      assert.equal(e.details?.line, expected.line);
      assert.match(e.hint ?? '', new RegExp(`line ${expected.line}`));
    });
  }

  it('reads the typed fields, accepts author as a string or an object, and ignores a leading BOM', async () => {
    const dir = writeProject({
      'package.json': '\ufeff' + JSON.stringify({ name: '@acme/ping', version: '1.2.3', author: { name: 'A', email: 'a@x.example' }, bin: { ping: 'bin/ping.js' }, engines: { node: '>=18' }, files: ['lib'] }),
    });
    const { packageJson, warnings } = await requirePackageJson(join(dir, 'package.json'));
    assert.equal(packageJson.name, '@acme/ping');
    assert.deepEqual(packageJson.author, { name: 'A', email: 'a@x.example' });
    assert.deepEqual(packageJson.bin, { ping: 'bin/ping.js' });
    assert.equal(packageJson.engines?.node, '>=18');
    assert.deepEqual(warnings, []);
  });

  it('drops a field of the wrong type with a W_PACKAGE_JSON_FIELD warning naming it', async () => {
    const dir = writeProject({ 'package.json': { name: 'x', version: 1.2, description: 'ok' } });
    const { packageJson, warnings } = await requirePackageJson(join(dir, 'package.json'));
    assert.equal(packageJson.version, undefined);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.code, 'W_PACKAGE_JSON_FIELD');
    assert.match(warnings[0]!.message, /"version" ignored/);
  });

  it('reports a missing package.json as E_CONFIG_NOT_FOUND when one is required', async () => {
    const dir = writeProject({});
    const e = await expectCode(() => requirePackageJson(join(dir, 'package.json')), 'E_CONFIG_NOT_FOUND');
    assert.ok(e.message.includes(dir));
  });
});
