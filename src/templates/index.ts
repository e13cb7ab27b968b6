/** Templates: lookup (project → plugins → built-in), EJS rendering, quoting helpers. */
export { shQuote, shQuoteList, envFileValue, isEnvName } from './shell.js';
export { systemdEscape, unitQuote, execArg, execLine } from './systemd.js';
export {
  builtinTemplatesDir,
  createTemplateLookup,
  templateLookup,
  listBuiltinTemplates,
  listTemplates,
  normaliseTemplateName,
  resolveTemplate,
  type ResolvedTemplate,
  type TemplateDir,
  type TemplateLookup,
  type TemplateLookupOptions,
  type TemplateOrigin,
} from './lookup.js';
export { renderTemplate, type Rendered, type SlotFragments, type TemplateContext, type TemplateHelpers } from './render.js';
export { ejectTemplates, type EjectOptions } from './eject.js';
export { checkShellSyntax } from './check.js';
