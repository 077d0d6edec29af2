// `mailbox2ics sync --config FILE [--profile NAME]` and `--save-profile`, as a user runs them (child
// processes), against the real Dovecot: profiles run from the file, no password ever lands in it,
// a bad file is refused before connecting, and one failing profile does not stop the others.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { cliRunner } from '../helpers/run-cli.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';


let server: DovecotServer;
let dir: string;

const cli = cliRunner(() => dir);
const PW = () => ({ MAILBOX2ICS_PASSWORD: server.password });

beforeAll(async () => {
  server = await startDovecot();
  dir = mkdtempSync(path.join(tmpdir(), 'cli-config-'));
  server.createFolder('Team');
  server.createFolder('Other');
  for (let i = 1; i <= 6; i++) {
    const from = i % 2 ? 'boss@corp.example' : 'spam@elsewhere.example';
    server.addMessage('Team', buildMail({ from, subject: `Invitation ${i}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `t${i}@corp.example`, summary: i === 3 ? 'Lunch' : `Standup ${i}` })) }] }));
  }
  server.addMessage('Other', buildMail({ subject: 'Other', calendars: [{ method: 'PUBLISH', ics: vcal('PUBLISH', vevent({ uid: 'o1@corp.example', summary: 'Other event' })) }] }));
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const uids = (ics: string) => [...ics.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1]).sort();

describe('configuration on the command line', () => {
  it('--save-profile stores a successful run (without the password); sync --config reproduces it', async () => {
    const cfgFile = path.join(dir, 'saved.json');
    const first = path.join(dir, 'first.ics');
    const saved = await cli([
      '--config', cfgFile, '--save-profile', 'team', '-o', first, '--allow-sender', 'corp.example', '--exclude', 'summary=^Lunch$',
      '--port', String(server.imapsPort), '--pin-sha256', server.pki.fingerprint256, server.host, server.user, 'Team',
    ], PW());
    expect(saved.stderr).toContain(`Saved profile "team" in ${cfgFile}`);
    expect(saved.code).toBe(0);
    expect(uids(readFileSync(first, 'utf8'))).toEqual(['t1@corp.example', 't5@corp.example']);
    const text = readFileSync(cfgFile, 'utf8');
    expect(text).not.toContain(server.password);
    const cfg = JSON.parse(text);
    expect(cfg.version).toBe(1);
    const [accountName] = Object.keys(cfg.accounts);
    expect(cfg.accounts[accountName]).toEqual({ host: server.host, port: server.imapsPort, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256 });
    expect(cfg.profiles.team).toMatchObject({ account: accountName, folders: ['Team'], output: first, filters: { allowSenders: ['corp.example'], exclude: ['summary=^Lunch$'] } });

    // The profile now runs from the file alone, to the same output.
    const firstText = readFileSync(first, 'utf8');
    writeFileSync(first, 'stale');
    const synced = await cli(['sync', '--config', cfgFile, '--no-cache'], PW());
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    expect(uids(readFileSync(first, 'utf8'))).toEqual(uids(firstText));
  });

  it('runs every profile, or only --profile NAME; one failing profile leaves its old file and the others run', async () => {
    const cfgFile = path.join(dir, 'two.json');
    const pin = server.pki.fingerprint256;
    writeFileSync(cfgFile, JSON.stringify({
      version: 1,
      accounts: { local: { host: server.host, port: server.imapsPort, username: server.user, pinnedFingerprint: pin } },
      profiles: {
        team: { account: 'local', folders: ['Team'], output: 'team.ics', filters: { match: ['summary=glob:Standup*'] } },
        broken: { account: 'local', folders: ['Missing'], output: 'broken.ics' },
        other: { account: 'local', folders: ['Other'], output: 'other.ics', cancelled: 'keep' },
      },
    }, null, 2));
    writeFileSync(path.join(dir, 'broken.ics'), 'PREVIOUS GOOD FEED\n');
    const all = await cli(['sync', '--config', cfgFile], PW());
    expect(all.code).toBe(4);
    expect(all.stderr).toMatch(/profile broken: Folder "Missing" does not exist/);
    expect(uids(readFileSync(path.join(dir, 'team.ics'), 'utf8'))).toEqual(['t1@corp.example', 't2@corp.example', 't4@corp.example', 't5@corp.example', 't6@corp.example']);
    expect(uids(readFileSync(path.join(dir, 'other.ics'), 'utf8'))).toEqual(['o1@corp.example']);
    expect(readFileSync(path.join(dir, 'broken.ics'), 'utf8')).toBe('PREVIOUS GOOD FEED\n');

    const one = await cli(['sync', '--config', cfgFile, '--profile', 'other', '-v'], PW());
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('Profile other:');
    expect(one.stderr).not.toContain('Profile team:');
    const unknown = await cli(['sync', '--config', cfgFile, '--profile', 'teem'], PW());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No profile named "teem" (profiles: team, broken, other).');
  });

  it('a bad file is refused with every problem and its path, before any connection', async () => {
    const cfgFile = path.join(dir, 'bad.json');
    writeFileSync(cfgFile, JSON.stringify({
      version: 1,
      accounts: { local: { host: server.host, port: server.imapsPort, username: server.user, password: 'secret', tls: true } },
      profiles: { team: { account: 'local', folders: ['Team'], output: 'x.ics', filters: { match: ['summary=('] } } },
    }));
    const sessionsBefore = readFileSync(server.logFile, 'utf8').split('\n').length;
    const r = await cli(['sync', '--config', cfgFile], PW());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('accounts.local.password: passwords are never stored in the configuration');
    expect(r.stderr).toContain('accounts.local.tls: unknown field');
    expect(r.stderr).not.toContain('secret');
    expect(readFileSync(server.logFile, 'utf8').split('\n').length).toBe(sessionsBefore);
    writeFileSync(cfgFile, JSON.stringify({ version: 1, accounts: { local: { host: server.host, username: 'u' } }, profiles: { team: { account: 'local', folders: ['Team'], output: 'x.ics', filters: { match: ['summary=('] } } } }));
    const sem = await cli(['sync', '--config', cfgFile], PW());
    expect(sem.code).toBe(2);
    expect(sem.stderr).toContain('profiles.team.filters.match.0: "summary=(": invalid regular expression');
    expect(existsSync(path.join(dir, 'x.ics'))).toBe(false);
  });

  it('refuses flags that belong in the file, and --profile without --config', async () => {
    const a = await cli(['sync', '--config', 'c.json', '--subject', 'x']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--subject cannot be combined with --config: set it in the profile or account in c.json');
    const b = await cli(['--profile', 'team', 'h', 'u', 'f']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--profile needs --config FILE');
    const c = await cli(['sync', '--config', 'c.json', 'host', 'user', 'INBOX']);
    expect(c.stderr).toContain('unexpected "host": with --config the accounts and folders come from the file');
  });
});
