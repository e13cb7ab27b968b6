import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRelation, renderDebRelation, toRpmDependency } from '../../src/config/relations.js';
import { RPMSENSE } from '../../src/config/resolved.js';
import { scratch } from '../support/tmp.js';
import { requireTools } from '../support/tools.js';
import { expectCode } from './project.js';

/** Ask dpkg's own Dpkg::Deps whether each relation is satisfied with nodejs 18 (only) installed. */
function dpkgSatisfied(relations: string[]): { canonical: string; satisfied: boolean }[] {
  const script = [
    'use Dpkg::Deps; use Dpkg::Deps::KnownFacts;',
    'my $f = Dpkg::Deps::KnownFacts->new(); $f->add_installed_package("nodejs", "18", "amd64", "allowed");',
    'for my $s (@ARGV) { my $d = deps_parse($s); if (!defined $d) { print "PARSE-ERROR\\n"; next } print "$d\\t", ($d->get_evaluation($f) ? 1 : 0), "\\n"; }',
  ].join('\n');
  const r = spawnSync('perl', ['-e', script, ...relations], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trimEnd().split('\n').map((l) => {
    const [canonical, sat] = l.split('\t');
    return { canonical: canonical!, satisfied: sat === '1' };
  });
}

describe('config/relations', () => {
  const cases: [string, boolean][] = [
    ['nodejs', true],
    ['nodejs (>= 18)', true],
    ['nodejs >= 18', true],
    ['nodejs (>> 18)', false],
    ['nodejs > 18', false],
    ['nodejs < 18', false],
    ['nodejs (<< 19)', true],
    ['nodejs <= 18', true],
    ['nodejs = 18', true],
    ['nodejs(>=19)', false],
    ['missing-pkg | nodejs (>= 17)', true],
    ['missing-pkg', false],
    ['nodejs:any (>= 17)', true],
  ];
  it('renders Debian and RPM syntax to Debian relations that dpkg parses and evaluates as intended', function () {
    requireTools(this, 'perl');
    const rendered = cases.map(([input], i) => renderDebRelation(parseRelation(input, `depends[${i}]`), `depends[${i}]`));
    const judged = dpkgSatisfied(rendered);
    cases.forEach(([input, want], i) => {
      assert.equal(judged[i]!.canonical, rendered[i], `dpkg re-renders ${input} differently`);
      assert.equal(judged[i]!.satisfied, want, `${input} → ${rendered[i]}`);
    });
  });

  it('converts to RPM dependencies with the same name, flags and version rpmbuild records for the RPM-syntax spelling', function () {
    requireTools(this, 'rpmbuild', 'rpm');
    const rpmSyntax = ['nodejs >= 18', 'libfoo < 2.0', 'bar > 1:2.3-4', 'baz = 1.0~rc.1', 'qux <= 3', 'plain', '(alt1 >= 1 or alt2)', 'perl(Foo::Bar) >= 1.2', '/usr/bin/node'];
    const debSyntax = ['nodejs (>= 18)', 'libfoo (<< 2.0)', 'bar (>> 1:2.3-4)', 'baz (= 1.0~rc.1)', 'qux (<= 3)', 'plain', 'alt1 (>= 1) | alt2', 'perl(Foo::Bar) >= 1.2', '/usr/bin/node'];
    const top = scratch();
    const spec = [
      'Name: reltest', 'Version: 1', 'Release: 1', 'Summary: relation test', 'License: MIT', 'BuildArch: noarch', 'AutoReqProv: no',
      ...rpmSyntax.map((r) => `Requires: ${r}`),
      'Requires(pre): prereq-pkg >= 2',
      '%description', 'relation test', '%files', '',
    ].join('\n');
    writeFileSync(join(top, 'reltest.spec'), spec);
    const b = spawnSync('rpmbuild', ['-bb', '--define', `_topdir ${top}`, join(top, 'reltest.spec')], { encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    const dir = join(top, 'RPMS', 'noarch');
    const rpmFile = join(dir, readdirSync(dir)[0]!);
    const q = spawnSync('rpm', ['-qp', '--qf', '[%{REQUIRENAME}\t%{REQUIREFLAGS}\t%{REQUIREVERSION}\n]', rpmFile], { encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    const actual = new Map(q.stdout.trimEnd().split('\n').map((l) => {
      const [name, flags, version] = l.split('\t');
      return [name!, { name: name!, flags: Number(flags), version: version ?? '' }];
    }));
    const pick = (n: string) => actual.get(n) ?? assert.fail(`rpm has no requirement ${n}: ${[...actual.keys()].join(', ')}`);
    rpmSyntax.forEach((s, i) => {
      const fromRpm = toRpmDependency(parseRelation(s, 'depends'), 'depends').dep;
      const fromDeb = toRpmDependency(parseRelation(debSyntax[i]!, 'depends'), 'depends').dep;
      assert.deepEqual(fromRpm, pick(fromRpm.name), s);
      assert.deepEqual(fromDeb, pick(fromRpm.name), debSyntax[i]);
    });
    const pre = toRpmDependency(parseRelation('prereq-pkg >= 2', 'preDepends'), 'preDepends').dep;
    assert.equal(pre.flags | RPMSENSE.SCRIPT_PRE, pick('prereq-pkg').flags);
  });

  it('drops a Debian arch qualifier for RPM, warning unless it is :any', () => {
    assert.deepEqual(toRpmDependency(parseRelation('libc6:any', 'depends[0]'), 'depends[0]'), { dep: { name: 'libc6', flags: 0, version: '' }, warnings: [] });
    const r = toRpmDependency(parseRelation('libc6:amd64 (>= 2)', 'depends[0]'), 'depends[0]');
    assert.equal(r.warnings[0]?.code, 'W_RELATION_ARCH_DROPPED');
  });

  it('rejects Debian "<" and ">" with a hint to use "<<"/"<=" or ">>"/">="', async () => {
    const e1 = await expectCode(() => parseRelation('nodejs (> 18)', 'depends[2]'), 'E_DEPENDENCY_INVALID');
    assert.match(e1.message, /^depends\[2\]: "nodejs \(> 18\)": operator ">" is not valid in Debian syntax/);
    assert.match(e1.hint ?? '', />>/);
    const e2 = await expectCode(() => parseRelation('nodejs (< 18)', 'depends[0]'), 'E_DEPENDENCY_INVALID');
    assert.match(e2.hint ?? '', /<</);
  });

  it('rejects RPM-syntax "<<"/">>" and unknown operators, naming the field and value', async () => {
    const e = await expectCode(() => parseRelation('nodejs >> 18', 'overrides.rpm.depends[1]'), 'E_DEPENDENCY_INVALID');
    assert.match(e.message, /^overrides\.rpm\.depends\[1\]: "nodejs >> 18": operator ">>" is not valid in RPM syntax/);
    assert.match(e.hint ?? '', /">"/);
    await expectCode(() => parseRelation('nodejs != 18', 'depends[0]'), 'E_DEPENDENCY_INVALID');
    await expectCode(() => parseRelation('nodejs =< 18', 'depends[0]'), 'E_DEPENDENCY_INVALID');
  });

  it('rejects bad syntax: empty alternatives, commas, unbalanced rich dependencies, stray text', async () => {
    for (const bad of ['a |', 'a, b', '(a or b', 'nodejs (>= )', 'nodejs >= 1 2', '']) {
      const e = await expectCode(() => parseRelation(bad, 'suggests[0]'), 'E_DEPENDENCY_INVALID');
      assert.ok(e.message.startsWith('suggests[0]: '), e.message);
      assert.ok(e.hint);
    }
  });

  it('refuses to render an RPM rich dependency or a non-Debian name into a .deb', async () => {
    await expectCode(() => renderDebRelation(parseRelation('(a or b)', 'depends[0]'), 'depends[0]'), 'E_DEPENDENCY_INVALID');
    await expectCode(() => renderDebRelation(parseRelation('perl(Foo::Bar)', 'depends[0]'), 'depends[0]'), 'E_DEPENDENCY_INVALID');
  });
});
