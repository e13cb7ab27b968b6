/**
 * Regenerate schema/mkpkg.schema.json from the zod config schema.
 * Usage: npx tsx scripts/gen-schema.ts [--check]   (--check exits 1 when the file is stale)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText } from '../src/config/json-schema.js';

const target = fileURLToPath(new URL('../schema/mkpkg.schema.json', import.meta.url));
const text = configJsonSchemaText();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    console.error(`${target} is out of date; run: npx tsx scripts/gen-schema.ts`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
