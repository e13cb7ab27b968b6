/**
 * Every value written into a deb control file or an rpm header is a validated one-line literal,
 * checked when the metadata is resolved (issue 10 items 3 and 10, issue 12 item 8): control
 * characters, NUL and line breaks are coded errors naming the field; relationships are checked as
 * strictly for rpm as for deb, and every bad entry is reported at once.
 */
import { strict as assert } from 'node:assert';
import { loadProject } from '../../src/config/load.js';
import { resolveDeb } from '../../src/config/resolve-deb.js';
import { resolveRpm } from '../../src/config/resolve-rpm.js';
import { oneLine, textBlock } from '../../src/config/text.js';
import { expectCode, writeProject } from './project.js';

const BASE = { name: 'lit', version: '1.0.0', maintainer: 'Acme Ops <ops@acme.example>', summary: 'Literal checks', description: 'Long text.', app: false };

async function resolveBoth(config: object): Promise<{ deb: () => unknown; rpm: () => unknown }> {
  const project = await loadProject(writeProject({ 'mkpkg.config.json': { ...BASE, ...config } }));
  return { deb: () => resolveDeb(project, { deb: 'all' }), rpm: () => resolveRpm(project, { rpm: 'noarch' }, { buildHost: 'host' }) };
}

const HOSTILE: [string, string][] = [
  ['a newline', 'x\nPre-Depends: evil'],
  ['a carriage return', 'x\rEvil: 1'],
  ['a NUL byte', 'x\u0000y'],
  ['an escape sequence', 'x\u001b[2Jy'],
  ['a DEL', 'x\u007fy'],
  ['a C1 control (CSI)', 'x\u009b31my'],
  ['a tab', 'x\ty'],
  ['a line separator', 'x\u2028y'],
];

describe('config: values for control files and rpm headers are one-line literals', function () {
  this.timeout(60_000);

  for (const field of ['maintainer', 'vendor', 'homepage', 'license', 'group', 'section', 'priority', 'summary'] as const) {
    it(`${field}: every control character is E_METADATA_INVALID naming the field, for deb and rpm alike`, async () => {
      for (const [what, raw] of HOSTILE) {
        // summary collapses whitespace (TAB, LF, U+2028 become spaces), the rest is refused
        if (field === 'summary' && /\s/.test(raw)) continue;
        const value = field === 'maintainer' ? `A ${raw} <a@example.org>` : raw;
        const r = await resolveBoth({ [field]: value });
        for (const [fmt, fn] of Object.entries(r)) {
          if ((fmt === 'deb' && (field === 'group' || field === 'vendor')) || (fmt === 'rpm' && (field === 'section' || field === 'priority'))) continue;
          const e = await expectCode(fn, 'E_METADATA_INVALID');
          assert.ok(e.message.startsWith(`${field}: `), `${fmt} ${field} with ${what}: ${e.message}`);
          assert.ok(e.message.includes(JSON.stringify(value)), e.message);
          assert.ok(e.hint);
        }
      }
    });
  }

  it('a NUL byte in an rpm header string (summary, license, description) is a coded error naming the field, not a write failure', async () => {
    for (const [field, value] of [['summary', 'a\u0000b'], ['license', 'MIT\u0000'], ['description', 'line\n\u0000'], ['vendor', '\u0000'], ['group', 'G\u0000']] as const) {
      const e = await expectCode((await resolveBoth({ [field]: value })).rpm, 'E_METADATA_INVALID');
      assert.match(e.message, new RegExp(`^${field}: .*U\\+0000 \\(NUL\\)`));
    }
  });

  it('the long description may have lines and tabs, but no other control character; CRLF becomes LF', async () => {
    const ok = await resolveBoth({ description: 'First line.\r\n\n\tindented\nlast' });
    assert.equal((ok.deb() as { meta: { description: string } }).meta.description, 'First line.\n\n\tindented\nlast');
    const e = await expectCode((await resolveBoth({ description: 'ok\n\u001b]0;title\u0007' })).deb, 'E_METADATA_INVALID');
    assert.match(e.message, /^description: .*U\+001B \(ESC\)/);
  });

  it('a package.json description holding an escape sequence names package.json', async () => {
    const project = await loadProject(writeProject({ 'package.json': { name: 'lit', version: '1.0.0', description: 'x\u001b[31m', author: 'A <a@example.org>' } }));
    const e = await expectCode(() => resolveDeb(project, { deb: 'all' }), 'E_METADATA_INVALID');
    assert.match(e.message, /^package\.json description: /);
  });

  it('an overlong package file name is caught at resolve time, not by the file system', async () => {
    const r = await resolveBoth({ name: `x${'a'.repeat(250)}` });
    for (const fn of [r.deb, r.rpm]) assert.match((await expectCode(fn, 'E_METADATA_INVALID')).message, /package file name is \d+ bytes/);
  });

  it('the one-line validator is reusable (units, Release files): returns the value, names the field', async () => {
    assert.equal(oneLine('Plain value: ok', 'x'), 'Plain value: ok');
    assert.equal(textBlock('a\r\nb', 'x'), 'a\nb');
    const e = await expectCode(() => oneLine('a\nb', 'services[0].description', { code: 'E_SERVICE_INVALID' }), 'E_SERVICE_INVALID');
    assert.match(e.message, /^services\[0\]\.description: "a\\nb" contains U\+000A/);
    await expectCode(() => oneLine('abc', 'x', { pattern: /^[a-b]+$/, rule: 'a or b' }), 'E_METADATA_INVALID');
  });
});

