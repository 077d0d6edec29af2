// Replaces a file atomically: write a temp file in the same directory, fsync, rename over the target,
// fsync the directory. Readers see the old file or the new one, never a truncated mix.
import { promises as fs, constants } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

export interface AtomicWriteOptions {
  /** Exact permission bits of the new file (private files: 0o600). Default: the replaced file's, else 0o644. */
  mode?: number;
  /**
   * Runs after the new content is on disk, right before the rename; what it throws is thrown as is
   * and nothing is replaced. Why: the configuration checks here that no other process wrote meanwhile.
   */
  beforeRename?: () => Promise<void>;
}

/** Characters of a long text encoded and written at once: a 25 MB feed would otherwise be copied
 * whole into a buffer beside the text (25 MB more at the run's peak), for no gain in speed. */
const WRITE_CHUNK_CHARS = 1 << 20;

/** Writes `data` from the handle's position on; a long text a chunk at a time through one reused
 * buffer (fresh buffers per chunk would all stay allocated until V8 next collects), never splitting a
 * UTF-16 surrogate pair (its UTF-8 would be two replacement characters). */
async function writeAll(handle: fs.FileHandle, data: string | Uint8Array): Promise<void> {
  if (typeof data !== 'string' || data.length <= WRITE_CHUNK_CHARS) return handle.writeFile(data);
  // Three bytes of UTF-8 at most per UTF-16 unit.
  const buf = Buffer.allocUnsafe(WRITE_CHUNK_CHARS * 3);
  for (let at = 0; at < data.length;) {
    let end = Math.min(at + WRITE_CHUNK_CHARS, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    const n = buf.write(data.slice(at, end), 'utf8');
    // writeFile on a handle continues from its position, and loops until the chunk is all written.
    await handle.writeFile(buf.subarray(0, n));
    at = end;
  }
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = opts.mode ?? 0o644;
  if (opts.mode === undefined) {
    try {
      mode = (await fs.stat(target)).mode & 0o777;
    } catch {
      // New file: default mode.
    }
  }
  let handle: fs.FileHandle | undefined;
  let hookFailed = false;
  try {
    handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    // The umask would loosen nothing but may tighten; an explicit mode is meant exactly.
    if (opts.mode !== undefined) await handle.chmod(opts.mode);
    await writeAll(handle, data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (opts.beforeRename) {
      hookFailed = true;
      await opts.beforeRename();
      hookFailed = false;
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
    if (hookFailed) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `the folder ${dir} does not exist` : code === 'EACCES' || code === 'EPERM' ? `the folder ${dir} is not writable` : code === 'EISDIR' ? 'it is a folder' : code ?? (err as Error).message;
    throw new AppError('OUTPUT_FAILED', `Cannot write ${target}: ${why}. The previous file, if any, is unchanged.`, { file: target });
  }
  // Make the rename itself durable; not every platform can open a directory, so this is best effort.
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().catch(() => {});
    await d.close();
  } catch {
    // ignore
  }
}
