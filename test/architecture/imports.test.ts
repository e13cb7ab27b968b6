/**
 * The import graph of src/: no import cycles (type-only and dynamic imports count), and every
 * import goes down the layers (a folder is a layer: the config layer imports nothing above it).
 */
import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCycles, importGraph, importSpecifiers } from './import-graph.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** The layers from the bottom up: a file may import its own layer and the layers before it. */
const LAYERS = [
  'errors.ts', 'which.ts', 'terminal.ts', 'proc', 'versions', 'sign', 'archive', 'output', 'templates', 'config',
  'plan', 'distro', 'formats', 'lifecycle', 'reporter.ts', 'verify', 'pipeline', 'publish', 'index.ts', 'cli',
];
const layerOf = (file: string) => file.split('/')[0]!;

describe('architecture: imports in src/', () => {
  const graph = importGraph(SRC);

  it('reads static, type-only, re-export and dynamic imports, and skips commented-out ones', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "import {\n  g,\n  h,\n} from './g.js';",
      "// import { x } from './commented.js';",
      "/* import { y } from './block.js'; */",
    ].join('\n');
    assert.deepEqual(importSpecifiers(text).sort(), ['../b.js', './a.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
    assert.ok(graph.get('config/load.ts')!.includes('config/merge.ts'), 'the graph holds real edges');
  });

  it('finds a cycle when there is one', () => {
    const g = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    assert.deepEqual(importCycles(g), [['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no import cycles', () => {
    const cycles = importCycles(graph);
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => `  ${c.join(' <-> ')}`).join('\n')}`);
  });

  it('imports only down the layers (the config layer knows nothing of the pipeline or the public API)', () => {
    const up: string[] = [];
    for (const [file, deps] of graph) {
      const from = LAYERS.indexOf(layerOf(file));
      assert.ok(from >= 0, `${file} is in no layer of the list: add its folder to LAYERS`);
      for (const dep of deps) if (LAYERS.indexOf(layerOf(dep)) > from) up.push(`${file} -> ${dep}`);
    }
    assert.deepEqual(up, []);
  });
});
