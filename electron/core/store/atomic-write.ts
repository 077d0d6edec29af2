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
    await handle.writeFile(data);
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
