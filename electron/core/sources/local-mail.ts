// Enumerates messages stored locally: Maildir (with Maildir++ subfolders), mbox files, .eml files,
// in a deterministic order. Each message is read as a stream when asked; never holds one whole, never
// writes to the mail store.
import { accessSync, constants, createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

export interface LocalMessage {
  folder: string;
  /** 1-based position within its folder, standing in for an IMAP UID. */
  uid: number;
  file: string;
  /** Bytes of the message. */
  size: number;
  mtime?: Date;
  /** The message's bytes, read in chunks (a 200 MB message is never held whole). */
  open(): AsyncIterable<Buffer>;
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
      const st = statSync(file);
      yield { folder: folder.name, uid, file, size: st.size, mtime: st.mtime, open: () => createReadStream(file) };
    }
  }
}

const FROM_ = Buffer.from('From ');

/** Byte ranges of the messages of an mbox file: after each "From " separator line up to the next one. */
async function mboxRanges(file: string): Promise<Array<{ start: number; end: number }>> {
  const ranges: Array<{ start: number; end: number }> = [];
  let offset = 0; // file offset of buf[0]
  let atLineStart = true;
  let open: number | undefined; // start of the message being read
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const base = offset - carry.length;
    carry = Buffer.alloc(0);
    let pos = 0;
    while (pos < buf.length) {
      if (atLineStart) {
        if (buf.length - pos < FROM_.length) {
          carry = Buffer.from(buf.subarray(pos)); // too short to tell: look again with the next chunk
          break;
        }
        if (buf.subarray(pos, pos + FROM_.length).equals(FROM_)) {
          if (open !== undefined) ranges.push({ start: open, end: base + pos });
          open = -1; // the message starts after this separator line
        }
      }
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0) {
        atLineStart = false;
        break;
      }
      pos = nl + 1;
      atLineStart = true;
      if (open === -1) open = base + pos;
    }
    offset += (chunk as Buffer).length;
  }
  if (open !== undefined && open >= 0) ranges.push({ start: open, end: offset });
  return ranges;
}

/** Undoes mboxrd quoting (">From " → "From ", ">>From " → ">From ") at every line start, chunk by chunk. */
async function* unquoteFrom(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  let atLineStart = true;
  for await (const chunk of chunks) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    carry = Buffer.alloc(0);
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < buf.length) {
      if (atLineStart) {
        let i = pos;
        while (i < buf.length && buf[i] === 0x3e && i - pos < 1000) i++;
        if (i > pos && i - pos < 1000) {
          if (i + FROM_.length > buf.length) {
            carry = Buffer.from(buf.subarray(pos)); // ">>Fro" at the end: decide with the next chunk
            break;
          }
          if (buf.subarray(i, i + FROM_.length).equals(FROM_)) pos += 1;
        }
        atLineStart = false;
      }
      const nl = buf.indexOf(0x0a, pos);
      const end = nl < 0 ? buf.length : nl + 1;
      out.push(buf.subarray(pos, end));
      pos = end;
      atLineStart = nl >= 0;
    }
    if (out.length) yield Buffer.concat(out);
  }
  if (carry.length) yield carry;
}

/** Splits an mbox file on "From " separator lines, undoing ">From " quoting (mboxrd). Streams the file. */
export async function* readMbox(file: string): AsyncGenerator<LocalMessage> {
  if (!existsSync(file)) throw new AppError('SOURCE_UNREADABLE', `mbox file ${file} does not exist.`, { file });
  const folder = path.basename(file);
  const ranges = await mboxRanges(file);
  if (!ranges.length) throw new AppError('SOURCE_UNREADABLE', `${file} is not an mbox file (no "From " separator line).`, { file });
  let uid = 0;
  for (const { start, end } of ranges) {
    uid += 1;
    yield {
      folder, uid, file: `${file}#${uid}`, size: end - start,
      open: () => (end > start ? unquoteFrom(createReadStream(file, { start, end: end - 1 })) : emptyStream()),
    };
  }
}

async function* emptyStream(): AsyncGenerator<Buffer> {}

export function* readEmlFiles(files: string[]): Generator<LocalMessage> {
  let uid = 0;
  for (const file of files) {
    uid += 1;
    let size: number;
    try {
      accessSync(file, constants.R_OK);
      size = statSync(file).size;
    } catch (err) {
      throw new AppError('SOURCE_UNREADABLE', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
    }
    yield { folder: 'files', uid, file, size, open: () => createReadStream(file) };
  }
}
