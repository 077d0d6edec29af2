// Replaces a file atomically: write a temp file in the same directory, fsync, rename over the target,
// fsync the directory. Readers see the old file or the new one, never a truncated mix.
import { promises as fs, constants } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = (await fs.stat(target)).mode & 0o777;
  } catch {
    // New file: default mode.
  }
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, target);
  } catch (err) {
    await handle?.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
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
