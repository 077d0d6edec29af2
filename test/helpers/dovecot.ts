// Starts a private, throwaway Dovecot (own temp dir, config, ports, CA, user) for one test file, and stops it.
// Test-only: never uses /etc/dovecot or systemd, never listens beyond loopback, never outlives the test process.
import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, closeSync, constants, mkdirSync, openSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeSelfSignedCert, makeTestPki, type TestPki } from './certs.ts';
import { delimiterOf, renderDovecotConfig, type MailLayout } from './dovecot-config.ts';
import { MaildirStore, type SeedItem, type SeedOptions } from './maildir-store.ts';

export type { MailLayout } from './dovecot-config.ts';
export type { SeedItem, SeedOptions } from './maildir-store.ts';

export interface StartDovecotOptions {
  /** 'fs' (default): nested dirs, delimiter '/'. 'maildir++': .Dotted.Dirs, delimiter '.'. */
  layout?: MailLayout;
  user?: string;
  password?: string;
  /** 'ca' (default): leaf signed by a test CA (pki.caFile = the CA). 'self-signed': pki.caFile = the leaf itself. */
  tls?: 'ca' | 'self-signed';
  /**
   * An oauth2 passdb instead of passwords: `settings` is the oauth2.conf.ext text ("{ROOT}" becomes
   * the instance's folder) and `files` are written under that folder first (keys for local validation).
   */
  oauth2?: { mechanisms: string; settings: string; files?: Record<string, string> };
}

export interface SessionStats {
  sessions: number;
  bytesOut: number;
  bytesIn: number;
  lines: string[];
}

export interface DovecotServer {
  host: '127.0.0.1';
  /** Same server on another loopback address the cert does not name (host-name mismatch tests); undefined if unavailable. */
  mismatchHost?: string;
  imapsPort: number;
  imapPort: number;
  user: string;
  password: string;
  delimiter: '/' | '.';
  pki: TestPki;
  rootDir: string;
  logFile: string;
  /** PID of the Dovecot master process. */
  pid: number;
  /** Create a folder ('Work/Events'; 'Public Folders/…' goes to the public namespace). Idempotent. Parents stay \Noselect. */
  createFolder(name: string): void;
  /** Write a message file into the folder's cur/ (creating the folder). flags → Maildir info; date → INTERNALDATE. */
  addMessage(folder: string, raw: string | Buffer, opts?: SeedOptions): void;
  addMessages(folder: string, items: SeedItem[]): void;
  /** Delete a message file (index in filename = UID order, or 'all'), as if another client expunged it. */
  removeMessageFile(folder: string, index: number | 'all'): void;
  /** Absolute path of a folder's Maildir directory. */
  folderDir(name: string): string;
  /** Totals over the "Disconnected: … in=N out=N" lines Dovecot logs for every ended IMAP session. */
  readSessionStats(): SessionStats;
  /** Stops the master process and starts it again on the same folders and ports (a server restart). */
  restart(): Promise<void>;
  /** Dovecot logs a session's line shortly after the socket closes: wait until at least n sessions are logged. */
  waitForSessions(n: number, timeoutMs?: number): Promise<SessionStats>;
  stop(): Promise<void>;
}

const DIR_PREFIX = 'm2i-dovecot-';
const MAIL_ID = 1000; // mail processes refuse uid 0; any non-zero id works without a passwd entry
const live = new Map<string, number>(); // rootDir → master pid

export function findDovecot(): string {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const d of dirs.filter(Boolean)) {
    const bin = path.join(d, 'dovecot');
    try {
      accessSync(bin, constants.X_OK);
      return bin;
    } catch {
      /* next */
    }
  }
  throw new Error('Dovecot is not installed: apt-get install -y dovecot-imapd (the tests start a private Dovecot)');
}

