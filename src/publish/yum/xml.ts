/**
 * The small XML writer repodata needs: a tree of elements serialized with two-space indentation
 * before tags (never inside text, so multi-line descriptions keep their exact lines), escaped text
 * and attributes. Characters XML 1.0 cannot carry at all (most C0 controls) become U+FFFD, so a
 * package whose description holds one still gives a document dnf can parse.
 */

const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content. */
const xmlText = (s: string): string => s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An attribute value (double-quoted; line breaks kept as character references). */
const xmlAttr = (s: string): string => xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

/** Attribute values by name; undefined ones are left out. */
export type Attrs = Record<string, string | number | undefined>;

/** An element: text content, child elements, or neither. */
export interface XmlElement {
  name: string;
  attrs?: Attrs;
  text?: string;
  children?: XmlElement[];
}

/** An element with text (or empty, `<name/>`, without). */
export const leaf = (name: string, attrs?: Attrs, text?: string): XmlElement => ({ name, attrs, text });

/** An element with child elements. */
export const parent = (name: string, attrs: Attrs | undefined, children: XmlElement[]): XmlElement => ({ name, attrs, children });

const attrText = (a: Attrs = {}): string =>
  Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');

/** The element as text, its first line indented by `depth` levels. */
export function serialize(e: XmlElement, depth = 0): string {
  const pad = '  '.repeat(depth);
  const open = `${pad}<${e.name}${attrText(e.attrs)}`;
  if (e.children) return [`${open}>`, ...e.children.map((c) => serialize(c, depth + 1)), `${pad}</${e.name}>`].join('\n');
  return e.text === undefined ? `${open}/>` : `${open}>${xmlText(e.text)}</${e.name}>`;
}

/** Undo the escaping of text or attribute values found in an existing document. */
export function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}
