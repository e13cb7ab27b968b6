/** Where progress, warnings and results go: a console sink (TTY-aware) or a silent one. */
import type { Warning } from './errors.js';
import { safeLine, safeText } from './terminal.js';

export interface Reporter {
  info(message: string): void;
  verbose(message: string): void;
  warn(warning: Warning): void;
  /** Progress of a long step; a TTY shows a bar, otherwise nothing until done. */
  progress(label: string, done: number, total: number): void;
}

export interface ConsoleReporterOptions {
  quiet?: boolean;
  verbose?: boolean;
  stream?: NodeJS.WriteStream;
}

/** A reporter that writes to stderr; progress bars only when stderr is a TTY. */
export function consoleReporter(opts: ConsoleReporterOptions = {}): Reporter {
  const out = opts.stream ?? process.stderr;
  const tty = Boolean(out.isTTY);
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) { out.write('\r\x1b[K'); drawn = false; }
  };
  return {
    info(m) { if (!opts.quiet) { clear(); out.write(`${safeText(m)}\n`); } },
    verbose(m) { if (opts.verbose && !opts.quiet) { clear(); out.write(`${safeText(m)}\n`); } },
    warn(w) { clear(); out.write(`warning ${safeLine(w.code)}: ${safeText(w.message)}\n`); },
    progress(label, done, total) {
      if (!tty || opts.quiet || total <= 0) return;
      const now = Date.now();
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const pct = Math.min(100, Math.floor((done / total) * 100));
      const width = 30;
      const fill = Math.round((pct / 100) * width);
      out.write(`\r\x1b[K${safeLine(label)} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${pct}%`);
      drawn = true;
      if (done >= total) clear();
    },
  };
}

/** A reporter that records warnings and prints nothing (library use, tests). */
export function silentReporter(): Reporter & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return { warnings, info() {}, verbose() {}, warn(w) { warnings.push(w); }, progress() {} };
}
