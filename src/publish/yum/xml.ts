/**
 * The small XML writer repodata needs: escaped text and attributes, elements on indented lines.
 * Characters XML 1.0 cannot carry at all (most C0 controls) become U+FFFD, so a package whose
 * description holds one still gives a document dnf can parse.
 */

const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content. */
export const xmlText = (s: string): string => s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An attribute value (double-quoted; line breaks kept as character references). */
export const xmlAttr = (s: string): string => xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

/** Attribute values by name; undefined ones are left out. */
export type Attrs = Record<string, string | number | undefined>;

const attrs = (a: Attrs = {}): string =>
  Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');

/** `<name a="1">text</name>`, or `<name a="1"/>` without text. */
export function leaf(name: string, a?: Attrs, text?: string): string {
  return text === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${xmlText(text)}</${name}>`;
}

/** An element whose children are lines already rendered, indented by `indent` spaces each. */
export function parent(name: string, a: Attrs | undefined, children: readonly string[], indent = 2): string {
  const pad = ' '.repeat(indent);
  return [`<${name}${attrs(a)}>`, ...children.flatMap((c) => c.split('\n').map((l) => pad + l)), `</${name}>`].join('\n');
}

/** Undo the escaping of text or attribute values found in an existing document. */
export function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}
