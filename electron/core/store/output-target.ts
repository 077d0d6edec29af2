// Checks, before anything connects, that a file can be written where the user asked: its folder
// exists, is a folder and is writable. Never creates the user's folders (only our own config folder).
import { promises as fs, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';

/** "/home/a/x" → "~/x", so messages show the path the way the user typed it. */
export function displayPath(p: string): string {
  const home = os.homedir();
  const abs = path.resolve(p);
  return home && (abs === home || abs.startsWith(home + path.sep)) ? `~${abs.slice(home.length)}` : abs;
}

/** Why `file` cannot be written (a sentence naming the folder or file at fault), or undefined. */
export async function outputProblem(file: string, what = 'the calendar'): Promise<string | undefined> {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const stat = await fs.stat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (stat instanceof Error) {
    if (stat.code === 'ENOENT' || stat.code === 'ENOTDIR') return `the folder ${displayPath(dir)} does not exist; create it, or choose another place for ${what} (${displayPath(abs)})`;
    return `the folder ${displayPath(dir)} cannot be read (${stat.code ?? stat.message})`;
  }
  if (!stat.isDirectory()) return `${displayPath(dir)} is not a folder, so ${what} (${displayPath(abs)}) cannot be written there`;
  const target = await fs.stat(abs).catch(() => undefined);
  if (target?.isDirectory()) return `${displayPath(abs)} is a folder, not a file; choose a file name for ${what}`;
  // A new file needs a writable folder (the atomic replace writes a temp file next to it).
  try {
    await fs.access(dir, constants.W_OK);
  } catch {
    return `the folder ${displayPath(dir)} is not writable, so ${what} (${displayPath(abs)}) cannot be written`;
  }
  return undefined;
}

/** Throws OUTPUT_FAILED with the reason when `file` cannot be written. */
export async function assertWritableOutput(file: string, what = 'the calendar'): Promise<void> {
  const problem = await outputProblem(file, what);
  if (problem) throw new AppError('OUTPUT_FAILED', `Cannot write ${what}: ${problem}. Nothing was written.`, { file });
}

/** Why a folder of ours (e.g. the configuration folder) could not be created, or undefined. */
export async function creatableDirProblem(dir: string): Promise<string | undefined> {
  let cur = path.resolve(dir);
  for (;;) {
    const stat = await fs.stat(cur).catch(() => undefined);
    if (stat) {
      if (!stat.isDirectory()) return `${displayPath(cur)} is not a folder, so ${displayPath(dir)} cannot be created`;
      try {
        await fs.access(cur, constants.W_OK);
        return undefined;
      } catch {
        return cur === path.resolve(dir) ? `the folder ${displayPath(cur)} is not writable` : `the folder ${displayPath(cur)} is not writable, so ${displayPath(dir)} cannot be created`;
      }
    }
    const up = path.dirname(cur);
    if (up === cur) return `${displayPath(dir)} cannot be created`;
    cur = up;
  }
}
