/** Where progress, warnings and results go: a console sink (TTY-aware) or a silent one. */
import type { Warning } from './errors.js';
import { formatSize, safeLine, safeText } from './terminal.js';

export { formatSize };

export interface Reporter {
  info(message: string): void;
  verbose(message: string): void;
  warn(warning: Warning): void;
  /** Progress of a long step in bytes (`label`: the format); a TTY shows a bar with sizes, rate and ETA. */
  progress(label: string, done: number, total: number): void;
  /**
   * A phase of the build began or its counts changed (`listing files`, `installing dependencies`,
   * `planning`, `packaging`): a TTY shows one status line with the elapsed time; `--verbose` prints
   * each new phase as a line. Optional, so reporters written for older versions still fit.
   */
  phase?(name: string, detail?: string): void;
  /** The build ended (or failed): a TTY's status line is cleared. Optional. */
  close?(): void;
}

export interface ConsoleReporterOptions {
  quiet?: boolean;
  verbose?: boolean;
  stream?: NodeJS.WriteStream;
}

function formatSeconds(s: number): string {
  const whole = Math.max(0, Math.round(s));
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** Bar, percentage, bytes, rate and ETA of one progress frame. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number, width = 30): string {
  const pct = Math.min(100, Math.floor((done / total) * 100));
  const fill = Math.round((pct / 100) * width);
  let line = `${label} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${pct}% ${formatSize(done)} / ${formatSize(total)}`;
  if (elapsedMs >= 500 && done > 0) {
    const rate = done / (elapsedMs / 1000);
    line += `, ${formatSize(Math.round(rate))}/s`;
    if (done < total) line += `, ETA ${formatSeconds((total - done) / rate)}`;
  }
  return line;
}

/** A reporter that writes to stderr; the status line and bars only when stderr is a TTY. */
export function consoleReporter(opts: ConsoleReporterOptions = {}): Reporter {
  const out = opts.stream ?? process.stderr;
  const tty = Boolean(out.isTTY) && !opts.quiet;
  let lastDraw = 0;
  let drawn = false;
  let phase: { name: string; detail: string; started: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const bars = new Map<string, number>();
  const clear = () => {
    if (drawn) { out.write('\r\x1b[K'); drawn = false; }
  };
  const draw = (text: string) => {
    const cols = out.columns && out.columns > 20 ? out.columns - 1 : 200;
    out.write(`\r\x1b[K${safeLine(text).slice(0, cols)}`);
    drawn = true;
  };
  const drawPhase = () => {
    if (!phase) return;
    const secs = Math.floor((Date.now() - phase.started) / 1000);
    draw(`${phase.name}${phase.detail ? `: ${phase.detail}` : ''}${secs >= 1 ? ` (${formatSeconds(secs)})` : ''}`);
  };
  const stopPhase = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    phase = undefined;
  };
  return {
    info(m) { if (!opts.quiet) { clear(); out.write(`${safeText(m)}\n`); } },
    verbose(m) { if (opts.verbose && !opts.quiet) { clear(); out.write(`${safeText(m)}\n`); } },
    warn(w) { clear(); out.write(`warning ${safeLine(w.code)}: ${safeText(w.message)}\n`); if (phase) drawPhase(); },
    phase(name, detail = '') {
      const isNew = phase?.name !== name;
      if (isNew && opts.verbose && !opts.quiet) { clear(); out.write(`${safeText(name)}${detail ? `: ${safeText(detail)}` : ''}\n`); }
      if (!tty) return;
      // Callers report phases coarsely (every 500 files at most), so each update is drawn.
      phase = { name, detail, started: isNew ? Date.now() : phase!.started };
      drawPhase();
      // A phase such as npm ci gives no counts: the elapsed time keeps moving.
      if (!timer) {
        timer = setInterval(drawPhase, 1000);
        timer.unref();
      }
    },
    close() { stopPhase(); clear(); },
    progress(label, done, total) {
      if (!tty || total <= 0) return;
      stopPhase();
      const now = Date.now();
      if (!bars.has(label)) bars.set(label, now);
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      draw(progressLine(`${label} package`, done, total, now - bars.get(label)!));
      if (done >= total) clear();
    },
  };
}

/** A reporter that records warnings and prints nothing (library use, tests). */
export function silentReporter(): Reporter & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return { warnings, info() {}, verbose() {}, warn(w) { warnings.push(w); }, progress() {}, phase() {}, close() {} };
}
