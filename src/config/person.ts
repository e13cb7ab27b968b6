/** People in package.json (`author`, `maintainers`) and the `Name <email>` form packages use. */
/** A person as package.json writes one: `"Name <email> (url)"` or an object. */
export type PackageJsonPerson = string | { name?: string; email?: string; url?: string };

/** A parsed person. */
export interface Person {
  name?: string;
  email?: string;
  url?: string;
}

/** Parse npm's `"Name <email> (url)"` shorthand or object form. */
export function parsePerson(p: PackageJsonPerson): Person {
  if (typeof p !== 'string') {
    return clean({ name: p.name, email: p.email, url: p.url });
  }
  const email = /<([^<>]*)>/.exec(p)?.[1];
  const url = /\(([^()]*)\)/.exec(p)?.[1];
  const name = p.replace(/<[^<>]*>/, '').replace(/\([^()]*\)/, '');
  return clean({ name, email, url });
}

function clean(p: Person): Person {
  const out: Person = {};
  for (const k of ['name', 'email', 'url'] as const) {
    const v = p[k]?.replace(/\s+/g, ' ').trim();
    if (v) out[k] = v;
  }
  return out;
}

/** `Name <email>`, or just the name when there is no email; undefined without a name. */
export function formatPerson(p: Person): string | undefined {
  const name = p.name ?? p.email?.replace(/@.*/, '');
  if (!name) return undefined;
  return p.email ? `${name} <${p.email}>` : name;
}

/** True for the `Name <email>` form Debian's Maintainer field requires. */
export function isNameEmail(s: string): boolean {
  return /^[^<>,\s][^<>,]*\s<[^<>\s@]+@[^<>\s@]+>$/.test(s.trim());
}
