/** The editor JSON schema for mkpkg config files, generated from the zod schema. */
import * as z from 'zod';
import { configSchema } from './schema.js';

/** The JSON schema text (stable, ends with a newline) committed as schema/mkpkg.schema.json. */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(configSchema, { unrepresentable: 'any', io: 'input', target: 'draft-2020-12' });
  const doc = { ...schema, title: 'mkpkg configuration', description: 'mkpkg.config.json, or the "mkpkg" key of package.json' };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
