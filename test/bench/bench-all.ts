// npm run bench: every row of issue 18's table in one run, each figure beside its floor (the raw-socket
// and imapflow-only scans of the same mailbox, nginx for the feed) and its target, met or not. The
// scan rows come from scan-bench.ts (its own detailed tables print first), the others from their benches.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchMerge } from './merge-bench.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, 'rss-messages': { type: 'string', default: '50000' } } });
const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'm2i-bench-all-'));
const node = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, TZ: 'UTC', ...env } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Row = [figure: string, measured: string, floor: string, ratio: string, target: string, met: string];
const rows: Row[] = [];
const yes = (ok: boolean) => (ok ? 'met' : 'NOT MET');

try {
  // 1. The scan of the 10,000-message mailbox, its floors and the re-syncs.
  const summaryFile = path.join(tmp, 'scan.json');
  node(['--import', 'tsx', 'test/bench/scan-bench.ts', '--messages', values.messages!, '--summary', summaryFile]);
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const rssFile = path.join(tmp, 'rss.json');
  console.log(`\n--- peak RSS at ${values['rss-messages']} messages ---`);
  node(['--import', 'tsx', 'test/bench/scan-bench.ts', '--messages', values['rss-messages']!, '--rss-only', '--summary', rssFile]);
  const big = JSON.parse(readFileSync(rssFile, 'utf8'));

  // 2. Start-up: the bin with its prebuilt bundle, as users run it.
  const { buildCli } = (await import(path.join(ROOT, 'electron', 'build.mjs'))) as { buildCli: (out?: string, logLevel?: string) => Promise<void> };
  await buildCli(undefined, 'silent');
  const starts: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    execFileSync(process.execPath, [path.join(ROOT, 'electron', 'cli', 'bin.mjs'), '--version']);
    starts.push(performance.now() - t);
  }
  const bare: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }

  // The feed from a process of its own, before the in-process benches: it then shares nothing with them.
  // (One whole run measured our server at 28% of nginx where runs alone measure 45-58%; the cause
  // was not found: the preview bench's heap alone did not change it.)
  const feedOut = execFileSync(process.execPath, ['--import', 'tsx', 'test/bench/feed-bench.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_ROUNDS: '3' } }).toString();
  const feed = feedOut.trim().split('\n').map((l) => JSON.parse(l) as { row: string; value: number; floor: number });
  const merge = await benchMerge(Number(values.messages), 3);
  // The preview in a process of its own too (the merge bench's heap stays in this one), five rounds:
  // one answer varies by ±30% between rounds in one process.
  const previewOut = execFileSync(process.execPath, ['--import', 'tsx', 'test/bench/preview-bench.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_ROUNDS: '5' } }).toString();
  const preview = previewOut.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const f = s.full;
  rows.push(['full scan, --no-cache', sec(f.ours), `imapflow ${sec(f.imapflow)}, raw ${sec(f.raw)}`, `${(f.ours / f.imapflow).toFixed(2)}× imapflow, ${(f.ours / f.raw).toFixed(1)}× raw`, '≤ 1.5× imapflow', yes(f.ours <= 1.5 * f.imapflow)]);
  const st = median(starts);
  rows.push(['process start-up (mailbox2ics --version)', `${st.toFixed(0)} ms`, `node -e 0: ${median(bare).toFixed(0)} ms`, `${(st / median(bare)).toFixed(1)}× bare node`, '≤ 150 ms', yes(st <= 150)]);
  rows.push([`merge + write (${merge.parts} parts, ${merge.events} events)`, `${merge.ms.toFixed(0)} ms`, '', '', '≤ 500 ms', yes(merge.ms <= 500)]);
  const b = s.bytes;
  rows.push(['bytes from the server vs raw minimum', String(b.ours), `raw ${b.raw}, imapflow ${b.imapflow}`, `${(b.ours / b.raw).toFixed(3)}× raw`, '≤ 1.05×', yes(b.ours <= 1.05 * b.raw)]);
  const r10 = s.maxRssKb / 1024;
  const r50 = big.maxRssKb / 1024;
  rows.push([`peak RSS ${s.messages} / ${big.messages}`, `${r10.toFixed(0)} MB / ${r50.toFixed(0)} MB`, '', `${(r50 / r10).toFixed(2)}× (flat: ≤ 1.10×)`, '≤ 150 MB at both, flat', yes(r10 <= 150 && r50 <= 150 && r50 <= 1.1 * r10)]);
  const pct = (ms: number) => (100 * ms) / f.ours;
  const rs = s.resync;
  // The re-sync floor: the same IMAP commands through imapflow alone (floor-resync.ts), as a share of the full scan too.
  const fl = s.floors;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  rows.push(['one-shot re-sync: no change / 1% new / 1% expunged', `${sec(rs.unchanged)} / ${sec(rs.added)} / ${sec(rs.expunged)}`, `full scan ${sec(f.ours)}; re-sync floor ${ms(fl.unchanged)} / ${ms(fl.added)} / ${ms(fl.expunged)} = ${pct(fl.unchanged).toFixed(1)}% / ${pct(fl.added).toFixed(1)}% / ${pct(fl.expunged).toFixed(1)}%`, `${pct(rs.unchanged).toFixed(1)}% / ${pct(rs.added).toFixed(1)}% / ${pct(rs.expunged).toFixed(1)}% (${(rs.unchanged / fl.unchanged).toFixed(1)}× / ${(rs.added / fl.added).toFixed(1)}× / ${(rs.expunged / fl.expunged).toFixed(1)}× floor)`, '≤ 5% / ≤ 10% / ≤ 10%', yes(pct(rs.unchanged) <= 5 && pct(rs.added) <= 10 && pct(rs.expunged) <= 10)]);
  rows.push(['kept-open re-sync, 1% new', sec(rs.addedPooled), `full scan ${sec(f.ours)}; re-sync floor ${ms(fl.addedPooled)} = ${pct(fl.addedPooled).toFixed(1)}% (runs ${fl.addedPooledRuns.map((x: number) => x.toFixed(0)).join(' ')} ms)`, `${pct(rs.addedPooled).toFixed(1)}%, ${(rs.addedPooled / fl.addedPooled).toFixed(1)}× floor (runs ${rs.addedPooledRuns.map((x: number) => x.toFixed(0)).join(' ')} ms)`, '≤ 2%', yes(pct(rs.addedPooled) <= 2)]);
  const [weekFirst, weekNext, year, weekly, weekCold, syncRows] = preview as Array<{ ms: number; occurrences?: number; expected?: number; incomplete?: number; runs?: number[] }>;
  const runs = (x: { runs?: number[] }) => `rounds ${x.runs!.map((v) => v.toFixed(0)).join(' ')}`;
  rows.push(['preview, one week, 10,000-event profile', `${weekNext.ms.toFixed(0)} ms (first answer after the sync's preview rows: ${weekFirst.ms.toFixed(0)} ms, ${runs(weekFirst)}; without them, parsing the feed: ${weekCold.ms.toFixed(0)} ms; the rows: ${syncRows.ms.toFixed(0)} ms)`, '', '', '≤ 50 ms', yes(weekNext.ms <= 50 && weekFirst.ms <= 50)]);
  rows.push(['preview, one year, 10,000-event profile', `${year.ms.toFixed(0)} ms (${year.occurrences} occurrences; ${runs(year)})`, '', '', '≤ 500 ms', yes(year.ms <= 500)]);
  rows.push(['preview, one year, 100 weekly series', `${weekly.occurrences} of ${weekly.expected} (${weekly.ms.toFixed(0)} ms)`, '', '', 'all of them, or a cap that says so', yes(weekly.occurrences === weekly.expected && weekly.incomplete === 0)]);
  for (const x of feed) rows.push([x.row, `${x.value.toFixed(0)}/s`, `nginx ${x.floor.toFixed(0)}/s`, `${((100 * x.value) / x.floor).toFixed(1)}% of nginx`, '≥ 50%', yes(x.value >= x.floor / 2)]);

  console.log(`\n=== issue 18: every figure beside its floor and target (${s.messages} messages; incremental == full scan: ${s.same ? 'yes' : 'NO'}) ===`);
  const head: Row = ['figure', 'measured', 'floor', 'ratio', 'target', ''];
  const widths = head.map((_, c) => Math.max(...[head, ...rows].map((r) => r[c].length)));
  for (const r of [head, ...rows]) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join(' | ').trimEnd());
  console.log('full-scan rounds (ms): ours ' + f.rounds.ours.map((x: number) => x.toFixed(0)).join(' ') + '; imapflow ' + f.rounds.imapflow.map((x: number) => x.toFixed(0)).join(' ') + '; raw ' + f.rounds.raw.map((x: number) => x.toFixed(0)).join(' '));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
