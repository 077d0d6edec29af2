// Bench of merge + write alone: the calendar parts of the bench's 10,000-message mailbox (as a scan
// hands them over, decoded) merged into the feed and written atomically. Prints a JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCalendar } from '../../electron/core/ical/build-calendar.ts';
import type { CalendarPart } from '../../electron/core/model.ts';
import { writeFileAtomic } from '../../electron/core/store/atomic-write.ts';
import { calendarOf } from './mail-profile.ts';

export async function benchMerge(messages = 10_000, rounds = 3): Promise<{ ms: number; runs: number[]; parts: number; events: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'm2i-merge-bench-'));
  const runs: number[] = [];
  let parts = 0;
  let events = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      // Fresh part objects each round: a one-shot run has no prepared records yet.
      const list: CalendarPart[] = [];
      for (let i = 1; i <= messages; i++) {
        const c = calendarOf(i);
        if (c) list.push({ source: { folder: 'Bench', uid: i, subject: c.subject, from: 'organizer@example.com', date: c.date.toISOString() }, section: '2', mimeMethod: 'REQUEST', text: c.ics });
      }
      parts = list.length;
      const t = performance.now();
      const built = buildCalendar(list, ['Bench'], { include: new Set(['VEVENT']), cancelled: 'remove' });
      await writeFileAtomic(path.join(dir, 'feed.ics'), built.ics);
      runs.push(performance.now() - t);
      events = built.eventsOut;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ms: [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)], runs, parts, events };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(JSON.stringify(await benchMerge(Number(process.env.BENCH_MESSAGES ?? 10_000), Number(process.env.BENCH_ROUNDS ?? 3))));
}
