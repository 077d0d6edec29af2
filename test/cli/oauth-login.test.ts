// The CLI with an OAuth2 account, as separate processes in a real Secret Service (gnome-keyring
// under dbus-run-session): `login --no-browser` driven from its printed URL by Chromium, `sync`
// using the keychain item, then a revoked grant → exit 5 and "sign in … again", the last good
// calendar kept; `login --device` driven from its printed code. No token in any output or file.
import { readFileSync, writeFileSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import type { SecretStore } from '../../electron/core/secrets/secret-store.ts';
import { startOAuthServer, NATIVE_CLIENT_ID, type OAuthServer } from '../helpers/oauth-server.ts';
import { startOAuthDovecot } from '../helpers/dovecot-oauth.ts';
import type { DovecotServer } from '../helpers/dovecot.ts';
import { chromiumAvailable } from '../helpers/renderer-harness.ts';
import { launchBrowserUser, type BrowserUser } from '../helpers/browser-user.ts';
import { keyringAvailable, spawnInKeyringSession } from '../helpers/keyring-session.ts';
import { CLI_BIN } from '../helpers/run-cli.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';

/** Resolves with the first match of re in what the stream printed so far and from now on. */
function waitFor(text: { value: string }, stream: NodeJS.ReadableStream, re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = re.exec(text.value);
      if (m) {
        stream.off('data', check);
        clearTimeout(timer);
        resolve(m);
        return true;
      }
      return false;
    };
    const timer = setTimeout(() => {
      stream.off('data', check);
      reject(new Error(`${re} did not appear in:\n${text.value}`));
    }, timeoutMs);
    if (!check()) stream.on('data', check);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => statSync(f).isFile());
}

