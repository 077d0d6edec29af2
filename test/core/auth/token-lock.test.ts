// The cross-process sign-in lock's folder: created private; refused when someone else could have
// made it first (another owner, writable by others, a link), since a shared temp dir is anyone's.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileTokenLock } from '../../../electron/core/auth/token-lock.ts';

const base = () => mkdtempSync(path.join(tmpdir(), 'token-lock-'));

describe('fileTokenLock folder', () => {
  it('creates the folder 0700 and takes and releases a lock in it', async () => {
    const dir = path.join(base(), 'mailbox2ics-1');
    const release = await fileTokenLock(dir, 1000)('oauth2:work');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    release();
    // Released: the next one gets it at once.
    (await fileTokenLock(dir, 0)('oauth2:work'))();
  });

  it('refuses a folder other users can write', async () => {
    const dir = path.join(base(), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    await expect(fileTokenLock(dir, 0)('oauth2:work')).rejects.toThrow(`The sign-in lock folder ${dir} can be written by other users (mode 777)`);
  });

  it('on Windows (no mode bits: every folder reads as 0666) the mode is not held against the folder', async () => {
    const dir = path.join(base(), 'win');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      (await fileTokenLock(dir, 0)('oauth2:work'))();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    await expect(fileTokenLock(dir, 0)('oauth2:work')).rejects.toThrow('can be written by other users');
  });

  it('refuses a link in place of the folder', async () => {
    const root = base();
    const target = path.join(root, 'elsewhere');
    mkdirSync(target, { mode: 0o700 });
    const dir = path.join(root, 'link');
    symlinkSync(target, dir);
    await expect(fileTokenLock(dir, 0)('oauth2:work')).rejects.toThrow('is not a folder');
  });

  it.runIf(process.getuid?.() === 0)('refuses a folder that belongs to another user (as root: chown to nobody)', async () => {
    const dir = path.join(base(), 'theirs');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    await expect(fileTokenLock(dir, 0)('oauth2:work')).rejects.toThrow('belongs to another user (uid 65534)');
  });
});
