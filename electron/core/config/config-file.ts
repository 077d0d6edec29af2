// Reads, validates and writes the configuration file. Every problem is reported with its path in
// the file ("profiles.team.filters.window: …"), all of them at once, before anything connects.
// Writes are atomic, private (0600, the directory 0700 when created) and keep the previous version
// as FILE.bak; a write based on an older text never replaces a newer one (see config-update.ts).
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { CONFIG_VERSION, ConfigSchema, type Config, type Profile } from '../../shared/config-schema.ts';
import { AppError } from '../errors.ts';
import { parseFieldTest, parseWindow } from '../filters/event-filter.ts';
import { buildServerFilter, parseDate, parseHeaderFilter } from '../filters/server-filter.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { creatableDirProblem } from '../store/output-target.ts';

export interface ConfigIssue {
  /** Dotted path in the file, e.g. "profiles.team.filters.window". */
  path: string;
  message: string;
}

function dotted(p: ReadonlyArray<PropertyKey>): string {
  return p.map(String).join('.') || '(top level)';
}

function zodIssues(error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ path: dotted([...i.path, k]), message: 'unknown field' });
    } else {
      out.push({ path: dotted(i.path), message: i.message });
    }
  }
  return out;
}

// The filter parsers word their errors for the command line ("--window "x": …"); in a file the path says which field.
const strip = (e: unknown) => (e as Error).message.replace(/^--[\w-]+ /, '');

/** Checks what the schema cannot: dates, regular expressions, windows, addresses. */
export function semanticIssues(cfg: Config, now = new Date()): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const check = (p: string, fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      out.push({ path: p, message: strip(e) });
    }
  };
  for (const [name, acc] of Object.entries(cfg.accounts)) {
    if (acc.pinnedFingerprint && acc.security === 'plaintext') out.push({ path: `accounts.${name}.pinnedFingerprint`, message: 'a pinned certificate needs security "tls" or "starttls"' });
  }
  for (const [name, p] of Object.entries(cfg.profiles)) {
    const base = `profiles.${name}.filters`;
    const f = p.filters;
    const dateOk = (['since', 'before'] as const).every((key) => {
      const v = f[key];
      const before = out.length;
      if (v !== undefined) check(`${base}.${key}`, () => parseDate(v, `--${key}`));
      return out.length === before;
    });
    if (dateOk) check(`${base}.before`, () => buildServerFilter({ since: f.since, before: f.before }));
    (f.headers ?? []).forEach((h, i) => check(`${base}.headers.${i}.name`, () => parseHeaderFilter(`${h.name}:${h.value}`)));
    (f.allowSenders ?? []).forEach((a, i) => check(`${base}.allowSenders.${i}`, () => buildServerFilter({ allowSenders: [a] })));
    if (f.window !== undefined) check(`${base}.window`, () => parseWindow(f.window!, now));
    for (const key of ['match', 'exclude'] as const) (f[key] ?? []).forEach((m, i) => check(`${base}.${key}.${i}`, () => parseFieldTest(m, `--${key}`)));
  }
  return out;
}

