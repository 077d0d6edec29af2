// Paths whose folders do not exist yet, as a new user types them (README examples): the configuration
// folder is ours and is created; an output folder is the user's and a missing one is reported plainly,
// before any server is contacted, with nothing written. Also the app's first save of its settings.
import { mkdtempSync, readFileSync, existsSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { cliRunner } from '../helpers/run-cli.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';
import { AppConfig } from '../../electron/core/app/app-config.ts';
import { AppError } from '../../electron/core/errors.ts';

let server: DovecotServer;
let dir: string;
let sink: net.Server;
let sinkPort: number;
let connections = 0;

const cli = cliRunner(() => dir);

beforeAll(async () => {
  server = await startDovecot();
  server.createFolder('Team');
  server.addMessage('Team', buildMail({ subject: 'Invitation', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'm1@corp.example', summary: 'Standup' })) }] }));
  // A "server" that only counts connections: a failure before connecting leaves it at 0.
  sink = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  sinkPort = (sink.address() as net.AddressInfo).port;
}, 120_000);
afterAll(async () => {
  sink?.close();
  await server?.stop();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cli-folders-'));
  connections = 0;
});

const filesUnder = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
const toSink = () => ['--port', String(sinkPort), '127.0.0.1', 'alice', 'INBOX'];

describe('folders that do not exist yet', () => {
  it('-o into a missing folder: says which folder, before connecting, writes nothing', async () => {
    const out = path.join(dir, 'calendars', 'team.ics');
    const r = await cli(['-o', out, ...toSink()], { MAILBOX2ICS_PASSWORD: 'pw' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the folder ~/calendars does not exist');
    expect(r.stderr).not.toMatch(/ENOENT|unexpected error/i);
    expect(connections).toBe(0);
    expect(filesUnder(dir)).toEqual([]);
  });

  it('-o into a folder that is a file, and --report-json into a missing folder: the same, plainly', async () => {
    writeFileSync(path.join(dir, 'calendars'), 'not a folder');
    const r = await cli(['-o', path.join(dir, 'calendars', 'team.ics'), ...toSink()], { MAILBOX2ICS_PASSWORD: 'pw' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('~/calendars is not a folder');
    const rep = await cli(['-o', path.join(dir, 'ok.ics'), '--report-json', path.join(dir, 'reports', 'r.json'), ...toSink()], { MAILBOX2ICS_PASSWORD: 'pw' });
    expect(rep.code).toBe(2);
    expect(rep.stderr).toContain('Cannot write the report: the folder ~/reports does not exist');
    expect(connections).toBe(0);
    expect(filesUnder(dir)).toEqual([path.join(dir, 'calendars')]);
  });

  it('local mail into a missing folder: the same message, nothing written', async () => {
    const maildir = path.resolve(import.meta.dirname, '../../resources/sample-mailbox');
    const r = await cli(['--maildir', maildir, '-o', path.join(dir, 'nope', 'demo.ics')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the folder ~/nope does not exist');
    expect(filesUnder(dir)).toEqual([]);
  });

  it('--save-profile with a configuration folder that cannot be created fails before connecting', async () => {
    writeFileSync(path.join(dir, 'cfg'), 'a file where the folder should be');
    const r = await cli(['--config', path.join(dir, 'cfg', 'mailbox2ics', 'config.json'), '--save-profile', 'team', '-o', path.join(dir, 'team.ics'), ...toSink()], { MAILBOX2ICS_PASSWORD: 'pw' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('~/cfg is not a folder');
    expect(r.stderr).not.toMatch(/ENOENT|ENOTDIR/);
    expect(connections).toBe(0);
    expect(filesUnder(dir)).toEqual([path.join(dir, 'cfg')]);
  });

  it('--save-profile into a configuration folder that does not exist yet creates it (private) and saves', async () => {
    const cfgFile = path.join(dir, '.config', 'mailbox2ics', 'config.json');
    const out = path.join(dir, 'team.ics');
    const r = await cli(['--config', cfgFile, '--save-profile', 'team', '-o', out, '--port', String(server.imapsPort), '--pin-sha256', server.pki.fingerprint256, server.host, server.user, 'Team'], { MAILBOX2ICS_PASSWORD: server.password });
    expect(r.stderr).toContain(`Saved profile "team" in ${cfgFile}`);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('UID:m1@corp.example');
    expect(JSON.parse(readFileSync(cfgFile, 'utf8')).profiles.team.output).toBe(out);
    expect(statSync(path.dirname(cfgFile)).mode & 0o777).toBe(0o700);
  });

  it('sync --config: a profile whose output folder is missing fails with that reason and never connects', async () => {
    const cfgFile = path.join(dir, 'config.json');
    writeFileSync(cfgFile, JSON.stringify({
      version: 1,
      accounts: { sink: { host: '127.0.0.1', port: sinkPort, security: 'tls', username: 'alice' } },
      profiles: { team: { account: 'sink', folders: ['INBOX'], output: 'calendars/team.ics' } },
    }));
    const r = await cli(['sync', '--config', cfgFile, '--no-cache'], { MAILBOX2ICS_PASSWORD: 'pw' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('profile team: Cannot write the calendar of profile team: the folder ~/calendars does not exist');
    expect(connections).toBe(0);
  });
});

describe('the app saving its settings for the first time', () => {
  it('creates the configuration folder (as trusting a certificate on first launch does)', async () => {
    const file = path.join(dir, 'home', '.config', 'mailbox2ics', 'config.json');
    const cfg = new AppConfig(file);
    await cfg.saveAccount('work', { host: 'imap.example.com', port: 993, security: 'tls', username: 'alice', pinnedFingerprint: Array(32).fill('AB').join(':') } as never);
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts.work.host).toBe('imap.example.com');
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('a settings folder that cannot be created is reported as a settings failure, not a calendar one', async () => {
    writeFileSync(path.join(dir, 'home'), 'file');
    const cfg = new AppConfig(path.join(dir, 'home', '.config', 'mailbox2ics', 'config.json'));
    const err = await cfg.saveAccount('work', { host: 'imap.example.com', port: 993, security: 'tls', username: 'alice' } as never).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('SETTINGS_WRITE_FAILED');
    expect(err.message).toContain(`${path.join(dir, 'home')} is not a folder`);
    expect(existsSync(path.join(dir, 'home', '.config'))).toBe(false);
  });
});
