// Deterministic generator of a node_modules-like tree: many small text files in nested
// package directories, compressible about 3:1 like real JavaScript, plus a few larger files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const WORDS = ('function return const let var if else for while module exports require this new class extends '
  + 'async await import from default export null undefined true false typeof instanceof throw try catch finally '
  + 'prototype length push map filter reduce object string number array promise resolve reject callback options '
  + 'value key index result error buffer stream emit listener config path join split slice concat').split(' ');

/** A small seeded PRNG (mulberry32). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(rand, bytes) {
  const parts = [];
  let n = 0;
  while (n < bytes) {
    const line = [];
    const words = 3 + Math.floor(rand() * 10);
    for (let i = 0; i < words; i++) {
      const w = WORDS[Math.floor(rand() * WORDS.length)];
      line.push(rand() < 0.15 ? `${w}${Math.floor(rand() * 100000).toString(36)}` : w);
    }
    const s = `${'  '.repeat(Math.floor(rand() * 4))}${line.join(rand() < 0.3 ? '.' : ' ')};\n`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('').slice(0, bytes);
}

/** Write `files` files totalling about `bytes` bytes under `dir`. */
export function generateTree(dir, { files, bytes, seed }) {
  const rand = prng(seed);
  const avg = bytes / files;
  let written = 0;
  let pkg = 0;
  for (let i = 0; i < files; i++) {
    if (i % 25 === 0) pkg++;
    const sub = join(dir, `pkg-${pkg}`, i % 5 === 0 ? 'lib' : 'src', i % 3 === 0 ? 'util' : '');
    mkdirSync(sub, { recursive: true });
    const remaining = bytes - written;
    const size = i === files - 1 ? Math.max(0, remaining) : Math.max(16, Math.floor(avg * (0.2 + rand() * 1.6)));
    writeFileSync(join(sub, `file-${i}.js`), text(rand, size));
    written += size;
  }
}
