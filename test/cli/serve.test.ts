// `mailbox2ics serve --config FILE` as a service runs it: a child process against the real Dovecot
// syncs every profile, keeps a failing profile's last good file, serves the feed, and a real calendar
// client (vdirsyncer's http storage) subscribes to it; SIGTERM stops it cleanly.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';

const BIN = path.resolve(import.meta.dirname, '../../electron/cli/bin.mjs');
let server: DovecotServer;
let dir: string;
let child: ChildProcess;
let stderr = '';

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});
const waitFor = async (re: RegExp, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!re.test(stderr)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${re}; stderr so far:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return re.exec(stderr)!;
};

beforeAll(async () => {
  server = await startDovecot();
  dir = mkdtempSync(path.join(tmpdir(), 'serve-'));
  server.createFolder('Team');
  for (let i = 1; i <= 3; i++) server.addMessage('Team', buildMail({ subject: `Invitation ${i}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: `s${i}@corp.example`, summary: `Meeting ${i}` })) }] }));
  writeFileSync(path.join(dir, 'broken.ics'), 'LAST GOOD FEED\n');
  const account = { host: server.host, port: server.imapsPort, username: server.user, pinnedFingerprint: server.pki.fingerprint256 };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({
    version: 1,
    accounts: { local: account },
    profiles: {
      team: { account: 'local', folders: ['Team'], output: 'team.ics', schedule: { intervalMinutes: 10 } },
      broken: { account: 'local', folders: ['Nope'], output: 'broken.ics' },
    },
    feed: { enabled: true, port: await freePort() },
  }));
  child = spawn(process.execPath, [BIN, 'serve', '--config', path.join(dir, 'config.json'), '--cache-dir', path.join(dir, 'cache')], {
    env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', MAILBOX2ICS_PASSWORD: server.password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
}, 120_000);
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await server?.stop();
});

describe('mailbox2ics serve', () => {
  it('syncs the profiles on start; a failing one keeps its last good file and says so once', async () => {
    await waitFor(/team: synced: 3 events \(3 new, 0 updated, 0 cancelled, 0 removed\)/);
    await waitFor(/broken: FAILED \(keeping the last good file; retrying with backoff\): Folder "Nope" does not exist/);
    expect(readFileSync(path.join(dir, 'team.ics'), 'utf8').match(/^BEGIN:VEVENT/gm)).toHaveLength(3);
    expect(readFileSync(path.join(dir, 'broken.ics'), 'utf8')).toBe('LAST GOOD FEED\n');
    // Tokens were made once and saved; no password went into the file.
    const cfg = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(Object.keys(cfg.feed.tokens).sort()).toEqual(['broken', 'team']);
    expect(JSON.stringify(cfg)).not.toContain(server.password);
  });

  it('serves the feed to fetch and to a real calendar client (vdirsyncer)', async (ctx) => {
    const [, url] = await waitFor(/feed team: (http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/team\.ics) {2}\(webcal:/);
    const r = await fetch(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(await r.text()).toBe(readFileSync(path.join(dir, 'team.ics'), 'utf8'));
    const vdir = ['/usr/bin/vdirsyncer', '/usr/local/bin/vdirsyncer'].find(existsSync);
    if (!vdir) {
      process.stderr.write('SKIPPED the vdirsyncer part: vdirsyncer is not installed (apt-get install -y vdirsyncer)\n');
      ctx.skip();
      return;
    }
    const home = path.join(dir, 'vdir');
    mkdirSync(path.join(home, 'local'), { recursive: true });
    const conf = path.join(home, 'config');
    writeFileSync(conf, [
      '[general]', `status_path = "${home}/status/"`, '',
      '[pair feed]', 'a = "feed_remote"', 'b = "feed_local"', 'collections = null', '',
      '[storage feed_remote]', 'type = "http"', `url = "${url}"`, '',
      '[storage feed_local]', 'type = "filesystem"', `path = "${home}/local/"`, 'fileext = ".ics"', '',
    ].join('\n'));
    const run = (args: string[]) => promisify(execFile)(vdir, ['-c', conf, ...args], { env: { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } });
    await run(['discover', 'feed']).catch(() => undefined); // collections = null needs no discovery on some versions
    await run(['sync', 'feed']);
    const items = readdirSync(path.join(home, 'local')).filter((f) => f.endsWith('.ics'));
    expect(items).toHaveLength(3);
    const texts = items.map((f) => readFileSync(path.join(home, 'local', f), 'utf8')).join('\n');
    for (let i = 1; i <= 3; i++) expect(texts).toContain(`SUMMARY:Meeting ${i}`);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/SIGTERM: stopping/);
    expect(stderr).toMatch(/\bstopped\n/);
  });
});