/** True while pid runs (a zombie, which nobody may reap in a container, counts as gone). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

function isOurDovecot(pid: number, rootDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(rootDir, 'dovecot.conf'));
  } catch {
    return false;
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

function readPid(rootDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(rootDir, 'run', 'master.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Removes instances left behind by test processes that died without running their exit handler. */
function reapOrphans(): void {
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    try {
      const owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      if (owner && isRunning(owner)) continue;
      const pid = readPid(dir);
      if (pid && isOurDovecot(pid, dir)) killQuietly(pid, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* not ours or racing another reaper */
    }
  }
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [dir, pid] of live) {
      if (isOurDovecot(pid, dir)) killQuietly(pid, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function listenOn(host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, host, () => {
      const { port: p } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(p));
    });
  });
}

async function canListen(host: string): Promise<boolean> {
  return listenOn(host).then(() => true, () => false);
}

function acceptsTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function checkPasswdField(what: string, v: string): void {
  if (!v || /[:\r\n]/.test(v)) throw new Error(`startDovecot: ${what} must be non-empty without ":" or newlines`);
}

export async function startDovecot(opts: StartDovecotOptions = {}): Promise<DovecotServer> {
  const bin = findDovecot();
  const { layout = 'fs', user = 'alice', password = 'secret-pw', tls = 'ca' } = opts;
  checkPasswdField('user', user);
  checkPasswdField('password', password);
  reapOrphans();
  installExitHook();

  const rootDir = mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  chmodSync(rootDir, 0o755); // Dovecot's unprivileged auth/mail processes must traverse it
  writeFileSync(path.join(rootDir, 'owner.pid'), String(process.pid));
  live.set(rootDir, 0);
  try {
    const pki = tls === 'self-signed' ? makeSelfSignedCert(path.join(rootDir, 'pki')) : makeTestPki(path.join(rootDir, 'pki'));
    const passwdFile = path.join(rootDir, 'passwd');
    writeFileSync(passwdFile, `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
    const root = process.getuid?.() === 0;
    const ids = root ? { uid: MAIL_ID, gid: MAIL_ID } : { uid: process.getuid!(), gid: process.getgid!() };
    const homeDir = path.join(rootDir, 'home');
    const store = new MaildirStore(layout, path.join(homeDir, user, 'Maildir'), path.join(rootDir, 'public'), root ? ids : undefined);
    const mismatchHost = (await canListen('127.0.0.2')) ? '127.0.0.2' : undefined;
    const logFile = path.join(rootDir, 'dovecot.log');
    const configFile = path.join(rootDir, 'dovecot.conf');
    let oauth2: { confFile: string; mechanisms: string } | undefined;
    if (opts.oauth2) {
      for (const [rel, text] of Object.entries(opts.oauth2.files ?? {})) {
        const f = path.join(rootDir, rel);
        mkdirSync(path.dirname(f), { recursive: true, mode: 0o755 });
        writeFileSync(f, text, { mode: 0o644 });
      }
      oauth2 = { confFile: path.join(rootDir, 'oauth2.conf.ext'), mechanisms: opts.oauth2.mechanisms };
      writeFileSync(oauth2.confFile, opts.oauth2.settings.replaceAll('{ROOT}', rootDir), { mode: 0o644 });
    }

    let ports: { imapPort: number; imapsPort: number } | undefined;
    for (let attempt = 1; !ports; attempt++) {
      const candidate = { imapPort: await listenOn('127.0.0.1'), imapsPort: await listenOn('127.0.0.1') };
      if (candidate.imapPort === candidate.imapsPort) continue;
      writeFileSync(configFile, renderDovecotConfig({
        rootDir, instanceName: `m2i-${path.basename(rootDir)}`, listen: mismatchHost ? ['127.0.0.1', mismatchHost] : ['127.0.0.1'],
        ...candidate, certFile: pki.certFile, keyFile: pki.keyFile, passwdFile, logFile, ...ids, homeDir,
        publicDir: path.join(rootDir, 'public'), layout, runAsUser: root ? undefined : os.userInfo().username, oauth2,
      }));
      // The daemon inherits stdio: with pipes, execFileSync would wait for them to close, i.e. forever.
      const errFile = path.join(rootDir, 'start.err');
      const errFd = openSync(errFile, 'w');
      try {
        // TZ pinned so INTERNALDATE is printed in UTC whatever zone the test process runs in.
        execFileSync(bin, ['-c', configFile], { stdio: ['ignore', errFd, errFd], env: { ...process.env, TZ: 'UTC' } });
        ports = candidate;
      } catch (e) {
        const msg = `${readFileSync(errFile, 'utf8')}${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`;
        if (!/Address already in use/.test(msg) || attempt >= 5) throw new Error(`dovecot failed to start: ${msg || (e as Error).message}`);
        writeFileSync(logFile, ''); // drop the failed attempt's lines
      } finally {
        closeSync(errFd);
      }
    }
    // The parent returns as soon as it has forked; the daemon writes master.pid a moment later.
    let pid = readPid(rootDir);
    for (const end = Date.now() + 5_000; !pid && Date.now() < end; pid = readPid(rootDir)) await new Promise((r) => setTimeout(r, 10));
    if (!pid) throw new Error(`dovecot started but wrote no master.pid under ${rootDir}/run`);
    live.set(rootDir, pid);
    for (const end = Date.now() + 10_000; !(await acceptsTcp('127.0.0.1', ports.imapsPort)); ) {
      if (Date.now() > end || !isRunning(pid)) throw new Error(`dovecot did not accept connections on ${ports.imapsPort}: ${readFileSync(logFile, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 20));
    }

    const readSessionStats = (): SessionStats => {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const lines = log.split('\n').filter((l) => /: Disconnected\b.* in=\d+ out=\d+/.test(l));
      const sum = (key: string) => lines.reduce((n, l) => n + Number(new RegExp(` ${key}=(\\d+)`).exec(l)![1]), 0);
      return { sessions: lines.length, bytesIn: sum('in'), bytesOut: sum('out'), lines };
    };
    let stopped: Promise<void> | undefined;
    let currentPid = pid;
    const restart = async () => {
      killQuietly(currentPid, 'SIGTERM');
      if (!(await waitUntilGone(currentPid, 10_000))) throw new Error(`dovecot ${currentPid} did not stop for the restart`);
      execFileSync(bin, ['-c', configFile], { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
      let next = readPid(rootDir);
      for (const end = Date.now() + 5_000; (!next || next === currentPid) && Date.now() < end; next = readPid(rootDir)) await new Promise((r) => setTimeout(r, 10));
      if (!next || next === currentPid) throw new Error(`dovecot restarted but wrote no new master.pid under ${rootDir}/run`);
      currentPid = next;
      live.set(rootDir, next);
      for (const end = Date.now() + 10_000; !(await acceptsTcp('127.0.0.1', ports!.imapsPort)); ) {
        if (Date.now() > end) throw new Error(`dovecot did not accept connections after the restart`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    return {
      host: '127.0.0.1', mismatchHost, ...ports, user, password, delimiter: delimiterOf(layout), pki, rootDir, logFile, pid,
      createFolder: (name) => void store.createFolder(name),
      addMessage: (folder, raw, o) => store.add(folder, raw, o),
      addMessages: (folder, items) => store.addMany(folder, items),
      removeMessageFile: (folder, index) => store.remove(folder, index),
      folderDir: (name) => store.folderDir(name),
      readSessionStats,
      restart,
      async waitForSessions(n, timeoutMs = 5_000) {
        const end = Date.now() + timeoutMs;
        for (;;) {
          const stats = readSessionStats();
          if (stats.sessions >= n) return stats;
          if (Date.now() > end) throw new Error(`waitForSessions: ${stats.sessions} of ${n} sessions logged after ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      stop: () => (stopped ??= stopInstance(rootDir, currentPid)),
    };
  } catch (e) {
    await stopInstance(rootDir, live.get(rootDir) || readPid(rootDir));
    throw e;
  }
}

async function stopInstance(rootDir: string, pid: number | undefined): Promise<void> {
  if (pid && isOurDovecot(pid, rootDir)) {
    killQuietly(pid, 'SIGTERM');
    if (!(await waitUntilGone(pid, 10_000))) {
      killQuietly(pid, 'SIGKILL');
      await waitUntilGone(pid, 2_000);
    }
  }
  live.delete(rootDir);
  rmSync(rootDir, { recursive: true, force: true });
}
