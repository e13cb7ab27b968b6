/**
 * Resolved metadata judged by the real tools: dpkg-deb builds and reads a control file made from
 * resolveDeb's output, lintian checks its fields; rpmbuild builds a spec made from resolveRpm's
 * output and rpm reads the header back.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../src/config/load.js';
import { resolveDeb } from '../../src/config/resolve-deb.js';
import { resolveRpm } from '../../src/config/resolve-rpm.js';
import { DEB_RELATION_FIELDS, RPMSENSE, type DebMetadata, type RpmDependency } from '../../src/config/resolved.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { writeProject } from './project.js';

const project = () =>
  writeProject({
    'package.json': {
      name: '@acme/Ping_Svc',
      version: '2.0.0-beta.3',
      description: 'Answers ping requests over HTTP for monitoring probes',
      author: { name: 'Acme Ops', email: 'ops@acme.example', url: 'https://acme.example' },
      license: 'MIT',
      homepage: 'https://acme.example/ping',
      engines: { node: '>=18 <23' },
    },
    'mkpkg.config.ts': [
      "import { defineConfig } from 'mkpkg';",
      'export default defineConfig({',
      "  description: 'The ping service listens on a port and answers each request.\\n\\nIt is used by the monitoring system.',",
      "  section: 'net',",
      "  depends: ['adduser', 'curl (>= 7.88) | wget', 'libc6 >= 2.36'],",
      "  recommends: ['ca-certificates'],",
      "  conflicts: ['ping-legacy (<< 2.0)'],",
      "  provides: ['ping-daemon'],",
      '});',
    ].join('\n'),
  });

function controlText(m: DebMetadata): string {
  const lines = [`Package: ${m.package}`, `Version: ${m.version}`, `Architecture: ${m.architecture}`, `Maintainer: ${m.maintainer}`, `Section: ${m.section}`, `Priority: ${m.priority}`];
  if (m.homepage) lines.push(`Homepage: ${m.homepage}`);
  for (const f of DEB_RELATION_FIELDS) if (m.relations[f]?.length) lines.push(`${f}: ${m.relations[f]!.join(', ')}`);
  lines.push(`Description: ${m.synopsis}`);
  for (const l of (m.description ?? '').split('\n')) if (m.description) lines.push(l.trim() === '' ? ' .' : ` ${l}`);
  return `${lines.join('\n')}\n`;
}

const OPS: [number, string][] = [[RPMSENSE.LESS | RPMSENSE.EQUAL, '<='], [RPMSENSE.GREATER | RPMSENSE.EQUAL, '>='], [RPMSENSE.LESS, '<'], [RPMSENSE.GREATER, '>'], [RPMSENSE.EQUAL, '=']];
function specDep(d: RpmDependency): string {
  const op = OPS.find(([f]) => (d.flags & 14) === f)?.[1];
  return op ? `${d.name} ${op} ${d.version}` : d.name;
}

describe('config/resolve judged by dpkg, lintian, rpmbuild and rpm', () => {
  it('resolveDeb output builds with dpkg-deb, reads back unchanged, and raises no lintian control-field tags', async function () {
    requireTools(this, 'dpkg-deb', 'lintian');
    const p = await loadProject(project());
    const { meta } = resolveDeb(p, { deb: 'all' });
    const root = join(scratch(), 'root');
    mkdirSync(join(root, 'DEBIAN'), { recursive: true });
    writeFileSync(join(root, 'DEBIAN', 'control'), controlText(meta));
    const deb = join(root, '..', 'out.deb');
    const b = spawnSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    const f = spawnSync('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Depends', 'Maintainer'], { encoding: 'utf8' }).stdout;
    assert.equal(f, `Package: ${meta.package}\nVersion: ${meta.version}\nDepends: ${meta.relations.Depends!.join(', ')}\nMaintainer: ${meta.maintainer}\n`);
    assert.equal(spawnSync('dpkg', ['--compare-versions', meta.version, 'lt', '2.0.0-1']).status, 0, 'a beta sorts before the release');
    const l = spawnSync('lintian', ['--no-tag-display-limit', deb], { encoding: 'utf8' });
    const tags = l.stdout.split('\n').filter(Boolean).map((s) => s.split(' ')[2]!);
    const controlTags = /package-name|version|maintainer|malformed|description|synopsis|relation|depends|section|priority|homepage|field/;
    assert.ok(tags.length > 0 && tags.every((t) => /^[a-z0-9.+-]+$/.test(t)), `lintian output not understood: ${l.stdout}${l.stderr}`);
    assert.deepEqual(tags.filter((t) => controlTags.test(t)), [], l.stdout);
  });

  it('resolveRpm output builds with rpmbuild and rpm reads the same name, version, texts and requirements back', async function () {
    requireTools(this, 'rpmbuild', 'rpm');
    const p = await loadProject(project());
    const { meta } = resolveRpm(p, { rpm: 'noarch' }, { buildHost: 'reproducible' });
    const top = scratch();
    const spec = [
      `Name: ${meta.name}`, `Version: ${meta.version}`, `Release: ${meta.release}`, `Summary: ${meta.summary}`, `License: ${meta.license}`,
      `Group: ${meta.group}`, `URL: ${meta.url}`, `Packager: ${meta.packager}`, `BuildArch: ${meta.arch}`, 'AutoReqProv: no',
      ...meta.relations.requires.map((d) => `Requires: ${specDep(d)}`),
      ...meta.relations.recommends.map((d) => `Recommends: ${specDep(d)}`),
      ...meta.relations.conflicts.map((d) => `Conflicts: ${specDep(d)}`),
      ...meta.relations.provides.map((d) => `Provides: ${specDep(d)}`),
      '%description', meta.description, '%files', '',
    ].join('\n');
    writeFileSync(join(top, 'x.spec'), spec);
    const b = spawnSync('rpmbuild', ['-bb', '--define', `_topdir ${top}`, join(top, 'x.spec')], { encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    const dir = join(top, 'RPMS', 'noarch');
    const file = join(dir, readdirSync(dir)[0]!);
    const q = (fmt: string) => spawnSync('rpm', ['-qp', '--qf', fmt, file], { encoding: 'utf8' }).stdout;
    assert.equal(q('%{NAME}|%{VERSION}|%{RELEASE}|%{LICENSE}|%{URL}|%{SUMMARY}'), `${meta.name}|${meta.version}|${meta.release}|MIT|https://acme.example/ping|${meta.summary}`);
    assert.equal(q('%{DESCRIPTION}'), meta.description);
    const reqs = q('[%{REQUIRENAME}\t%{REQUIREFLAGS}\t%{REQUIREVERSION}\n]').trimEnd().split('\n').filter((l) => !l.startsWith('rpmlib('));
    const ours = meta.relations.requires.map((d) => `${d.name}\t${d.flags}\t${d.version}`);
    assert.deepEqual(reqs.sort(), ours.sort());
    assert.ok(ours.includes('(curl >= 7.88 or wget)\t0\t'), 'alternatives become a rich dependency');
  });
});
