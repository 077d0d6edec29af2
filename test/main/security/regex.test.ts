// Hole 4: a catastrophic pattern in --match/--exclude (`^(\w+\s?)*$`) froze main on ordinary event
// text. Patterns run on RE2 (linear time) from the window, the command line and the configuration;
// invalid ones are still refused before anything connects. The hang-prone runs are child processes
// with a generous watchdog, so a regression fails the test instead of freezing the runner.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { startRecordingImap, type RecordingImap } from '../../helpers/recording-imap.ts';
import { CLI_BIN } from '../../helpers/run-cli.ts';
import { windowUnderTest } from '../../helpers/window-requests.ts';

const CATASTROPHIC = String.raw`summary=^(\w+\s?)*$`;
/** Ordinary text on which a backtracking engine explores ~2^40 paths for that pattern (hours). */
const HOSTILE_SUMMARY = `${'a'.repeat(40)}!`;
/** Far above the second the runs take; only a hang reaches it. */
const WATCHDOG_MS = 60_000;
const run = promisify(execFile);

let server: DovecotServer;
let fake: RecordingImap;
let dir: string;

const invite = (uid: string, summary: string) => buildMail({ subject: `Invitation: ${summary}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid, summary })) }] });

async function child(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, args, { timeout: WATCHDOG_MS, killSignal: 'SIGKILL', env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr, killed: false };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string; killed: boolean };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr, killed: err.killed };
  }
}

beforeAll(async () => {
  server = await startDovecot();
  fake = await startRecordingImap();
  dir = mkdtempSync(path.join(tmpdir(), 'm2i-regex-'));
  server.createFolder('Team');
  server.addMessage('Team', invite('standup@corp.example', 'Team standup'));
  server.addMessage('Team', invite('hostile@corp.example', HOSTILE_SUMMARY));
  writeFileSync(path.join(dir, 'standup.eml'), invite('standup@corp.example', 'Team standup'));
  writeFileSync(path.join(dir, 'hostile.eml'), invite('hostile@corp.example', HOSTILE_SUMMARY));
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await server?.stop();
});

describe('user patterns run in linear time', () => {
  it('the window: a profile with the pattern scans through handleRequest and keeps the right events', async () => {
    const r = await child(['--import', 'tsx', path.resolve(import.meta.dirname, 'regex-scan-child.ts')], {
      M2I_HOST: server.host, M2I_PORT: String(server.imapsPort), M2I_USER: server.user, M2I_PASSWORD: server.password, M2I_PIN: server.pki.fingerprint256, M2I_PATTERN: CATASTROPHIC,
    });
    expect(r.killed, 'main hung on the pattern').toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual(['Team standup']);
  });

  it('the command line: --match and --exclude with the pattern finish, with the same meaning', async () => {
    const files = [path.join(dir, 'standup.eml'), path.join(dir, 'hostile.eml')];
    const kept = await child([CLI_BIN, '--match', CATASTROPHIC, ...files]);
    expect(kept.killed, 'the CLI hung on the pattern').toBe(false);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain('SUMMARY:Team standup');
    expect(kept.stdout).not.toContain(HOSTILE_SUMMARY);
    const dropped = await child([CLI_BIN, '--exclude', CATASTROPHIC, ...files]);
    expect(dropped.killed).toBe(false);
    expect(dropped.stdout).toContain(`SUMMARY:${HOSTILE_SUMMARY}`);
    expect(dropped.stdout).not.toContain('SUMMARY:Team standup');
  });

  it('syntax RE2 does not have is refused before connecting: command line, configuration and window', async () => {
    for (const bad of [String.raw`summary=(a)\1`, 'summary=^(?=x)', 'location=(']) {
      const cli = await child([CLI_BIN, '--insecure-plaintext', '--port', String(fake.port), '-p', 'pw', '--match', bad, fake.host, 'alice', 'INBOX']);
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(/invalid regular expression \(RE2 syntax\)/);
    }
    const cfg = path.join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ version: 1, accounts: { a: { host: fake.host, port: fake.port, security: 'plaintext', username: 'alice' } }, profiles: { team: { account: 'a', folders: ['INBOX'], output: 'team.ics', filters: { exclude: ['summary=^(?!Canceled)'] } } } }));
    const sync = await child([CLI_BIN, 'sync', '--config', cfg], { MAILBOX2ICS_PASSWORD: 'pw' });
    expect(sync.code).toBe(2);
    expect(sync.stderr).toContain('profiles.team.filters.exclude.0: "summary=^(?!Canceled)": invalid regular expression (RE2 syntax): invalid or unsupported Perl syntax');
    expect(fake.connections()).toBe(0);

    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'work', account: { host: fake.host, username: 'alice' } });
    w.dialogs.savePath = path.join(w.dir, 'team.ics');
    const out = await w.ok<{ token: string; path: string }>('dialog:choose-output', {});
    const r = await w.send('profiles:save', { name: 'team', profile: { account: 'work', folders: ['INBOX'], output: out.path, filters: { match: [String.raw`summary=(a)\1`] } }, outputChoice: out.token });
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFIG', message: expect.stringContaining('profiles.team.filters.match.0: "summary=(a)\\1": invalid regular expression (RE2 syntax): invalid escape sequence') } });
  });
});
