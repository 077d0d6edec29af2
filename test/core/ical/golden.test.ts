// Golden pairs for the merge rules: mails in → expected .ics out, through the local-file path.
// The same cases run against the real Dovecot in test/core/imap/golden-imap.test.ts.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncFromLocal } from '../../../electron/core/sync/run-sync.ts';
import { GOLDEN_CASES, GOLDEN_DIR, goldenSettings, type GoldenCase } from '../../fixtures/golden-cases.ts';


async function runCase(c: GoldenCase): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), `golden-${c.name}-`));
  const files = c.mails.map((m, i) => {
    const f = path.join(dir, `${String(i + 1).padStart(2, '0')}.eml`);
    writeFileSync(f, m);
    return f;
  });
  const { ics } = await syncFromLocal({ ...goldenSettings(c), emlFiles: files });
  return ics;
}

describe('merge rules (golden pairs, local files)', () => {
  for (const c of GOLDEN_CASES) {
    it(`${c.name}: ${c.what}`, async () => {
      const ics = await runCase(c);
      const expectedFile = path.join(GOLDEN_DIR, `${c.name}.ics`);
      if (process.env.UPDATE_GOLDEN || !existsSync(expectedFile)) {
        if (!process.env.UPDATE_GOLDEN) throw new Error(`missing golden file ${expectedFile}; run with UPDATE_GOLDEN=1 and review it`);
        writeFileSync(expectedFile, ics);
      }
      expect(ics).toBe(readFileSync(expectedFile, 'utf8'));
      // Unchanged input gives byte-identical output.
      expect(await runCase(c)).toBe(ics);
    });
  }
});
