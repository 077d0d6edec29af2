// Golden pairs for the merge rules: mails in → expected .ics out, through the local-file path.
// The same cases run against the real Dovecot in test/core/imap/golden-imap.test.ts.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncFromLocal } from '../../../electron/core/sync/local-sync.ts';
import { GOLDEN_CASES, GOLDEN_DIR, goldenSettings, type GoldenCase } from '../../fixtures/golden-cases.ts';
import { buildCalendar } from '../../../electron/core/ical/build-calendar.ts';
import { extractFromMessage } from '../../../electron/core/mime/extract-local.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { DEFAULT_MAX_PART_BYTES } from '../../../electron/core/limits.ts';

/** Why 5: 120 orders per case; the rules are order-free, so small cases show it for every order. */
const MAX_PERMUTED_MAILS = 5;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** The case's mails in the given order, as one folder would hold them (message UIDs in that order). */
async function buildInOrder(c: GoldenCase, order: Buffer[]): Promise<string> {
  const parts: CalendarPart[] = [];
  for (const [i, raw] of order.entries()) {
    const found = await extractFromMessage(raw, { folder: 'INBOX', uid: i + 1 }, DEFAULT_MAX_PART_BYTES);
    parts.push(...found.parts);
  }
  return buildCalendar(parts, ['INBOX'], goldenSettings(c)).ics;
}


async function runCase(c: GoldenCase): Promise<Awaited<ReturnType<typeof syncFromLocal>>> {
  const dir = mkdtempSync(path.join(tmpdir(), `golden-${c.name}-`));
  const files = c.mails.map((m, i) => {
    const f = path.join(dir, `${String(i + 1).padStart(2, '0')}.eml`);
    writeFileSync(f, m);
    return f;
  });
  return syncFromLocal({ ...goldenSettings(c), emlFiles: files });
}

describe('merge rules (golden pairs, local files)', () => {
  for (const c of GOLDEN_CASES) {
    it(`${c.name}: ${c.what}`, async () => {
      const { ics, report } = await runCase(c);
      const expectedFile = path.join(GOLDEN_DIR, `${c.name}.ics`);
      if (process.env.UPDATE_GOLDEN || !existsSync(expectedFile)) {
        if (!process.env.UPDATE_GOLDEN) throw new Error(`missing golden file ${expectedFile}; run with UPDATE_GOLDEN=1 and review it`);
        writeFileSync(expectedFile, ics);
      }
      expect(ics).toBe(readFileSync(expectedFile, 'utf8'));
      // Unchanged input gives byte-identical output.
      expect((await runCase(c)).ics).toBe(ics);
      // Refused revisions are reported, each naming its folder and message (and the sender, in the reason).
      const reasons = report.skipped.map((x) => x.reason);
      expect(reasons.length, JSON.stringify(reasons)).toBe(c.reports?.length ?? 0);
      for (const r of c.reports ?? []) {
        const item = report.skipped.find((x) => r.test(x.reason));
        expect(item, `a skipped item matching ${r} in ${JSON.stringify(reasons)}`).toBeDefined();
        expect(item!.folder).toBeTruthy();
        expect(item!.uid).toBeGreaterThan(0);
      }
      if (!c.permute) return;
      // The folder is read as a whole: any arrival order of the same mails gives the same calendar.
      expect(c.mails.length).toBeLessThanOrEqual(MAX_PERMUTED_MAILS);
      for (const order of permutations(c.mails)) expect(await buildInOrder(c, order)).toBe(ics);
    });
  }
});
