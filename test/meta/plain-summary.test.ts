// The plain closing line must count exactly what vitest's own "Tests" line counts, with failing files
// (a file that does not load, a failing beforeAll) said apart. Runs a real vitest over a tiny project.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const work = (() => {
  mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
  return mkdtempSync(path.join(ROOT, 'test-output', 'reporter-'));
})();
afterAll(() => rmSync(work, { recursive: true, force: true }));

const files: Record<string, string> = {
  'mixed.test.ts': `import { it, expect } from 'vitest';
it('a', () => expect(1).toBe(1));
it('b', () => expect(1).toBe(1));
it('c', () => expect(1).toBe(2));
it.skip('d', () => {});
it.todo('e');
it.fails('f', () => expect(1).toBe(2));`,
  'no-load.test.ts': `throw new Error('this file cannot even be imported');`,
  'hook.test.ts': `import { beforeAll, it } from 'vitest';
beforeAll(() => { throw new Error('set-up failed'); });
it('g', () => {});
it('h', () => {});`,
};

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('plain summary line', () => {
  it('equals vitest\'s "Tests" figures', async () => {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(work, name), text);
    writeFileSync(path.join(work, 'vitest.config.mjs'), `export default { test: { root: ${JSON.stringify(work)}, include: ['*.test.ts'], reporters: ['default', ${JSON.stringify(path.join(ROOT, 'test/plain-summary-reporter.ts'))}] } };`);
    const out = await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', '--config', path.join(work, 'vitest.config.mjs')], { cwd: ROOT, env: { ...process.env, CI: '1', NO_COLOR: '1' } })
      .then((r) => r.stdout, (e: { stdout: string }) => e.stdout);
    const text = strip(out);
    const tests = /^\s*Tests\s+(.*)\((\d+)\)\s*$/m.exec(text);
    expect(tests, text).not.toBeNull();
    const fig = (label: string) => Number(new RegExp(`(\\d+) ${label}`).exec(tests![1])?.[1] ?? 0);
    const plain = /^(\d+) passed, (\d+) failed, (\d+) skipped(?:, (\d+) todo)?(?:, (\d+) expected fail)?$/m.exec(text);
    expect(plain, text).not.toBeNull();
    expect(Number(plain![1])).toBe(fig('passed'));
    expect(Number(plain![2])).toBe(fig('failed'));
    expect(Number(plain![3])).toBe(fig('skipped'));
    expect(Number(plain![4] ?? 0)).toBe(fig('todo'));
    expect(Number(plain![5] ?? 0)).toBe(fig('expected fail'));
    // The figures themselves, so the comparison cannot pass on two empty lines (vitest counts the tests
    // of a failed beforeAll as skipped, and a file that does not load has no tests at all).
    expect([fig('passed'), fig('failed'), fig('skipped'), fig('todo')]).toEqual([2, 1, 3, 1]);
    const filesFailed = Number(/^\s*Test Files\s+(\d+) failed/m.exec(text)?.[1]);
    expect(text).toContain(`${filesFailed} test files failed (see "Test Files" above)`);
    expect(filesFailed).toBe(3);
  });
});
