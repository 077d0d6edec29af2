// Enumerates messages stored locally: Maildir (with Maildir++ subfolders), mbox files, .eml files,
// in a deterministic order. Reads one message at a time; never writes to the mail store.
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

export interface LocalMessage {
  folder: string;
  /** 1-based position within its folder, standing in for an IMAP UID. */
  uid: number;
  file: string;
  raw: Buffer;
  mtime?: Date;
}

function isMaildir(dir: string): boolean {
  return existsSync(path.join(dir, 'cur')) || existsSync(path.join(dir, 'new'));
}

/** Maildir folders under dir: the top level as INBOX and each Maildir++ ".Sub.Folder" beside it. */
export function maildirFolders(dir: string): Array<{ name: string; dir: string }> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AppError('SOURCE_UNREADABLE', `Maildir ${dir} does not exist or is not a directory.`, { file: dir });
  const folders: Array<{ name: string; dir: string }> = [];
  if (isMaildir(dir)) folders.push({ name: 'INBOX', dir });
  for (const entry of readdirSync(dir).sort()) {
    const sub = path.join(dir, entry);
    if (entry.startsWith('.') && entry.length > 1 && statSync(sub).isDirectory() && isMaildir(sub)) {
      folders.push({ name: entry.slice(1).replace(/\./g, '/'), dir: sub });
    }
  }
  if (!folders.length) throw new AppError('SOURCE_UNREADABLE', `${dir} is not a Maildir (no cur/ or new/ directory).`, { file: dir });
  return folders;
}

export function* readMaildir(dir: string): Generator<LocalMessage> {
  for (const folder of maildirFolders(dir)) {
    const files: string[] = [];
    for (const sub of ['cur', 'new']) {
      const d = path.join(folder.dir, sub);
      if (!existsSync(d)) continue;
      for (const f of readdirSync(d)) if (!f.startsWith('.')) files.push(path.join(d, f));
    }
    // Maildir file names start with the delivery time, so name order is arrival order.
    files.sort((a, b) => (path.basename(a) < path.basename(b) ? -1 : path.basename(a) > path.basename(b) ? 1 : 0));
    let uid = 0;
    for (const file of files) {
      uid += 1;
      yield { folder: folder.name, uid, file, raw: readFileSync(file), mtime: statSync(file).mtime };
    }
  }
}

/** Splits an mbox file on "From " separator lines, undoing ">From " quoting (mboxrd). Streams the file. */
export async function* readMbox(file: string): AsyncGenerator<LocalMessage> {
  if (!existsSync(file)) throw new AppError('SOURCE_UNREADABLE', `mbox file ${file} does not exist.`, { file });
  const folder = path.basename(file);
  let uid = 0;
  let lines: Buffer[] = [];
  let started = false;
  let rest = Buffer.alloc(0);
  const flush = function* (): Generator<LocalMessage> {
    if (started && lines.length) {
      uid += 1;
      yield { folder, uid, file: `${file}#${uid}`, raw: Buffer.concat(lines) };
    }
    lines = [];
  };
  for await (const chunk of createReadStream(file)) {
    let buf = Buffer.concat([rest, chunk as Buffer]);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) !== -1) {
      const line = buf.subarray(0, nl + 1);
      buf = buf.subarray(nl + 1);
      if (line.subarray(0, 5).toString('latin1') === 'From ') {
        yield* flush();
        started = true;
        continue;
      }
      if (!started) continue;
      const m = /^>+From /.exec(line.subarray(0, 80).toString('latin1'));
      lines.push(m ? line.subarray(1) : line);
    }
    rest = buf;
  }
  if (rest.length && started) lines.push(rest);
  yield* flush();
  if (uid === 0) throw new AppError('SOURCE_UNREADABLE', `${file} is not an mbox file (no "From " separator line).`, { file });
}

export function* readEmlFiles(files: string[]): Generator<LocalMessage> {
  let uid = 0;
  for (const file of files) {
    uid += 1;
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch (err) {
      throw new AppError('SOURCE_UNREADABLE', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
    }
    yield { folder: 'files', uid, file, raw };
  }
}
