/**
 * Notification bodies from a {@link ReleaseSummary}: Slack-compatible (a `text` fallback plus
 * Block Kit `blocks`, within Slack's size limits) or generic JSON (the summary itself).
 */
import type { ReleaseSummary } from './release.js';

/** The payload formats. */
export type PayloadFormat = 'slack' | 'generic';

/** Slack mrkdwn: `&`, `<` and `>` are control characters. */
function mrkdwnEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Lines joined, cut before `max` characters with a "… N more" line. */
function lines(items: readonly string[], max: number): string {
  const out: string[] = [];
  let len = 0;
  for (const [i, item] of items.entries()) {
    const more = `… ${items.length - i} more`;
    if (len + item.length + 1 > max - more.length - 1) { out.push(more); break; }
    out.push(item);
    len += item.length + 1;
  }
  return out.join('\n');
}

/** `hello-service 1.1.0-1` for each distinct package. */
function releaseNames(s: ReleaseSummary): string[] {
  return [...new Set(s.packages.map((p) => `${p.name} ${p.version}`))];
}

/** One line: what was released and where. */
function headline(s: ReleaseSummary): string {
  const where = s.destinations.filter((d) => d.ok && d.location).map((d) => d.location!);
  return `Released ${releaseNames(s).join(', ') || 'nothing'}${where.length ? ` to ${where.join('; ')}` : ''}`;
}

function ranBy(s: ReleaseSummary): string {
  const ci = s.ranBy.ci;
  const run = ci ? ` · ${mrkdwnEscape(ci.provider)}${ci.url ? ` <${ci.url.replace(/[<>|]/g, '')}|run>` : ''}${ci.repository ? ` ${mrkdwnEscape(ci.repository)}` : ''}${ci.ref ? `@${mrkdwnEscape(ci.ref)}` : ''}${ci.actor ? ` by ${mrkdwnEscape(ci.actor)}` : ''}` : '';
  return `by ${mrkdwnEscape(s.ranBy.user)} on ${mrkdwnEscape(s.ranBy.host)}${run} · mkpkg ${mrkdwnEscape(s.mkpkg)}`;
}

/** The Slack-compatible body. */
export function slackPayload(s: ReleaseSummary): Record<string, unknown> {
  const e = mrkdwnEscape;
  const pkgs = s.packages.map((p) => `${e(p.name)} ${e(p.version)} (${p.format} ${e(p.arch)})`);
  const where = s.destinations.map((d) => `${d.ok ? '' : '(failed) '}${e(d.output)}${d.location ? `: ${e(d.location)}` : ''}${d.detail ? ` — ${e(d.detail)}` : ''}`);
  const changes = [
    ...s.changes.changelog.flatMap((c) => c.changes.map((x) => `• ${e(c.package)} ${e(c.version)}: ${e(x)}`)),
    ...s.changes.commits.map((c) => `• \`${e(c.hash)}\` ${e(c.subject)}`),
    ...(s.changes.commitsTruncated ? ['• …'] : []),
  ];
  const sums = s.packages.map((p) => `\`${e(p.file)}\` ${p.sha256}`);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(`Released ${releaseNames(s).join(', ')}`, 150) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: cut(`*Packages*\n${lines(pkgs, 1900)}`, 2000) },
        { type: 'mrkdwn', text: cut(`*Where*\n${where.length ? lines(where, 1900) : 'built only'}`, 2000) },
      ],
    },
  ];
  if (changes.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Changes${s.changes.since ? ` since ${e(s.changes.since)}` : ''}*\n${lines(changes, 2800)}` } });
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*SHA-256*\n${lines(sums, 2900)}` } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(ranBy(s), 2000) }] });
  return { text: cut(headline(s), 3000), blocks };
}

/** The generic body: the summary with an event name. */
export function genericPayload(s: ReleaseSummary): Record<string, unknown> {
  return { event: 'release', text: headline(s), ...s };
}

/** The body in `format`. */
export function payloadFor(format: PayloadFormat, s: ReleaseSummary): Record<string, unknown> {
  return format === 'slack' ? slackPayload(s) : genericPayload(s);
}
