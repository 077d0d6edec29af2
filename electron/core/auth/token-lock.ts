// A lock shared by every mailbox2ics process of this user (the app, a CLI sync, serve), one per
// sign-in record, so two of them never refresh — and so rotate — the same refresh token at once.
// A lock file created exclusively; a stale one (owner gone, or too old) is taken over. Never
// holds a lock past its holder's release.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';
import { TOKEN_LOCK_STALE_MS, TOKEN_LOCK_WAIT_MS } from './auth-limits.ts';

/** The user's runtime dir when there is one (private, cleared at logout), else a per-user temp dir. */
export function defaultLockDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 'user';
  return env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'mailbox2ics') : path.join(os.tmpdir(), `mailbox2ics-${uid}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stale(file: string, now: number): boolean {
  try {
    const [pid, at] = readFileSync(file, 'utf8').split(' ').map(Number);
    return !alive(pid) || now - at > TOKEN_LOCK_STALE_MS;
  } catch {
    return false; // being written or just removed: look again
  }
}

export type TokenLock = (item: string) => Promise<() => void>;

/**
 * The lock folder, created private, and refused unless it is a real folder of this user that nobody
 * else can write: in a shared temp dir someone could create it first (or link it elsewhere) and so
 * block or forge the locks. Windows has no mode bits (every folder reads as 0666) and no uid: there
 * the temp dir is per user already, so only "is a real folder" is checked.
 */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  const why = !st.isDirectory()
    ? 'is not a folder'
    : uid !== undefined && st.uid !== uid
      ? `belongs to another user (uid ${st.uid})`
      : process.platform !== 'win32' && (st.mode & 0o022) !== 0
        ? `can be written by other users (mode ${(st.mode & 0o777).toString(8)})`
        : undefined;
  if (why) throw new AppError('OAUTH_FAILED', `The sign-in lock folder ${dir} ${why}; remove it, or set XDG_RUNTIME_DIR to a private folder.`, { file: dir });
}

export function fileTokenLock(dir = defaultLockDir(), waitMs = TOKEN_LOCK_WAIT_MS): TokenLock {
  return async (item) => {
    privateDir(dir);
    const file = path.join(dir, `token-${createHash('sha256').update(item).digest('hex').slice(0, 32)}.lock`);
    const end = Date.now() + waitMs;
    for (;;) {
      try {
        writeFileSync(file, `${process.pid} ${Date.now()}`, { flag: 'wx', mode: 0o600 });
        let released = false;
        return () => {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new AppError('INTERNAL', `Cannot create the sign-in lock ${file}: ${(err as Error).message}`);
      }
      if (stale(file, Date.now())) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > end) throw new AppError('OAUTH_FAILED', `Another mailbox2ics process has been refreshing this sign-in for too long (lock ${file}).`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
}