/** Parses and validates file text. Throws one CONFIG error listing every issue with its path. */
export function parseConfig(text: string, file: string, now = new Date()): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = Number(/position (\d+)/.exec(msg)?.[1]);
    let where = '';
    if (Number.isFinite(pos)) {
      const before = text.slice(0, pos).split('\n');
      where = ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
    }
    throw new AppError('CONFIG', `${file}: not valid JSON${where}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, { file });
  }
  const version = (raw as { version?: unknown })?.version;
  if (typeof version === 'number' && version > CONFIG_VERSION) {
    throw new AppError('CONFIG', `${file} was written by a newer mailbox2ics (configuration version ${version}); this one reads version ${CONFIG_VERSION}. Nothing was changed.`, { file });
  }
  const parsed = ConfigSchema.safeParse(raw);
  const issues = parsed.success ? semanticIssues(parsed.data, now) : zodIssues(parsed.error);
  if (issues.length) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    throw new AppError('CONFIG', `${file} has ${issues.length} problem${issues.length > 1 ? 's' : ''}:\n${lines}`, { file, issues });
  }
  return parsed.data!;
}

export async function loadConfig(file: string, now = new Date()): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('CONFIG', code === 'ENOENT' ? `The configuration file ${file} does not exist.` : `Cannot read the configuration file ${file}: ${code ?? (err as Error).message}`, { file });
  }
  return parseConfig(text, file, now);
}

/** Why the settings file cannot be saved (its folder cannot be created or written), or undefined. */
export async function configSaveProblem(file: string): Promise<string | undefined> {
  return creatableDirProblem(path.dirname(path.resolve(file)));
}

/** Permission bits of the configuration and its .bak: it names servers, users and feed tokens. */
export const CONFIG_FILE_MODE = 0o600;
/** The configuration directory, when mailbox2ics creates it. */
export const CONFIG_DIR_MODE = 0o700;

/** Thrown (by saveConfig with basedOn) when the file is no longer the text the change was based on. */
export class ConfigChangedError extends Error {
  constructor(readonly file: string) {
    super(`${file} was changed by another program while saving`);
  }
}

/** The file's text, or null when it does not exist. */
export async function readConfigText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    // ENOTDIR: a part of the path is a file; there is no configuration yet, and saving says why it cannot be made.
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw new AppError('CONFIG', `Cannot read the configuration file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file });
  }
}

export interface SaveConfigOptions {
  /** The text the change was based on (null: no file). If the file holds anything else right before the rename, nothing is written and ConfigChangedError is thrown. */
  basedOn?: string | null;
}

/** "Cannot write X: why. The previous file, if any, is unchanged." → "why". */
const writeReason = (err: unknown) => (err as Error).message.replace(/^Cannot write [^:]*: /, '').replace(/\. The previous file, if any, is unchanged\.$/, '');

/** Validates, then replaces the file atomically; the version it replaces is kept as FILE.bak.
 * The configuration folder is ours, so it is created (private to the user) when it is missing. */
export async function saveConfig(file: string, cfg: Config, opts: SaveConfigOptions = {}): Promise<void> {
  const text = JSON.stringify(cfg, null, 2) + '\n';
  parseConfig(text, file); // never write a file we would refuse to read
  const failed = (why: string) => new AppError('SETTINGS_WRITE_FAILED', `Cannot save the settings in ${file}: ${why}. Nothing was changed.`, { file });
  const problem = await configSaveProblem(file);
  if (problem) throw failed(problem);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true, mode: CONFIG_DIR_MODE }).catch((err) => {
    throw failed(`cannot create its folder (${(err as NodeJS.ErrnoException).code ?? err})`);
  });
  await writeFileAtomic(file, text, {
    mode: CONFIG_FILE_MODE,
    beforeRename: async () => {
      const current = await readConfigText(file);
      if (opts.basedOn !== undefined && current !== opts.basedOn) throw new ConfigChangedError(file);
      if (current === null) return;
      await writeFileAtomic(`${file}.bak`, current, { mode: CONFIG_FILE_MODE }).catch((err) => {
        throw failed(`cannot keep a backup as ${file}.bak (${writeReason(err)})`);
      });
    },
  }).catch((err) => {
    if (err instanceof ConfigChangedError || (err instanceof AppError && err.code !== 'OUTPUT_FAILED')) throw err;
    throw failed(writeReason(err));
  });
}

/** "~/x" → home; relative paths are relative to the configuration file's directory. */
export function resolveConfigPath(p: string, configFile: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(os.homedir(), p.slice(1));
  return path.resolve(path.dirname(path.resolve(configFile)), p);
}

/** The default location: the user's configuration directory. */
export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'mailbox2ics', 'config.json');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'mailbox2ics', 'config.json');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'mailbox2ics', 'config.json');
}

export function profileNames(cfg: Config, only?: string): string[] {
  const names = Object.keys(cfg.profiles);
  if (only === undefined) return names;
  if (!(only in cfg.profiles)) {
    throw new AppError('CONFIG', `No profile named "${only}"${names.length ? ` (profiles: ${names.join(', ')})` : ' (the file has no profiles)'}.`, { profile: only });
  }
  return [only];
}

export type { Config, Profile };