describe('config: relationships are as strict for rpm as for deb, all problems at once', function () {
  this.timeout(60_000);

  it('a relationship with a newline, NUL, ESC or non-ASCII text is E_DEPENDENCY_INVALID for rpm (and deb)', async () => {
    for (const dep of ['foo\nPre-Depends: evil', '(a or b\nRequires: evil)', 'foo\u0000bar', 'f\u001b[31mo', 'fö >= 1', '(a or b; rm -rf /)', '(a or "b")', 'foo >= 1$x']) {
      const r = await resolveBoth({ overrides: { rpm: { depends: [dep] }, deb: { depends: [dep] } } });
      for (const fn of [r.rpm, r.deb]) {
        const e = await expectCode(fn, 'E_DEPENDENCY_INVALID');
        assert.ok(e.message.includes('depends[0]'), e.message);
      }
    }
  });

  it('"nodejs >= " says the version is missing', async () => {
    const r = await resolveBoth({ depends: ['nodejs >= '] });
    for (const fn of [r.deb, r.rpm]) {
      const e = await expectCode(fn, 'E_DEPENDENCY_INVALID');
      assert.equal(e.message, 'depends[0]: "nodejs >= ": the operator ">=" of nodejs has no version after it');
      assert.match(e.hint ?? '', /nodejs >= 1\.0/);
    }
    const paren = await expectCode((await resolveBoth({ depends: ['nodejs (>= )'] })).deb, 'E_DEPENDENCY_INVALID');
    assert.match(paren.message, /has no version after it/);
  });

  it('every bad entry of every relationship field is reported in one error', async () => {
    const r = await resolveBoth({ depends: ['ok', 'nodejs >= ', 'a\nb'], conflicts: ['x (>> )'], provides: ['p | q'], recommends: ['(a or b'] });
    for (const [fmt, fn] of Object.entries(r)) {
      const e = await expectCode(fn, 'E_DEPENDENCY_INVALID');
      for (const field of ['depends[1]', 'depends[2]', 'conflicts[0]', 'provides[0]', 'recommends[0]']) assert.ok(e.message.includes(field), `${fmt}: ${field} missing from\n${e.message}`);
      assert.ok(!e.message.includes('depends[0]'), e.message);
      assert.match(e.message, /^5 relationship entries are invalid:\n/);
      assert.equal((e.details?.problems as unknown[]).length, 5);
    }
  });
});
