// Seeds a test Dovecot's mail by writing Maildir folders and message files straight to disk (fast, synchronous).
// Test-only: never talks IMAP, never writes outside its two roots, never leaves a file owned by someone Dovecot cannot read.
import { chownSync, mkdirSync, readdirSync, renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PUBLIC_PREFIX, delimiterOf, type MailLayout } from './dovecot-config.ts';

export interface SeedOptions {
  /** IMAP system flags, e.g. ['\\Seen', '\\Flagged']. */
  flags?: string[];
  /** INTERNALDATE (the file's mtime). Default: now. */
  date?: Date;
}

export interface SeedItem extends SeedOptions {
  raw: string | Buffer;
}

const FLAG_LETTERS: Record<string, string> = { '\\Draft': 'D', '\\Flagged': 'F', '\\Answered': 'R', '\\Seen': 'S', '\\Deleted': 'T' };

/** Modified UTF-7 (RFC 3501 §5.1.3): how Dovecot 2.3 names folder directories on disk. */
export function encodeMailboxName(name: string): string {
  return name.replace(/&/g, '\u0000').replace(/[^\u0000\u0020-\u007e]+/g, (run) => {
    const utf16 = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++) utf16.writeUInt16BE(run.charCodeAt(i), i * 2);
    return '&' + utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
  }).replace(/\u0000/g, '&-');
}

function infoFlags(flags: string[] = []): string {
  return flags
    .map((f) => {
      const letter = FLAG_LETTERS[f];
      if (!letter) throw new Error(`addMessage: unsupported flag ${f} (only ${Object.keys(FLAG_LETTERS).join(' ')})`);
      return letter;
    })
    .sort()
    .join('');
}

export class MaildirStore {
  readonly delimiter: '/' | '.';
  private seq = 0;
  private readonly stamp = Math.floor(Date.now() / 1000);

  constructor(
    private readonly layout: MailLayout,
    /** The user's ~/Maildir (holds INBOX). */
    private readonly privateRoot: string,
    private readonly publicRoot: string,
    /** Owner for every dir and file written; undefined = leave as the current user. */
    private readonly owner: { uid: number; gid: number } | undefined,
  ) {
    this.delimiter = delimiterOf(layout);
    this.mkdirOwned(privateRoot);
    this.mkdirOwned(publicRoot);
    this.createFolder('INBOX');
  }

  /** Directory of a folder: INBOX is the private root; "Public Folders<sep>…" lives in the public root. */
  folderDir(name: string): string {
    if (name.toUpperCase() === 'INBOX') return this.privateRoot;
    const publicPrefix = PUBLIC_PREFIX + this.delimiter;
    const isPublic = name.startsWith(publicPrefix);
    const root = isPublic ? this.publicRoot : this.privateRoot;
    const parts = (isPublic ? name.slice(publicPrefix.length) : name).split(this.delimiter);
    for (const p of parts) {
      if (!p || p === '.' || p === '..' || p.includes('/')) throw new Error(`Invalid folder name for ${this.layout} layout: "${name}"`);
    }
    const encoded = parts.map(encodeMailboxName);
    return this.layout === 'fs' ? path.join(root, ...encoded) : path.join(root, '.' + encoded.join('.'));
  }

  /** Makes the folder a real Maildir (cur/new/tmp). Parents stay \Noselect unless created too. Idempotent. */
  createFolder(name: string): string {
    const dir = this.folderDir(name);
    for (const sub of ['cur', 'new', 'tmp']) this.mkdirOwned(path.join(dir, sub));
    return dir;
  }

  add(folder: string, raw: string | Buffer, opts: SeedOptions = {}): void {
    this.write(this.createFolder(folder), raw, opts);
  }

  addMany(folder: string, items: SeedItem[]): void {
    const dir = this.createFolder(folder);
    for (const item of items) this.write(dir, item.raw, item);
  }

  /** Message files of a folder (cur/ and new/), in filename = delivery = UID order. */
  messageFiles(folder: string): string[] {
    const dir = this.folderDir(folder);
    const files = ['cur', 'new'].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(sub, f)));
    return files.sort((a, b) => path.basename(a).localeCompare(path.basename(b))).map((f) => path.join(dir, f));
  }

  /** Deletes one message file (by index in filename order) or all of them, as if another client expunged. */
  remove(folder: string, index: number | 'all'): void {
    const files = this.messageFiles(folder);
    if (index === 'all') return files.forEach((f) => unlinkSync(f));
    const file = files[index];
    if (!file) throw new Error(`removeMessageFile: folder "${folder}" has ${files.length} messages, no index ${index}`);
    unlinkSync(file);
  }

  private write(dir: string, raw: string | Buffer, opts: SeedOptions): void {
    const data = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const info = infoFlags(opts.flags);
    // <secs>.M<seq>P<pid>: one fixed second and a zero-padded counter keep name order = seeding order = UID order.
    this.seq += 1;
    const base = `${this.stamp}.M${String(this.seq).padStart(8, '0')}P${process.pid}.mailbox2ics,S=${data.length}`;
    const tmp = path.join(dir, 'tmp', base);
    writeFileSync(tmp, data);
    if (this.owner) chownSync(tmp, this.owner.uid, this.owner.gid);
    if (opts.date) utimesSync(tmp, opts.date, opts.date);
    renameSync(tmp, path.join(dir, 'cur', `${base}:2,${info}`));
  }

  private mkdirOwned(dir: string): void {
    const first = mkdirSync(dir, { recursive: true });
    if (!first || !this.owner) return;
    // chown every directory this call created, from the first new one down to dir.
    for (let d = dir; ; d = path.dirname(d)) {
      chownSync(d, this.owner.uid, this.owner.gid);
      if (d === first || d === path.dirname(d)) break;
    }
  }
}
