/**
 * EJS rendering through the template lookup. No HTML escaping: `<%= x %>` prints `x` as is and
 * refuses `undefined`/`null` (a misspelt property is an error, not the text "undefined").
 * Values that go into shell scripts must be passed through `q(...)`, into unit files through
 * `unitValue(...)`/`unitQuote(...)`/`execArg(...)`.
 */
import { readFileSync } from 'node:fs';
import ejs from 'ejs';
import { MkpkgError } from '../errors.js';
import { resolveTemplate, type TemplateLookup } from './lookup.js';
import { envFileValue, shQuote, shQuoteList } from './shell.js';
import { execArg, execLine, systemdEscape, unitQuote } from './systemd.js';

/** Fragments registered for named slots (config `slots`, user script fragments, plugins), in order. */
export type SlotFragments = Record<string, readonly string[]>;

/** Values a template sees. `slots` feeds the `slot()` / `shellSlot()` helpers. */
export interface TemplateContext {
  slots?: SlotFragments;
  [key: string]: unknown;
}

/** A rendered template and the file it came from. */
export interface Rendered {
  text: string;
  /** The template file that was rendered (after lookup). */
  source: string;
}

/** Helpers every template can call. */
export interface TemplateHelpers {
  q: typeof shQuote;
  qList: typeof shQuoteList;
  envValue: typeof envFileValue;
  unitValue: typeof systemdEscape;
  unitQuote: typeof unitQuote;
  execArg: typeof execArg;
  execLine: typeof execLine;
  join: (values: readonly unknown[], sep?: string) => string;
  octal: (mode: number) => string;
  /** The raw fragments of a slot, each ending with a newline; empty when none. */
  slot: (name: string) => string;
  /** Slot fragments for shell scripts: each runs in a subshell `( … )`, followed by `suffix`. */
  shellSlot: (name: string, suffix?: string) => string;
  hasSlot: (name: string) => boolean;
  /** `text` with `depth` tabs before each non-empty line (to place an included snippet in a block; not for text with multi-line quoted strings). */
  indent: (text: string, depth: number) => string;
}

function makeHelpers(slots: SlotFragments): TemplateHelpers {
  const frags = (name: string): string[] => (slots[name] ?? []).filter((f) => f.trim() !== '');
  return {
    q: shQuote,
    qList: shQuoteList,
    envValue: envFileValue,
    unitValue: systemdEscape,
    unitQuote,
    execArg,
    execLine,
    join: (values, sep = ' ') => values.map(String).join(sep),
    octal: (mode) => mode.toString(8).padStart(4, '0'),
    slot: (name) => frags(name).map((f) => (f.endsWith('\n') ? f : `${f}\n`)).join(''),
    shellSlot: (name, suffix = '') =>
      frags(name)
        .map((f, i) => `# slot ${name} #${i + 1}\n(\n${f.endsWith('\n') ? f : `${f}\n`})${suffix ? ` ${suffix}` : ''}\n`)
        .join(''),
    hasSlot: (name) => frags(name).length > 0,
    indent: (text, depth) => text.replace(/^(?=.)/gm, '\t'.repeat(depth)),
  };
}

function strictEscape(value: unknown): string {
  if (value === undefined || value === null) throw new TypeError(`a <%= %> expression is ${String(value)}`);
  return String(value);
}

/** Pull file, line and the original message out of an (possibly nested) ejs error. */
function describeEjsError(err: Error, fallbackFile: string): { file: string; line?: number; message: string } {
  const msg = err.message;
  const heads = [...msg.matchAll(/^(.+):(\d+)\n(?:(?: >> |    )\d+\|.*\n?)+/gm)];
  const last = heads[heads.length - 1];
  const original = msg.split('\n\n').pop() ?? msg;
  return last ? { file: last[1], line: Number(last[2]), message: original } : { file: fallbackFile, message: original };
}

/**
 * Render template `name` (e.g. `deb/postinst.ejs`) found through `lookup` with `context` plus the
 * {@link TemplateHelpers}. Includes (`include('common/x')`) resolve through the same lookup.
 * Throws E_TEMPLATE_NOT_FOUND / E_TEMPLATE_RENDER (naming the file, line and missing value).
 */
export function renderTemplate(name: string, context: TemplateContext, lookup: TemplateLookup): Rendered {
  const resolved = resolveTemplate(name, lookup);
  const data = { ...makeHelpers(context.slots ?? {}), ...context };
  let text: string;
  try {
    text = ejs.render(readFileSync(resolved.file, 'utf8'), data, {
      filename: resolved.file,
      escape: strictEscape,
      strict: false,
      rmWhitespace: false,
      cache: false,
      async: false,
      includer: (original: string) => ({ filename: resolveTemplate(original, lookup).file }),
    });
  } catch (e) {
    if (e instanceof MkpkgError) throw e;
    const err = e instanceof Error ? e : new Error(String(e));
    const where = describeEjsError(err, resolved.file);
    const variable = err instanceof ReferenceError ? /^(\S+) is not defined/.exec(where.message)?.[1] : undefined;
    throw new MkpkgError(
      'E_TEMPLATE_RENDER',
      `template ${resolved.name} (${where.file}${where.line ? `, line ${where.line}` : ''}) failed: ${where.message}`,
      {
        hint: variable
          ? `"${variable}" is not defined for this template: check the spelling, or pass it in the context`
          : 'fix the template at the line shown (a missing value, a typo, or a JavaScript error)',
        details: { template: resolved.name, file: where.file, line: where.line, variable, error: where.message },
        cause: err,
      },
    );
  }
  return { text, source: resolved.file };
}
