/** Render the maintainer scripts (.deb) and scriptlets (.rpm) from their templates. */
import type { DebScriptName, DebScripts, RpmScriptName, RpmScripts } from '../config/resolved.js';
import { checkShellSyntax } from '../templates/check.js';
import { renderTemplate, type TemplateContext } from '../templates/render.js';
import type { TemplateLookup } from '../templates/lookup.js';

export const DEB_SCRIPT_NAMES: readonly DebScriptName[] = ['preinst', 'postinst', 'prerm', 'postrm'];
export const RPM_SCRIPT_NAMES: readonly RpmScriptName[] = ['pretrans', 'pre', 'post', 'preun', 'postun', 'posttrans'];

const BOILERPLATE = /^(#.*|set -e|exit 0|exit "\$_mkpkg_rc"|_mkpkg_rc=0|)$/;

/** True when a rendered script has at least one command beyond the shebang, comments, `set -e` and `exit 0`. */
export function hasCommands(script: string): boolean {
  return script.split('\n').some((l) => !BOILERPLATE.test(l.trim()));
}

function renderScript(template: string, ctx: TemplateContext, lookup: TemplateLookup): string | undefined {
  const { text, source } = renderTemplate(template, ctx, lookup);
  if (!hasCommands(text)) return undefined;
  checkShellSyntax(text, `${template} (${source})`);
  return text;
}

/** Render the .deb maintainer scripts; scripts without commands are left out. */
export function renderDebScripts(ctx: TemplateContext, lookup: TemplateLookup): DebScripts {
  const out: DebScripts = {};
  for (const name of DEB_SCRIPT_NAMES) {
    const body = renderScript(`deb/${name}.ejs`, ctx, lookup);
    if (body !== undefined) out[name] = { body };
  }
  return out;
}

/** Render the .rpm scriptlets (interpreter /bin/sh); scriptlets without commands are left out. */
export function renderRpmScripts(ctx: TemplateContext, lookup: TemplateLookup): RpmScripts {
  const out: RpmScripts = {};
  for (const name of RPM_SCRIPT_NAMES) {
    const body = renderScript(`rpm/${name}.ejs`, ctx, lookup);
    if (body !== undefined) out[name] = { body, interpreter: '/bin/sh' };
  }
  return out;
}
