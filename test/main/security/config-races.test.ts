// Hole 9: overlapping configuration saves lost one of them (two window requests at once, the tray's
// "New link", another mailbox2ics process). Saves are serialized in-process, and a write by another
// process between our read and our rename is detected and our change re-applied on top of it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppConfig } from '../../../electron/core/app/app-config.ts';
import { startProfileService } from '../../../electron/core/sync/profile-service.ts';
import { windowUnderTest } from '../../helpers/window-requests.ts';

const CHILD = path.resolve(import.meta.dirname, 'config-writer-child.ts');
const otherProcessAdds = (file: string, name: string) => execFileSync(process.execPath, ['--import', 'tsx', CHILD, file, name], { stdio: 'pipe' });
const accounts = (file: string) => Object.keys(JSON.parse(readFileSync(file, 'utf8')).accounts).sort();
const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

describe('configuration saves never lose each other', () => {
  it('many window requests at once: every one of them is in the file', async () => {
    const w = windowUnderTest();
    const names = Array.from({ length: 12 }, (_, i) => `acc${i}`);
    const results = await Promise.all(names.map((name) => w.send('accounts:save', { name, account: { host: `${name}.example.com`, username: 'u' } })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(accounts(w.configFile)).toEqual([...names].sort());
  });

  it('the tray\'s "New link" at the same time as window saves keeps both', async () => {
    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'work', account: { host: 'imap.invalid', username: 'u' } });
    const cfg = JSON.parse(readFileSync(w.configFile, 'utf8'));
    cfg.profiles.team = { account: 'work', folders: ['X'], output: 'team.ics', schedule: { enabled: false } };
    cfg.feed = { enabled: true, port: await freePort() };
    writeFileSync(w.configFile, JSON.stringify(cfg));
    const svc = await startProfileService({ configFile: w.configFile, openSecrets: async () => ({ get: async () => null, set: async () => {}, delete: async () => false }), env: {}, log: () => {} });
    try {
      const token = JSON.parse(readFileSync(w.configFile, 'utf8')).feed.tokens.team;
      await Promise.all([svc.regenerateToken('team'), ...['a', 'b', 'c'].map((n) => w.ok('accounts:save', { name: n, account: { host: `${n}.example.com`, username: 'u' } }))]);
      const after = JSON.parse(readFileSync(w.configFile, 'utf8'));
      expect(Object.keys(after.accounts).sort()).toEqual(['a', 'b', 'c', 'work']);
      expect(after.feed.tokens.team).not.toBe(token);
    } finally {
      await svc.stop();
    }
  });

  it('another process writing between our read and our rename: detected, and our change is applied on top of theirs', async () => {
    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'first', account: { host: 'first.example.com', username: 'u' } });
    let calls = 0;
    await new AppConfig(w.configFile).update((cfg) => {
      // Runs after our read and before our write: the other process's save lands exactly in between.
      if (calls++ === 0) otherProcessAdds(w.configFile, 'from-other-process');
      cfg.accounts.mine = { host: 'mine.example.com', username: 'u', security: 'tls' };
    });
    expect(calls).toBe(2); // the conflict was seen, and the change applied again to the new text
    expect(accounts(w.configFile)).toEqual(['first', 'from-other-process', 'mine']);
  });

  it('a file that keeps changing under every attempt fails clearly and leaves the other process\'s version', async () => {
    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'first', account: { host: 'first.example.com', username: 'u' } });
    let calls = 0;
    const err = await new AppConfig(w.configFile).update((cfg) => {
      otherProcessAdds(w.configFile, `other${calls++}`);
      cfg.accounts.mine = { host: 'mine.example.com', username: 'u', security: 'tls' };
    }).catch((e) => e);
    expect(err).toMatchObject({ code: 'CONFIG', message: expect.stringContaining('was changed by another program 5 times while saving; nothing was saved') });
    expect(accounts(w.configFile)).toEqual(['first', 'other0', 'other1', 'other2', 'other3', 'other4']);
  });
});