describe.skipIf(!chromiumAvailable())('mailbox2ics login with an OAuth2 account', () => {
  let as: OAuthServer;
  let dovecot: DovecotServer;
  let user: BrowserUser;
  let dir: string;
  let config: string;
  let output: string;

  beforeAll(async () => {
    as = await startOAuthServer();
    dovecot = await startOAuthDovecot(as, 'introspection');
    dovecot.addMessage('Calendar', buildMail({ subject: 'Planning', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'plan-1', summary: 'Planning' })) }] }));
    user = await launchBrowserUser();
    dir = mkdtempSync(path.join(os.tmpdir(), 'm2i-oauth-cli-'));
    writeFileSync(path.join(dir, 'issuer-ca.pem'), as.pki.caPem);
    writeFileSync(path.join(dir, 'imap-ca.pem'), dovecot.pki.caPem);
    output = path.join(dir, 'work.ics');
    config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({
      version: 1,
      accounts: {
        work: {
          host: dovecot.host, port: dovecot.imapsPort, security: 'tls', username: 'alice@example.test', caFile: 'imap-ca.pem',
          auth: { kind: 'oauth2', provider: 'generic', issuer: as.issuer, clientId: NATIVE_CLIENT_ID, scopes: ['openid', 'email', 'offline_access', 'imap'], issuerCaFile: 'issuer-ca.pem' },
        },
      },
      profiles: { work: { account: 'work', folders: ['Calendar'], output: 'work.ics' } },
    }, null, 2));
  });
  afterAll(async () => {
    await user?.close();
    await dovecot?.stop();
    await as?.stop();
  });

  it.skipIf(!keyringAvailable())('login --no-browser, then sync from the keychain item; a revoked grant fails with exit 5 and keeps the calendar', async () => {
    const cli = (args: string) => `${process.execPath} ${CLI_BIN} ${args} --config '${config}'`;
    const keychainDump = `${process.execPath} --input-type=module -e "import k from 'keytar'; const v = await k.getPassword('mailbox2ics', 'oauth2:work'); console.log('ITEM ' + v)"`;
    const script = path.join(dir, 'steps.sh');
    writeFileSync(script, [
      `${cli('login --account work --no-browser')}; echo "@@login $?" >&2`,
      `${cli('sync --no-cache')}; echo "@@sync1 $?" >&2`,
      `cd '${path.resolve(import.meta.dirname, '../..')}' && ${keychainDump}`,
      'read go',
      `${cli('sync --no-cache')}; echo "@@sync2 $?" >&2`,
    ].join('\n') + '\n');
    const child = spawnInKeyringSession(['sh', script]);
    const err = { value: '' };
    const out = { value: '' };
    child.stderr!.on('data', (d: Buffer) => (err.value += d.toString()));
    child.stdout!.on('data', (d: Buffer) => (out.value += d.toString()));
    const ended = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    try {
      const [, url] = await waitFor(err, child.stderr!, /Open this address in a browser to sign in to [^\n]+:\n(https:\/\/\S+)\n/);
      expect(err.value).toMatch(/Waiting for the sign-in to come back to 127\.0\.0\.1:(\d+) \(from another machine: ssh -L \1:127\.0\.0\.1:\1 /);
      expect(await user.signIn(url, 'alice@example.test', 'alice-pw')).toBe('Signed in');
      await waitFor(err, child.stderr!, /@@sync1 \d+/);
      expect(err.value).toMatch(/Signed in to 127\.0\.0\.1:\d+ as alice@example\.test \(account work\)\. The sign-in is kept in the system keychain/);
      expect(err.value).toMatch(/@@login 0/);
      expect(err.value).toMatch(/@@sync1 0/);
      const good = readFileSync(output, 'utf8');
      expect(good).toMatch(/SUMMARY:Planning/);
      const [, item] = await waitFor(out, child.stdout!, /ITEM (.+)\n/);
      const record = JSON.parse(item);
      expect(record).toMatchObject({ v: 1, issuer: as.issuer, clientId: NATIVE_CLIENT_ID, user: 'alice@example.test' });
      expect(as.issued).toContain(record.refreshToken);

      await as.revokeGrants('alice@example.test');
      child.stdin!.write('go\n');
      await waitFor(err, child.stderr!, /@@sync2 \d+/);
      expect(err.value).toMatch(/@@sync2 5/);
      expect(err.value).toMatch(/profile work: sign in to 127\.0\.0\.1:\d+ again \(mailbox2ics login --account work\)/);
      expect(readFileSync(output, 'utf8')).toBe(good);
      expect(await ended).toBe(0);
      // No token anywhere: what was printed, the calendar, the configuration, Dovecot's log.
      const places = [err.value, ...filesUnder(dir).map((f) => readFileSync(f, 'utf8')), readFileSync(dovecot.logFile, 'utf8')];
      expect(as.issued.length).toBeGreaterThan(2);
      for (const t of as.issued) for (const p of places) expect(p.includes(t)).toBe(false);
    } finally {
      child.kill();
    }
  });

  it('login --device prints the URL and the code, and the sign-in works once the person enters it', async () => {
    const items = new Map<string, string>();
    const store: SecretStore = { get: async (k) => items.get(k) ?? null, set: async (k, v) => void items.set(k, v), delete: async (k) => items.delete(k) };
    const stderr = new PassThrough();
    const err = { value: '' };
    stderr.on('data', (d: Buffer) => (err.value += d.toString()));
    const io = { stdout: new PassThrough(), stderr, stdin: process.stdin, env: {}, openStore: async () => store };
    const code = runCli(['login', '--account', 'work', '--device', '--config', config], io);
    const [, uri, userCode] = await waitFor(err, stderr, /open (https:\/\/\S+) and enter the code (\S+) /);
    await user.device(uri, userCode, 'alice@example.test', 'alice-pw');
    expect(await code).toBe(0);
    expect(err.value).toMatch(/Signed in to .* as alice@example\.test \(account work\)/);
    expect(JSON.parse(items.get('oauth2:work')!).user).toBe('alice@example.test');
    const cacheDir = path.join(dir, 'cache');
    const sync = await runCli(['sync', '--config', config, '--cache-dir', cacheDir], io);
    expect(sync).toBe(0);
    // Not in what was printed, nor in the cache (SQLite, read as bytes), the calendar or the configuration.
    const files = filesUnder(dir).map((f) => readFileSync(f).toString('latin1'));
    expect(filesUnder(cacheDir).length).toBeGreaterThan(0);
    for (const t of as.issued) {
      expect(err.value.includes(t)).toBe(false);
      for (const f of files) expect(f.includes(t)).toBe(false);
    }
    // Signed out: revoked at the provider and gone from the store.
    expect(await runCli(['logout', '--account', 'work', '--config', config], io)).toBe(0);
    expect(err.value).toMatch(/revoked the sign-in/);
    expect(items.has('oauth2:work')).toBe(false);
  });
});
