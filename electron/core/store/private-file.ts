// Creates the cache database file private to the user before SQLite opens it: the directory 0700
// when mailbox2ics creates it, the file 0600 (SQLite gives -wal and -shm the database's own mode).
// Never loosens a mode and never writes content.
import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

/** The cache directory, when mailbox2ics creates it: every invitation's text and sender are inside. */
export const CACHE_DIR_MODE = 0o700;
/** The database and its -wal and -shm files. */
export const CACHE_FILE_MODE = 0o600;

export function preparePrivateDatabase(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: CACHE_DIR_MODE });
  const fd = openSync(file, 'a', CACHE_FILE_MODE);
  try {
    // Also tightens a database an earlier version created 0644.
    fchmodSync(fd, CACHE_FILE_MODE);
  } finally {
    closeSync(fd);
  }
  for (const side of ['-wal', '-shm']) if (existsSync(file + side)) chmodSync(file + side, CACHE_FILE_MODE);
}
