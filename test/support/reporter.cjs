// Mocha's spec reporter plus the closing line CI reads: "N passed, N failed, N skipped".
// Under test/run.mjs's groups (MKPKG_TEST_GROUP) that line names the group, and run.mjs sums them.
// MKPKG_TEST_TIMES=FILE appends "SECONDS<TAB>TEST FILE" for each file (its hooks included).
const { appendFileSync } = require('node:fs');
const { relative } = require('node:path');
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const group = process.env.MKPKG_TEST_GROUP;
    const timesFile = process.env.MKPKG_TEST_TIMES;
    const fileMs = new Map();
    const started = new Map();
    if (timesFile) {
      runner.on(EVENT_SUITE_BEGIN, (suite) => { if (suite.parent?.root && suite.file) started.set(suite, Date.now()); });
      runner.on(EVENT_SUITE_END, (suite) => {
        if (!started.has(suite)) return;
        fileMs.set(suite.file, (fileMs.get(suite.file) ?? 0) + Date.now() - started.get(suite));
      });
    }
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats ?? this.stats;
      if (timesFile) {
        const lines = [...fileMs].map(([f, ms]) => `${(ms / 1000).toFixed(1)}\t${relative(process.cwd(), f)}${group ? `\t${group}` : ''}\n`);
        appendFileSync(timesFile, lines.join(''));
      }
      process.stdout.write(`\n${group ? `${group} group: ` : ''}${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}
module.exports = SummaryReporter;
