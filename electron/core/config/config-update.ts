// Read-change-write of a configuration file: one at a time per file in this process (the window's
// saves, the tray's "New link", token creation), and never over a change another process made in
// between: the file is compared right before the rename, and on a change the update is applied
// again to the new content. Never writes a change that was based on a text the file no longer holds.
import path from 'node:path';
import { emptyConfig, type Config } from '../../shared/config-schema.ts';
import { AppError } from '../errors.ts';
import { ConfigChangedError, parseConfig, readConfigText, saveConfig } from './config-file.ts';

/**
 * Attempts before giving up when another process keeps writing the file. Why 5: a person or a cron
 * run writes it a few times a day; five collisions in a row mean something is rewriting it in a loop.
 */
const MAX_ATTEMPTS = 5;

const queues = new Map<string, Promise<unknown>>();

async function attempt<T>(file: string, fn: (cfg: Config) => T): Promise<T> {
  for (let i = 1; ; i++) {
    const base = await readConfigText(file);
    // A fresh copy every time: fn changes it in place, and a retry must start from the new file.
    const cfg = base === null ? emptyConfig() : parseConfig(base, file);
    const out = fn(cfg);
    try {
      await saveConfig(file, cfg, { basedOn: base });
      return out;
    } catch (err) {
      if (!(err instanceof ConfigChangedError)) throw err;
      if (i >= MAX_ATTEMPTS) {
        throw new AppError('CONFIG', `${file} was changed by another program ${MAX_ATTEMPTS} times while saving; nothing was saved. Close the other program (or editor) and try again.`, { file });
      }
    }
  }
}

/** Applies fn to a fresh copy of the file and saves it; the file is untouched if fn or validation throws. */
export function updateConfigFile<T>(file: string, fn: (cfg: Config) => T): Promise<T> {
  const key = path.resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(() => attempt(file, fn), () => attempt(file, fn));
  const tail = run.then(() => undefined, () => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
