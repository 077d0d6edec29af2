// A long-running process's copies of folders' decoded rows (see FolderStore), within one memory
// budget: a copy that would exceed it is not kept, and one that grows past it is dropped.
import type { MessageResult } from '../imap/message-scan.ts';

/** Above this many bytes of cached rows, folders are read from the database on every merge. */
const MIRROR_LIMIT_BYTES = 96 * 1024 * 1024;

export interface Mirror {
  /** undefined: a row over LARGE_ROW_CHARS, read from the file whenever it is needed (a very large
   * part's record would otherwise be held for as long as the process runs). One this process has just
   * written or read ahead is held until it is handed out once, so a sync never reads it twice. */
  rows: Map<number, MessageResult | undefined>;
  content: string;
  complete: boolean;
  /** Each row's size as stored, so replacing or removing one keeps `bytes` right; 0 for a large row. */
  sizes: Map<number, number>;
  bytes: number;
  revision: number;
  /** The data_version at which the revision was last checked against the file. */
  checked: number;
}

/** The mirrors by folder key, and the bytes they hold in all. */
export class FolderMirrors {
  private readonly byKey = new Map<string, Mirror>();
  private bytes = 0;

  get(key: string): Mirror | undefined {
    return this.byKey.get(key);
  }

  /** Replaces (or with undefined, drops) a folder's mirror; one that does not fit the budget is not kept. */
  set(key: string, m: Mirror | undefined): void {
    this.bytes -= this.byKey.get(key)?.bytes ?? 0;
    this.byKey.delete(key);
    if (m && this.bytes + m.bytes <= MIRROR_LIMIT_BYTES) {
      this.byKey.set(key, m);
      this.bytes += m.bytes;
    }
  }

  /** After a write that moved the folder from `before` to `after`: a mirror that was current follows it, any other is dropped. */
  follow(key: string, before: number | undefined, after: number, content: string, change: (m: Mirror) => void): void {
    const m = this.byKey.get(key);
    if (!m) return;
    if (m.revision !== before) {
      this.set(key, undefined);
      return;
    }
    const bytes = m.bytes;
    change(m);
    m.revision = after;
    m.content = content;
    this.bytes += m.bytes - bytes;
    if (this.bytes > MIRROR_LIMIT_BYTES) this.set(key, undefined);
  }
}
