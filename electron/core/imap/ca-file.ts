// Reads a CA (or self-signed certificate) PEM file the way every caller must: asynchronously, as a
// regular file of bounded size, checked after opening. Never reads a device, FIFO or socket.
import { constants, promises as fs } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { AppError } from '../errors.ts';

/**
 * Largest CA file read, in bytes. Why 1 MB: a bundle of every public root is ~220 KB; anything
 * larger is not a certificate file, and reading it would only cost main memory and time.
 */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

const fail = (file: string, why: string) => new AppError('CONFIG', `Cannot use the CA file ${file}: ${why}`, { file });

/** The certificates of a PEM file, validated, as one PEM string. */
export async function readCaFile(file: string): Promise<string> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fail(file, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  }
  let bytes: Buffer;
  try {
    // Checked on the opened file, not the name: the name may be swapped between a stat and the open.
    const st = await handle.stat();
    if (!st.isFile()) throw fail(file, 'it is not a regular file');
    if (st.size > MAX_CA_FILE_BYTES) throw fail(file, `it is larger than ${MAX_CA_FILE_BYTES / 1024 / 1024} MB`);
    // Read at most one byte past the limit: a file that grew after the stat is still refused.
    const buf = Buffer.alloc(MAX_CA_FILE_BYTES + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (!bytesRead) break;
      n += bytesRead;
      if (n > MAX_CA_FILE_BYTES) throw fail(file, `it is larger than ${MAX_CA_FILE_BYTES / 1024 / 1024} MB`);
    }
    bytes = buf.subarray(0, n);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw fail(file, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
  } finally {
    await handle.close().catch(() => {});
  }
  const blocks = bytes.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw fail(file, 'it contains no PEM certificate');
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch {
      throw fail(file, 'it contains a certificate that cannot be read');
    }
  }
  return blocks.join('\n');
}

/** The connection options with the CA file's certificates loaded (once), so the same bytes decide trust and the password's binding. */
export async function withCaPem<T extends { caFile?: string; caPem?: string }>(o: T): Promise<T> {
  if (!o.caFile || o.caPem !== undefined) return o;
  return { ...o, caPem: await readCaFile(o.caFile) };
}
