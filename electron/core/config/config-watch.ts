// Calls back when the configuration file changes on disk (an editor, another process, `--save-profile`),
// debounced. Watches the folder (an atomic save replaces the file, which a watch on the file would lose)
// and polls as a fallback where change events do not arrive (network file systems, a folder made later).
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface ConfigWatcher {
  close(): void;
}

/** Why these values: an editor's save is several writes within a few ms; polling is cheap at 2 s. */
const DEBOUNCE_MS = 150;
const POLL_MS = 2_000;

export function watchConfigFile(file: string, onChange: () => void, opts: { pollMs?: number } = {}): ConfigWatcher {
  const abs = path.resolve(file);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const fire = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onChange();
    }, DEBOUNCE_MS);
    timer.unref?.();
  };
  let dirWatcher: FSWatcher | undefined;
  try {
    dirWatcher = watch(path.dirname(abs), { persistent: false }, (_event, name) => {
      if (!name || name.toString() === path.basename(abs)) fire();
    });
    dirWatcher.on('error', () => {
      dirWatcher?.close();
      dirWatcher = undefined;
    });
  } catch {
    // The folder does not exist yet (first run): the poll below sees the file appear.
  }
  const poll = (cur: { mtimeMs: number; size: number; ino: number }, prev: { mtimeMs: number; size: number; ino: number }) => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) fire();
  };
  watchFile(abs, { persistent: false, interval: opts.pollMs ?? POLL_MS }, poll);
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      dirWatcher?.close();
      unwatchFile(abs, poll);
    },
  };
}
