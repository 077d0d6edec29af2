// What the sync cache says of one folder: which folder and scan settings, the server's state it was
// synced at, and its rows as one consistent read; and the error of a write another process overtook.
/** One folder as seen through one set of scan settings. */
export interface FolderRef {
  account: string;
  folder: string;
  /** Hash of the settings that decide what a scan stores (filters, size limit); see scanKeyOf. */
  scanKey: string;
}

export interface FolderState {
  uidValidity: string;
  /** Absent when the server did not say (RFC 3501 lets EXAMINE omit it): then it proves nothing. */
  uidNext?: number;
  exists: number;
  highestModseq?: string;
}

export interface CachedFolder extends FolderState {
  /** False while a scan from scratch is under way: the rows hold part of the folder only. */
  complete: boolean;
  /** Changes, to a value never used before in this file, whenever the folder's rows (or `complete`) change. */
  revision: number;
  /** Names what the rows give a merge (see contentKey): unchanged while only plain messages come and go. */
  content: string;
}

/** The folder's rows as one consistent read, and the revision they belong to (0: nothing cached). */
export interface CachedRows<T> {
  revision: number;
  /** See CachedFolder.content ('' when nothing is cached). */
  content: string;
  /** False while a scan from scratch is under way (or nothing is cached): the rows are part of the folder only. */
  complete: boolean;
  rows: T;
}

/**
 * Another writer (another process on the same file) changed a folder's rows in a way this sync
 * did not plan for; nothing of the failed write was kept. The sync starts that folder over.
 */
export class CacheConflictError extends Error {
  constructor(ref: FolderRef, why: string) {
    super(`the cached rows of ${ref.folder} changed under this sync (${why})`);
    this.name = 'CacheConflictError';
  }
}
