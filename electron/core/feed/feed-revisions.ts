// Each served feed file's current revision in memory: its bytes, ETag and Last-Modified, read once per
// revision. A watch on the file's folder drops a revision when the file changes (any writer, any
// process), and a metadata check at most every recheckMs catches what a watch can miss. Never writes.
import { createHash } from 'node:crypto';
import { watch, promises as fs, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface FeedRevision {
  data: Buffer;
  etag: string;
  /** The file's modification time, whole seconds (what HTTP dates can say). */
  lastModified: Date;
  lastModifiedText: string;
}

/** The file access a revision needs (tests count the calls; the real one is node:fs). */
export interface RevisionFs {
  stat(file: string): Promise<{ ino: bigint; size: bigint; mtimeNs: bigint; mtimeMs: bigint }>;
  read(file: string): Promise<{ data: Buffer; stat: { ino: bigint; size: bigint; mtimeNs: bigint; mtimeMs: bigint } }>;
}

const realFs: RevisionFs = {
  stat: (file) => fs.stat(file, { bigint: true }),
  async read(file) {
    // One open file: the bytes and the times describe the same revision even if a writer renames a new one in.
    const h = await fs.open(file, 'r');
    try {
      const stat = await h.stat({ bigint: true });
      return { data: await h.readFile(), stat };
    } finally {
      await h.close();
    }
  },
};

interface Entry {
  rev?: FeedRevision;
  stamp?: string;
  /** When the revision was last known to be the file's (revision read, or metadata unchanged). */
  checkedAt: number;
  /** Bumped by the watch: a read that started before a change must not be taken as current. */
  generation: number;
  loading?: Promise<FeedRevision>;
}

const stampOf = (s: { ino: bigint; size: bigint; mtimeNs: bigint }) => `${s.ino}:${s.size}:${s.mtimeNs}`;

export class FeedRevisions {
  private readonly entries = new Map<string, Entry>();
  private readonly watchers = new Map<string, FSWatcher | null>();

  constructor(
    /** How long a revision is served without looking at the disk when no watch says it changed. */
    private readonly recheckMs: number,
    private readonly opts: { fs?: RevisionFs; watch?: boolean; now?: () => number } = {},
  ) {}

  /**
   * The revision held for the file when it is still known current (no change seen, checked within recheckMs),
   * without waiting: a 304 or 200 from memory is answered in the same turn. Otherwise undefined: use get().
   */
  current(file: string): FeedRevision | undefined {
    const e = this.entries.get(file);
    if (!e?.rev || (this.opts.now ?? Date.now)() - e.checkedAt >= this.recheckMs) return undefined;
    return e.rev;
  }

  /** The file's current revision; rejects when it cannot be read (not written yet). */
  async get(file: string): Promise<FeedRevision> {
    const now = (this.opts.now ?? Date.now)();
    let e = this.entries.get(file);
    if (!e) this.entries.set(file, (e = { checkedAt: -Infinity, generation: 0 }));
    this.watchFolder(file);
    if (e.rev && now - e.checkedAt < this.recheckMs) return e.rev;
    if (e.loading) return e.loading;
    const entry = e;
    const load = this.load(file, entry, now).finally(() => {
      if (entry.loading === load) entry.loading = undefined;
    });
    entry.loading = load;
    return load;
  }

  private async load(file: string, e: Entry, now: number): Promise<FeedRevision> {
    const fsApi = this.opts.fs ?? realFs;
    const generation = e.generation;
    if (e.rev && e.stamp) {
      const s = await fsApi.stat(file);
      if (stampOf(s) === e.stamp && e.generation === generation) {
        e.checkedAt = now;
        return e.rev;
      }
    }
    const { data, stat } = await fsApi.read(file);
    const lastModified = new Date(Math.floor(Number(stat.mtimeMs) / 1000) * 1000);
    const rev: FeedRevision = {
      data,
      etag: `"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`,
      lastModified,
      lastModifiedText: lastModified.toUTCString(),
    };
    e.rev = rev;
    e.stamp = stampOf(stat);
    // Changed while being read: serve what was read to this request, read again for the next.
    e.checkedAt = e.generation === generation ? now : -Infinity;
    return rev;
  }

  private watchFolder(file: string): void {
    if (this.opts.watch === false) return;
    const dir = path.dirname(file);
    if (this.watchers.has(dir)) return;
    let w: FSWatcher | null = null;
    try {
      w = watch(dir, { persistent: false }, (_event, name) => this.changed(dir, name ? String(name) : undefined));
      // A folder that goes away ends the watch: the metadata check serves from then on.
      w.on('error', () => {
        w?.close();
        this.watchers.set(dir, null);
        for (const [f, e] of this.entries) if (path.dirname(f) === dir) e.checkedAt = -Infinity;
      });
    } catch {
      w = null; // no folder yet, or no watch on this system: the metadata check alone
    }
    this.watchers.set(dir, w);
  }

  private changed(dir: string, name: string | undefined): void {
    for (const [f, e] of this.entries) {
      if (path.dirname(f) !== dir || (name !== undefined && path.basename(f) !== name)) continue;
      e.generation++;
      e.checkedAt = -Infinity;
    }
  }

  /** Whether a watch covers this file's folder (else every request after recheckMs looks at the disk). */
  watched(file: string): boolean {
    return !!this.watchers.get(path.dirname(file));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Forgets files no longer served (a removed profile's revision is not kept in memory). */
  retain(files: Set<string>): void {
    for (const f of this.entries.keys()) if (!files.has(f)) this.entries.delete(f);
  }

  close(): void {
    for (const w of this.watchers.values()) w?.close();
    this.watchers.clear();
    this.entries.clear();
  }
}
