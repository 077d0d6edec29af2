// The headless command end to end, as a user runs it (a child process), against the real Dovecot:
// exit codes, password sources, --list-folders, --report-json, and the output file surviving failures.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { CLI_BIN, cliRunner } from '../helpers/run-cli.ts';
import { startFaultProxy } from '../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';
import { inKeyringSession } from '../helpers/keyring-session.ts';
import { credentialKey } from '../../electron/core/secrets/credential-key.ts';
import { readCaFile } from '../../electron/core/imap/ca-file.ts';


let server: DovecotServer;
let dir: string;

const cli = cliRunner(() => dir);

const common = () => ['--port', String(server.imapsPort), '--ca-file', server.pki.caFile, server.host, server.user];
const PW = () => ({ MAILBOX2ICS_PASSWORD: server.password });

beforeAll(async () => {
  server = await startDovecot();
  dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
  server.createFolder('Events');
  for (let i = 1; i <= 40; i++) {
    server.addMessage('Events', buildMail({ subject: `Invitation ${i}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `ev${i}@example.com`, summary: `Event ${i}` })) }], attachments: [{ contentType: 'application/pdf', filename: 'pad.pdf', data: Buffer.alloc(40_000, i) }] }));
  }
  server.addMessage('INBOX', buildMail({ subject: 'Broken', calendars: [{ ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x' }] }));
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('mailbox2ics CLI', () => {
  it('writes the merged calendar to -o and the report with --report-json (exit 0; skips listed on stderr)', async () => {
    const out = path.join(dir, 'ok.ics');
    const report = path.join(dir, 'report.json');
    const r = await cli(['-o', out, '--report-json', report, ...common(), 'Events', 'INBOX'], PW());
    expect(r.code).toBe(0);
    const ics = readFileSync(out, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ics).not.toMatch(/^METHOD:/m);
    expect(ics.match(/^BEGIN:VEVENT/gm)).toHaveLength(40);
    expect(r.stderr).toMatch(/skipped INBOX UID 1 part 2 "Broken": not valid iCalendar/);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep.folders.map((f: { folder: string }) => f.folder)).toEqual(['Events', 'INBOX']);
    expect(rep.folders[0]).toMatchObject({ messages: 40, calendarParts: 40, eventsOut: 40 });
    expect(rep.skipped).toHaveLength(1);
    expect(rep.bytesDownloaded).toBeLessThan(0.1 * 40 * 40_000);
  });

  it('writes to stdout without -o, and the same input gives byte-identical output', async () => {
    const a = await cli([...common(), 'Events'], PW());
    const b = await cli([...common(), 'Events'], PW());
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(a.stdout).toBe(b.stdout);
  });

  it('-p works with a warning about argv visibility', async () => {
    const r = await cli(['-p', server.password, ...common(), 'Events']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/visible to other users/);
  });

  it('takes the password from the OS keychain (service mailbox2ics, the entry for these exact settings)', async () => {
    const out = path.join(dir, 'keychain.ics');
    const probe = path.resolve(import.meta.dirname, 'keychain-cli-probe.ts');
    const key = credentialKey({ host: server.host, port: server.imapsPort, security: 'tls', username: server.user, caPem: await readCaFile(server.pki.caFile) });
    const r = await inKeyringSession([process.execPath, '--import', 'tsx', probe, key, '-o', out, ...common(), 'Events'], { PROBE_SECRET: server.password });
    expect(r.stderr).toMatch(/EXIT 0/);
    expect(readFileSync(out, 'utf8').match(/^BEGIN:VEVENT/gm)).toHaveLength(40);
    // The entry of other settings (here: no CA file, so another trust) is not this one.
    const other = await inKeyringSession([process.execPath, '--import', 'tsx', probe, `${server.user}@${server.host}`, '-o', path.join(dir, 'other.ics'), ...common(), 'Events'], { PROBE_SECRET: server.password });
    expect(other.stderr).toMatch(/EXIT 2/);
    expect(other.stderr).toMatch(/No password for alice@127\.0\.0\.1/);
  });

  it('prompts on a terminal without echo, and --save-password stores the typed password for later runs', async () => {
    const out1 = path.join(dir, 'prompted.ics');
    const out2 = path.join(dir, 'from-keychain.ics');
    const args = (out: string) => [CLI_BIN, '-o', out, ...common(), 'Events'].map((a) => `'${a}'`).join(' ');
    // A real pseudo-terminal (test/helpers/pty-answer.py); the second run has no terminal and no env password.
    // The password is typed once the prompt is up (as a person would), so the terminal must not echo it.
    const pty = path.resolve(import.meta.dirname, '../helpers/pty-answer.py');
    const sh = `python3 '${pty}' 'Password for' PW -- ${process.execPath} --no-warnings ${args(out1)} --save-password; ` +
      `${process.execPath} ${args(out2)} </dev/null; echo "second exit $?"`;
    const r = await inKeyringSession(['sh', '-c', sh], { PW: server.password });
    expect(r.stdout).toMatch(/Password for alice@127\.0\.0\.1: /);
    expect(r.stdout).not.toContain(server.password);
    expect(r.stdout).toMatch(/Password saved in the keychain for alice@127\.0\.0\.1/);
    expect(r.stdout).toMatch(/second exit 0/);
    expect(readFileSync(out1, 'utf8')).toBe(readFileSync(out2, 'utf8'));
  });

  it('--list-folders prints the tree with delimiter and counts', async () => {
    const r = await cli(['--list-folders', ...common()], PW());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Events\t\/\t\t40$/m);
    expect(r.stdout).toMatch(/^INBOX\t\/\t\\Inbox\t1$/m);
  });

  it('no password anywhere (no keychain, no terminal) → exit 2 with the sources named', async () => {
    const r = await cli([...common(), 'Events']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No password for alice@127\.0\.0\.1: pass -p, set MAILBOX2ICS_PASSWORD/);
    // The unavailable keychain is named, not silently ignored.
    expect(r.stderr).toMatch(/note: The system keychain is not available/);
  });

  it('failures keep the previous output file exactly as it was, with exit codes 2/3/4', async () => {
    const out = path.join(dir, 'keep.ics');
    writeFileSync(out, 'PREVIOUS GOOD FEED\n');
    const wrongPw = await cli(['-o', out, ...common(), 'Events'], { MAILBOX2ICS_PASSWORD: 'nope' });
    expect(wrongPw.code).toBe(3);
    expect(wrongPw.stderr).toMatch(/Login as "alice" was rejected/);
    const noFolder = await cli(['-o', out, ...common(), 'Evnts'], PW());
    expect(noFolder.code).toBe(4);
    expect(noFolder.stderr).toMatch(/Folder "Evnts" does not exist on the server\. Closest existing folders: "Events"/);
    const untrusted = await cli(['-o', out, '--port', String(server.imapsPort), server.host, server.user, 'Events'], PW());
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain(server.pki.fingerprint256);
    const usage = await cli(['-o', out, '--cancelled', 'maybe', ...common(), 'Events'], PW());
    expect(usage.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('PREVIOUS GOOD FEED\n');
  });

  it('the fingerprint printed for an untrusted certificate can be pinned with --pin-sha256', async () => {
    const out = path.join(dir, 'pinned.ics');
    const untrusted = await cli(['-o', out, '--port', String(server.imapsPort), server.host, server.user, 'Events'], PW());
    const fp = /SHA-256 fingerprint is ([0-9A-F:]{95})/.exec(untrusted.stderr)?.[1];
    expect(fp).toBe(server.pki.fingerprint256);
    const pinned = await cli(['-o', out, '--no-cache', '--port', String(server.imapsPort), '--pin-sha256', fp!.replace(/:/g, '').toLowerCase(), server.host, server.user, 'Events'], PW());
    expect(pinned.stderr).toBe('');
    expect(pinned.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('BEGIN:VEVENT');
    const bad = await cli(['--pin-sha256', 'AB:CD', server.host, server.user, 'Events'], PW());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pin-sha256 "AB:CD" is not a SHA-256 fingerprint/);
  });

  it('the server dropping the connection mid-scan → exit 3, previous output intact', async () => {
    const out = path.join(dir, 'drop.ics');
    writeFileSync(out, 'PREVIOUS GOOD FEED\n');
    // Enough to get through greeting, TLS and login, then cut while the folder is being fetched.
    const proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort, dropAfterServerBytes: 30_000 });
    try {
      const r = await cli(['-o', out, '--port', String(proxy.port), '--ca-file', server.pki.caFile, server.host, server.user, 'Events'], PW());
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/connection|closed|lost/i);
      expect(readFileSync(out, 'utf8')).toBe('PREVIOUS GOOD FEED\n');
      expect(proxy.bytesFromServer).toBeGreaterThanOrEqual(30_000);
    } finally {
      await proxy.stop();
    }
    const leftovers = existsSync(dir) ? (await import('node:fs')).readdirSync(dir).filter((f) => f.endsWith('.tmp')) : [];
    expect(leftovers).toEqual([]);
  });

  it('--insecure-plaintext warns loudly', async () => {
    const r = await cli(['--insecure-plaintext', '--port', String(server.imapPort), server.host, server.user, 'Events'], PW());
    expect(r.stderr).toMatch(/WARNING: --insecure-plaintext/);
    expect(r.code).toBe(0);
  });
});
