import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../electron/core/store/atomic-write.ts';

describe('writeFileAtomic', () => {
  it('replaces the file, keeps its mode, leaves no temp file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atomic-'));
    const f = path.join(dir, 'feed.ics');
    writeFileSync(f, 'old');
    chmodSync(f, 0o640);
    await writeFileAtomic(f, 'new content ✓');
    expect(readFileSync(f, 'utf8')).toBe('new content ✓');
    expect(statSync(f).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['feed.ics']);
  });

  it('a failed replace leaves the old target untouched and cleans up, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atomic-'));
    const target = path.join(dir, 'feed.ics');
    mkdirSync(target); // rename of a file over a directory fails
    writeFileSync(path.join(target, 'inside'), 'keep me');
    const err = await writeFileAtomic(target, 'x').catch((e) => e);
    expect(err.code).toBe('OUTPUT_FAILED');
    expect(err.message).toContain(`Cannot write ${target}`);
    expect(readFileSync(path.join(target, 'inside'), 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['feed.ics']);
  });

  it('a missing directory is a clear error', async () => {
    const err = await writeFileAtomic('/nonexistent-dir-m2i/feed.ics', 'x').catch((e) => e);
    expect(err.code).toBe('OUTPUT_FAILED');
    expect(err.message).toBe('Cannot write /nonexistent-dir-m2i/feed.ics: the folder /nonexistent-dir-m2i does not exist. The previous file, if any, is unchanged.');
  });

  it('a text longer than one write chunk arrives whole, byte for byte, even where a chunk ends inside a surrogate pair', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atomic-'));
    const f = path.join(dir, 'big.ics');
    // Chunks are 1 Mi UTF-16 units: put a 4-byte character (two units) across each boundary, and other
    // multi-byte text around them.
    const chunk = 1 << 20;
    let text = '';
    for (let i = 0; i < 3; i++) text += 'a'.repeat(chunk - 1 - (i ? 1 : 0)) + '\u{1F4C5}' + 'é€';
    text += 'END:VCALENDAR\r\n';
    expect(text.charCodeAt(chunk - 1)).toBeGreaterThanOrEqual(0xd800);
    expect(text.charCodeAt(chunk - 1)).toBeLessThanOrEqual(0xdbff);
    await writeFileAtomic(f, text);
    expect(readFileSync(f).equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['big.ics']);
  });
});
