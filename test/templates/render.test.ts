/** Template lookup (project → plugin → built-in), rendering, errors, slots, eject, sh -n. */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  builtinTemplatesDir, checkShellSyntax, createTemplateLookup, ejectTemplates, listBuiltinTemplates, listTemplates, renderTemplate,
} from '../../src/templates/index.js';
import { MkpkgError } from '../../src/errors.js';
import { scratch } from '../support/tmp.js';

function put(dir: string, name: string, text: string): string {
  const f = join(dir, name);
  mkdirSync(dirname(f), { recursive: true });
  writeFileSync(f, text);
  return f;
}
const isCode = (code: string) => (e: unknown) => e instanceof MkpkgError && e.code === code;

describe('template lookup and rendering', () => {
  it('a project template wins over a plugin one, which wins over the built-in', () => {
    const project = scratch();
    const plugin = scratch();
    put(join(project, 'packaging'), 'x/a.ejs', 'project <%= v %>');
    put(plugin, 'x/a.ejs', 'plugin <%= v %>');
    put(plugin, 'x/b.ejs', 'plugin-b');
    const lookup = createTemplateLookup({ projectDir: project, pluginDirs: [{ dir: plugin, plugin: 'p' }] });
    assert.deepEqual(lookup.dirs.map((d) => d.origin), ['project', 'plugin', 'builtin']);
    assert.equal(renderTemplate('x/a.ejs', { v: 1 }, lookup).text, 'project 1');
    assert.equal(renderTemplate('x/b', {}, lookup).text, 'plugin-b');
    const builtin = renderTemplate('common/copyright.ejs', { packageName: 'p', homepage: '', copyrightHolder: 'me', year: '2024', license: { name: 'MIT', text: [] } }, lookup);
    assert.equal(builtin.source, join(builtinTemplatesDir(), 'common/copyright.ejs'));
  });

  it('honours a configured project template directory', () => {
    const project = scratch();
    put(join(project, 'tmpl'), 'deb/postinst.ejs', 'custom');
    const lookup = createTemplateLookup({ projectDir: project, templatesDir: 'tmpl' });
    assert.equal(renderTemplate('deb/postinst.ejs', {}, lookup).text, 'custom');
  });

  it('includes resolve through the lookup, so a project can override an included part', () => {
    const project = scratch();
    put(join(project, 'packaging'), 'parts/main.ejs', 'A[<%- include("parts/inner") %>]');
    put(join(project, 'packaging'), 'parts/inner.ejs', 'inner <%= v %>');
    const lookup = createTemplateLookup({ projectDir: project });
    assert.equal(renderTemplate('parts/main.ejs', { v: 'x' }, lookup).text, 'A[inner x]');
  });

  it('does not HTML-escape', () => {
    const project = scratch();
    put(join(project, 'packaging'), 't.ejs', '<%= v %>');
    assert.equal(renderTemplate('t', { v: `<a href="x">&'` }, createTemplateLookup({ projectDir: project })).text, `<a href="x">&'`);
  });

  it('an unknown template is E_TEMPLATE_NOT_FOUND listing every directory searched', () => {
    const project = scratch();
    const lookup = createTemplateLookup({ projectDir: project });
    assert.throws(() => renderTemplate('deb/nope.ejs', {}, lookup), (e: unknown) =>
      isCode('E_TEMPLATE_NOT_FOUND')(e) && (e as MkpkgError).message.includes(join(project, 'packaging')) && (e as MkpkgError).message.includes(builtinTemplatesDir()));
    assert.throws(() => renderTemplate('../etc/passwd', {}, lookup), isCode('E_TEMPLATE_NOT_FOUND'));
  });

  it('a missing variable is E_TEMPLATE_RENDER naming the template file, the line and the variable', () => {
    const project = scratch();
    const file = put(join(project, 'packaging'), 'deb/postinst.ejs', '#!/bin/sh\nset -e\necho <%= q(missingThing) %>\n');
    const lookup = createTemplateLookup({ projectDir: project });
    assert.throws(() => renderTemplate('deb/postinst.ejs', {}, lookup), (e: unknown) => {
      const m = e as MkpkgError;
      return isCode('E_TEMPLATE_RENDER')(e) && m.message.includes(file) && m.message.includes('line 3') && m.message.includes('missingThing') && m.details?.variable === 'missingThing' && !!m.hint;
    });
  });

  it('an undefined property printed with <%= %> is an error at its line, not the text "undefined"', () => {
    const project = scratch();
    put(join(project, 'packaging'), 'u.ejs', 'a\nUser=<%= service.usr %>\n');
    assert.throws(() => renderTemplate('u', { service: { user: 'x' } }, createTemplateLookup({ projectDir: project })), (e: unknown) =>
      isCode('E_TEMPLATE_RENDER')(e) && (e as MkpkgError).details?.line === 2);
  });

  it('an error inside an included template names the included file and its line', () => {
    const project = scratch();
    put(join(project, 'packaging'), 'outer.ejs', 'x\n<%- include("inner") %>\n');
    const inner = put(join(project, 'packaging'), 'inner.ejs', 'one\ntwo\n<%= nope %>\n');
    assert.throws(() => renderTemplate('outer', {}, createTemplateLookup({ projectDir: project })), (e: unknown) =>
      isCode('E_TEMPLATE_RENDER')(e) && (e as MkpkgError).details?.file === inner && (e as MkpkgError).details?.line === 3);
  });

  it('slot() emits registered fragments in order, and nothing for an empty slot', () => {
    const project = scratch();
    put(join(project, 'packaging'), 's.ejs', '[<%- slot("a") %>][<%- slot("b") %>]');
    const lookup = createTemplateLookup({ projectDir: project });
    assert.equal(renderTemplate('s', { slots: { a: ['one', 'two\n'] } }, lookup).text, '[one\ntwo\n][]');
  });

  it('lists the built-in templates and ejects them, refusing to overwrite', () => {
    const names = listBuiltinTemplates();
    for (const n of ['deb/postinst.ejs', 'rpm/posttrans.ejs', 'systemd/service.ejs', 'common/copyright.ejs']) assert.ok(names.includes(n), n);
    assert.deepEqual(names, [...names].sort());
    const dest = join(scratch(), 'packaging');
    const written = ejectTemplates(dest, ['deb/postinst']);
    assert.deepEqual(written, [join(dest, 'deb/postinst.ejs')]);
    assert.equal(readFileSync(written[0], 'utf8'), readFileSync(join(builtinTemplatesDir(), 'deb/postinst.ejs'), 'utf8'));
    writeFileSync(written[0], 'mine');
    assert.throws(() => ejectTemplates(dest), isCode('E_TEMPLATE_EXISTS'));
    assert.equal(readFileSync(written[0], 'utf8'), 'mine');
    assert.ok(!existsSync(join(dest, 'rpm/pre.ejs')), 'nothing is copied when one file clashes');
    const listed = listTemplates(createTemplateLookup({ projectDir: dirname(dest) }));
    assert.equal(listed.find((t) => t.name === 'deb/postinst.ejs')?.from.origin, 'project');
    assert.equal(listed.find((t) => t.name === 'rpm/pre.ejs')?.from.origin, 'builtin');
    const viaOptions = ejectTemplates({ projectDir: dirname(dest), names: ['rpm/pre.ejs'] });
    assert.deepEqual(viaOptions, [join(dest, 'rpm/pre.ejs')]);
    assert.equal(listTemplates({ projectDir: dirname(dest) }).find((t) => t.name === 'rpm/pre.ejs')?.origin, 'project');
  });
});

describe('checkShellSyntax', () => {
  it('accepts valid sh and rejects invalid sh with E_SCRIPT_SYNTAX naming the template and line', () => {
    checkShellSyntax('#!/bin/sh\nif true; then echo ok; fi\n', 'deb/postinst.ejs');
    assert.throws(() => checkShellSyntax('#!/bin/sh\necho a\nif true; then\necho b\n', 'deb/postinst.ejs'), (e: unknown) =>
      isCode('E_SCRIPT_SYNTAX')(e) && (e as MkpkgError).message.includes('deb/postinst.ejs') && /end of file|unexpected/i.test((e as MkpkgError).message));
  });
});
