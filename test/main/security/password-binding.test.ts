// Hole 1: a window that moves an account (other host, port or security) or tests other settings
// must not get the saved password sent there. Two fake IMAP servers record every byte they receive.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingImap, type RecordingImap } from '../../helpers/recording-imap.ts';
import { windowUnderTest, type WindowUnderTest } from '../../helpers/window-requests.ts';

const SECRET = 'saved-secret-Q7x';
let home: RecordingImap;
let evil: RecordingImap;
let evilHost: RecordingImap;
let w: WindowUnderTest;

const account = (server: RecordingImap, extra: Record<string, unknown> = {}) => ({ host: server.host, port: server.port, security: 'plaintext', username: 'alice', ...extra });

// Fresh servers for every test: each one's record starts empty.
beforeEach(async () => {
  home = await startRecordingImap();
  evil = await startRecordingImap();
  // Another host name for the same machine: every 127.x address is loopback.
  evilHost = await startRecordingImap('127.0.0.2');
  w = windowUnderTest();
  await w.ok('accounts:save', { name: 'work', account: account(home) });
  await w.ok('password:set', { name: 'work', password: SECRET });
  // The saved password does work for its own server (the fakes can see it, so their silence below means something).
  const before = home.connections();
  const own = await w.send('folders:list', { name: 'work' });
  expect(own).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
  expect(home.connections()).toBe(before + 1);
  expect(home.sawSecret(SECRET)).toBe(true);
});
afterEach(async () => {
  await Promise.all([home, evil, evilHost].map((s) => s?.close()));
});

describe('a saved password stays with the settings it was saved for', () => {
  it.each([
    ['another port', () => account(evil), () => evil],
    ['another host', () => account(evilHost), () => evilHost],
  ])('moving the account to %s: no password is sent there; main asks natively first', async (_what, moved, server) => {
    const saved = await w.ok<{ hasPassword: boolean }>('accounts:save', { name: 'work', previousName: 'work', account: moved() });
    expect(saved.hasPassword).toBe(false);
    // The question came from main (a native dialog) and named the new server.
    expect(w.dialogs.questions).toHaveLength(1);
    expect(w.dialogs.questions[0].message).toContain(`${server().host}:${server().port} (no encryption)`);
    expect(w.dialogs.questions[0].message).toContain('unencrypted');
    const r = await w.send('folders:list', { name: 'work' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NO_PASSWORD', message: expect.stringContaining('No password for alice@') } });
    expect(server().connections()).toBe(0);
    expect(server().sawSecret(SECRET)).toBe(false);
    // Declined: the password was not re-keyed to the new settings (and no account has the old ones).
    expect([...w.secrets.values()]).toEqual([]);
    expect(readFileSync(w.configFile, 'utf8')).not.toContain(SECRET);
  });

  it('plain text instead of the saved security is other settings too', async () => {
    const tls = windowUnderTest();
    await tls.ok('accounts:save', { name: 'work', account: account(home, { security: 'starttls' }) });
    await tls.ok('password:set', { name: 'work', password: SECRET });
    const before = home.received().length;
    await tls.ok('accounts:save', { name: 'work', previousName: 'work', account: account(home, { security: 'plaintext' }) });
    expect(await tls.send('folders:list', { name: 'work' })).toMatchObject({ ok: false, error: { code: 'NO_PASSWORD' } });
    expect(home.received().slice(before)).toBe('');
  });

  it('only a "yes" in the native dialog carries the password over', async () => {
    w.dialogs.confirmAnswer = true;
    const saved = await w.ok<{ hasPassword: boolean }>('accounts:save', { name: 'work', previousName: 'work', account: account(evil) });
    expect(saved.hasPassword).toBe(true);
    expect(await w.send('folders:list', { name: 'work' })).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
    expect(evil.sawSecret(SECRET)).toBe(true);
  });

  it('connection:test without a typed password tests only the saved account with its own settings', async () => {
    const before = evil.connections();
    for (const request of [
      { account: account(evil) },
      { account: account(evil), name: 'work' },
      { account: account(home, { port: evil.port }), name: 'work' },
      { account: account(home, { username: 'bob' }), name: 'work' },
    ]) {
      const r = await w.send('connection:test', request);
      expect(r).toMatchObject({ ok: false, error: { code: 'NO_PASSWORD', message: expect.stringMatching(/^Type the password to test /) } });
    }
    expect(evil.connections()).toBe(before);
    expect(evil.sawSecret(SECRET)).toBe(false);
    expect(w.dialogs.questions).toEqual([]);
    // Its own settings: the saved password is used (and reaches only the home server).
    const homeBefore = home.connections();
    expect(await w.send('connection:test', { account: account(home), name: 'work' })).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
    expect(home.connections()).toBe(homeBefore + 1);
    // A typed password may go anywhere: the person typed it for these settings.
    expect(await w.send('connection:test', { account: account(evil), password: 'typed-for-evil' })).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
    expect(evil.sawSecret('typed-for-evil')).toBe(true);
    expect(evil.sawSecret(SECRET)).toBe(false);
  });
});
