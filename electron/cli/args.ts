// Parses and validates the command line (the 2007 script's flags plus the new ones) into a plan.
// Never connects or reads mail: every usage error is found here, before any network traffic.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultCachePath } from '../core/store/cache.ts';
import { normalizeFingerprint } from '../core/imap/pinned-transport.ts';
import { AppError } from '../core/errors.ts';
import type { ComponentType } from '../core/ical/build-calendar.ts';
import type { CancelledPolicy } from '../core/ical/merge.ts';
import type { Security } from '../core/imap/connect.ts';
import { DEFAULT_MAX_PART_BYTES } from '../core/limits.ts';
import { buildServerFilter, parseHeaderFilter, type ServerFilter } from '../core/filters/server-filter.ts';
import { buildEventFilter, type EventFilter } from '../core/filters/event-filter.ts';
import { NAME_PATTERN, type ProfileFilters } from '../shared/config-schema.ts';
import { defaultConfigPath } from '../core/config/config-file.ts';

export interface CliPlan {
  mode: 'imap' | 'local' | 'list-folders' | 'profiles' | 'serve' | 'login' | 'logout' | 'help' | 'version';
  /** login / logout: the configured account, and how to sign in. */
  account?: string;
  loginMethod?: 'browser' | 'device' | 'no-browser';
  /** --config FILE: run its profiles (mode 'profiles'), or with --save-profile store this run as one. */
  configFile?: string;
  profile?: string;
  saveProfile?: string;
  /** The filters as written, for --save-profile. */
  filterSpec: ProfileFilters;
  host?: string;
  username?: string;
  folders: string[];
  port?: number;
  security: Security;
  caFile?: string;
  pinnedFingerprint?: string;
  password?: string;
  savePassword: boolean;
  output?: string;
  reportJson?: string;
  verbose: boolean;
  quiet: boolean;
  include: Set<ComponentType>;
  cancelled: CancelledPolicy;
  maxPartBytes: number;
  /** --command-timeout / --run-timeout, ms (defaults in core/limits.ts). */
  commandTimeoutMs?: number;
  runTimeoutMs?: number;
  maildirs: string[];
  mboxes: string[];
  emlFiles: string[];
  serverFilter: ServerFilter;
  eventFilter: EventFilter;
  /** Cache file, or undefined with --no-cache. */
  cacheFile?: string;
  full: boolean;
}

export const USAGE = `Usage: mailbox2ics [options] hostname username mailbox [mailbox...]
       mailbox2ics sync --config FILE [--profile NAME] [--full] [-v|-q]
       mailbox2ics serve --config FILE
       mailbox2ics login --account NAME [--config FILE] [--device | --no-browser]
       mailbox2ics logout --account NAME [--config FILE]
       mailbox2ics --list-folders [options] hostname username
       mailbox2ics [options] --maildir DIR | --mbox FILE | FILE.eml...

Merges the calendar invitations found in IMAP folders (or local mail) into one iCalendar feed.

Connection:
  --port N               server port (default 993 for TLS, 143 with --starttls)
  --starttls             connect in plain text and require STARTTLS
  --insecure-plaintext   no encryption at all (password sent in clear text!)
  --ca-file PEM          also trust the CA or self-signed certificate(s) in this file
  --pin-sha256 FP        trust exactly the one server certificate with this SHA-256
                         fingerprint (as shown in the "not trusted" error), nothing else
  -p, --password PW      password (visible to other users in the process list; prefer
                         MAILBOX2ICS_PASSWORD, the OS keychain, or the prompt)
  --save-password        store a prompted password in the OS keychain
  --command-timeout T    give up on a server that has not finished one command after T
                         (default 10m; 90s, 10m, 1h)
  --run-timeout T        give up on a server after T for the whole run (default 1h)
Output:
  -o, --output FILE      write the calendar to FILE atomically (default: stdout)
  --report-json FILE     write the run report as JSON
  --list-folders         print the folder tree and exit
Merge:
  --include TYPES        also include VTODO and/or VJOURNAL (comma-separated; VEVENT always)
  --cancelled MODE       remove (default) or keep cancelled events as STATUS:CANCELLED
  --max-part-size SIZE   skip calendar parts larger than SIZE (default 10MB)
Filters (checked before connecting):
  --from TEXT, --to TEXT, --subject TEXT
                         only messages whose header contains TEXT (server-side SEARCH)
  --since DATE, --before DATE
                         only messages received in that range (YYYY-MM-DD)
  --header NAME:VALUE    only messages with that header; repeatable
  --allow-sender ADDR    only messages from this address or domain; repeatable
  --window=FROM..TO      only events with an occurrence in the window (--window=-30d..+365d,
                         2026-01-01..2026-12-31; open ends allowed: ..+90d)
  --match FIELD=PATTERN  keep events whose FIELD matches (RE2 regular expression,
                         case-insensitive, no backreferences or lookaround; or glob:PATTERN);
                         fields: summary, location, organizer, attendee, description,
                         categories; repeatable (all must match)
  --exclude FIELD=PATTERN
                         drop events whose FIELD matches; repeatable
Cache (incremental sync):
  --full                 rescan every folder, ignoring what the cache knows
  --cache-dir DIR        keep the cache in DIR (default: the user's data directory)
  --no-cache             stateless: scan everything, remember nothing
Local sources:
  --maildir DIR          read a Maildir (and its Maildir++ subfolders); repeatable
  --mbox FILE            read an mbox file; repeatable
Configuration (accounts and sync profiles; never a password):
  --config FILE          with "sync": run the file's profiles (all, or --profile NAME)
  --profile NAME         run only this profile
  --save-profile NAME    with the positional form: after a successful run, store the
                         account, folders, filters and -o output in --config FILE as NAME
Service (no window; for servers and machines without a desktop):
  serve --config FILE    sync every profile on its schedule and serve the local feed if
                         the file enables it; logs to stderr; stops cleanly on SIGTERM
OAuth2 sign-in (accounts with "auth": {"kind": "oauth2", ...}; sync and serve never prompt):
  login --account NAME   sign in through the system browser (default config file unless
                         --config FILE); only the refresh token is kept, in the keychain
  --device               sign in on another device: prints a URL and a code
  --no-browser           print the sign-in URL instead of opening it; the answer comes back
                         to 127.0.0.1 on the printed port (usable through ssh -L)
  logout --account NAME  revoke the sign-in at the provider and forget it
Other:
  -v, --verbose          progress on stderr
  -q, --quiet            only errors on stderr
  -h, --help             this help
  --version              print the version

Password sources, first found wins: -p, MAILBOX2ICS_PASSWORD, the OS keychain entry
saved for these exact connection settings (service "mailbox2ics"), a prompt on a terminal.
With --config (sync, serve): MAILBOX2ICS_PASSWORD_<ACCOUNT> (the account name in upper
case, other characters than A-Z and 0-9 as "_"), the account's keychain entry, then
MAILBOX2ICS_PASSWORD only if the file has exactly one account; a prompt on a terminal.
Exit codes: 0 written; 2 usage/configuration; 3 connection, TLS or login; 4 folder not found.
`;

function usage(message: string): AppError {
  return new AppError('USAGE', `${message}\nRun "mailbox2ics --help" for usage.`);
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (!m) throw usage(`--max-part-size "${text}" is not a size (examples: 500KB, 10MB)`);
  const mult: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
  const n = Math.floor(Number(m[1]) * mult[(m[2] ?? 'b').toLowerCase()]);
  if (n < 1) throw usage('--max-part-size must be at least 1 byte');
  return n;
}

/** "90s", "10m", "1h", "500ms" or plain seconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(text.trim());
  if (!m) throw usage(`--${flag} "${text}" is not a duration (examples: 90s, 10m, 1h)`);
  const mult: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const n = Math.round(Number(m[1]) * mult[(m[2] ?? 's').toLowerCase()]);
  if (n < 100) throw usage(`--${flag} must be at least 100ms`);
  return n;
}

export function parseCliArgs(argv: string[]): CliPlan {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        password: { type: 'string', short: 'p' },
        port: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        quiet: { type: 'boolean', short: 'q' },
        output: { type: 'string', short: 'o' },
        starttls: { type: 'boolean' },
        'insecure-plaintext': { type: 'boolean' },
        'ca-file': { type: 'string' },
        'pin-sha256': { type: 'string' },
        'list-folders': { type: 'boolean' },
        include: { type: 'string' },
        cancelled: { type: 'string' },
        'report-json': { type: 'string' },
        'save-password': { type: 'boolean' },
        'max-part-size': { type: 'string' },
        'command-timeout': { type: 'string' },
        'run-timeout': { type: 'string' },
        maildir: { type: 'string', multiple: true },
        from: { type: 'string' },
        to: { type: 'string' },
        subject: { type: 'string' },
        since: { type: 'string' },
        before: { type: 'string' },
        header: { type: 'string', multiple: true },
        'allow-sender': { type: 'string', multiple: true },
        window: { type: 'string' },
        full: { type: 'boolean' },
        'cache-dir': { type: 'string' },
        'no-cache': { type: 'boolean' },
        match: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        mbox: { type: 'string', multiple: true },
        config: { type: 'string' },
        profile: { type: 'string' },
        account: { type: 'string' },
        device: { type: 'boolean' },
        'no-browser': { type: 'boolean' },
        'save-profile': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (err) {
    const msg = (err as Error).message;
    const flag = /Option '(--[\w-]+)'.*ambiguous/.exec(msg)?.[1];
    // node:util refuses "--window -30d..": a value starting with "-" must be attached with "=".
    throw usage(flag ? `${flag}: a value starting with "-" must be attached: write it as ${flag}=VALUE (e.g. --window=-30d..+365d)` : msg);
  }
  const v = parsed.values;
  const pos = parsed.positionals;
  const include = new Set<ComponentType>(['VEVENT']);
  for (const t of (v.include ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean)) {
    if (t !== 'VEVENT' && t !== 'VTODO' && t !== 'VJOURNAL') throw usage(`--include: unknown component type "${t}" (allowed: VEVENT, VTODO, VJOURNAL)`);
    include.add(t);
  }
  const cancelled = (v.cancelled ?? 'remove').toLowerCase();
  if (cancelled !== 'remove' && cancelled !== 'keep') throw usage(`--cancelled must be "remove" or "keep", not "${v.cancelled}"`);
  if (v.starttls && v['insecure-plaintext']) throw usage('--starttls and --insecure-plaintext cannot be combined');
  if (v.verbose && v.quiet) throw usage('--verbose and --quiet cannot be combined');
  let port: number | undefined;
  if (v.port !== undefined) {
    port = Number(v.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw usage(`--port "${v.port}" is not a port number (1-65535)`);
  }
  if (v['ca-file'] && !existsSync(v['ca-file'])) throw new AppError('CONFIG', `--ca-file: ${v['ca-file']} does not exist`, { file: v['ca-file'] });
  let pinnedFingerprint: string | undefined;
  if (v['pin-sha256'] !== undefined) {
    pinnedFingerprint = normalizeFingerprint(v['pin-sha256']);
    if (!pinnedFingerprint) throw usage(`--pin-sha256 "${v['pin-sha256']}" is not a SHA-256 fingerprint (64 hex digits, colons optional)`);
    if (v['insecure-plaintext']) throw usage('--pin-sha256 needs TLS or --starttls, not --insecure-plaintext');
  }
  const base: CliPlan = {
    mode: 'imap',
    folders: [],
    port,
    security: v.starttls ? 'starttls' : v['insecure-plaintext'] ? 'plaintext' : 'tls',
    caFile: v['ca-file'],
    pinnedFingerprint,
    password: v.password,
    savePassword: !!v['save-password'],
    output: v.output,
    reportJson: v['report-json'],
    verbose: !!v.verbose,
    quiet: !!v.quiet,
    include,
    cancelled,
    maxPartBytes: v['max-part-size'] ? parseSize(v['max-part-size']) : DEFAULT_MAX_PART_BYTES,
    commandTimeoutMs: v['command-timeout'] ? parseDuration('command-timeout', v['command-timeout']) : undefined,
    runTimeoutMs: v['run-timeout'] ? parseDuration('run-timeout', v['run-timeout']) : undefined,
    maildirs: v.maildir ?? [],
    mboxes: v.mbox ?? [],
    emlFiles: [],
    filterSpec: Object.fromEntries(Object.entries({
      from: v.from, to: v.to, subject: v.subject, since: v.since, before: v.before,
      headers: v.header?.map(parseHeaderFilter), allowSenders: v['allow-sender'],
      window: v.window, match: v.match, exclude: v.exclude,
    }).filter(([, x]) => x !== undefined)) as ProfileFilters,
    serverFilter: buildServerFilter({
      from: v.from, to: v.to, subject: v.subject, since: v.since, before: v.before,
      headers: (v.header ?? []).map(parseHeaderFilter), allowSenders: v['allow-sender'],
    }),
    eventFilter: buildEventFilter({ window: v.window, match: v.match, exclude: v.exclude }),
    cacheFile: v['no-cache'] ? undefined : v['cache-dir'] ? path.join(v['cache-dir'], 'cache.sqlite') : defaultCachePath(),
    full: !!v.full,
  };
  if (v['no-cache'] && (v['cache-dir'] || v.full)) throw usage('--no-cache cannot be combined with --cache-dir or --full');
  if (v.help) return { ...base, mode: 'help' };
  if (v.version) return { ...base, mode: 'version' };
  for (const [flag, name] of [['profile', v.profile], ['save-profile', v['save-profile']]] as const) {
    if (name === undefined) continue;
    if (!v.config) throw usage(`--${flag} needs --config FILE`);
    if (!NAME_PATTERN.test(name)) throw usage(`--${flag} "${name}": names use letters, digits, ".", "_" and "-", starting with a letter or digit`);
  }
  if (pos[0] === 'login' || pos[0] === 'logout') {
    const mode = pos[0];
    if (pos.length > 1) throw usage(`unexpected "${pos[1]}" after ${mode}`);
    if (!v.account) throw usage(`${mode} needs --account NAME (an OAuth2 account of the configuration)`);
    if (!NAME_PATTERN.test(v.account)) throw usage(`--account "${v.account}": names use letters, digits, ".", "_" and "-", starting with a letter or digit`);
    if (v.device && v['no-browser']) throw usage('--device and --no-browser are two ways to sign in: choose one');
    if (mode === 'logout' && (v.device || v['no-browser'])) throw usage('--device and --no-browser are for login');
    const allowed = new Set(['config', 'account', 'device', 'no-browser', 'verbose', 'quiet', 'cache-dir', 'no-cache']);
    const clash = Object.keys(v).find((k) => !allowed.has(k) && v[k as keyof typeof v] !== undefined);
    if (clash) throw usage(`--${clash} cannot be combined with ${mode}`);
    return { ...base, mode, configFile: v.config ?? defaultConfigPath(), account: v.account, loginMethod: v.device ? 'device' : v['no-browser'] ? 'no-browser' : 'browser' };
  }
  if (v.account !== undefined || v.device || v['no-browser']) throw usage('--account, --device and --no-browser are for: mailbox2ics login --account NAME');
  if (pos[0] === 'serve') {
    if (!v.config) throw usage('serve needs --config FILE');
    if (pos.length > 1) throw usage(`unexpected "${pos[1]}" after serve`);
    const allowed = new Set(['config', 'cache-dir', 'no-cache', 'verbose', 'quiet']);
    const clash = Object.keys(v).find((k) => !allowed.has(k) && v[k as keyof typeof v] !== undefined);
    if (clash) throw usage(`--${clash} cannot be combined with serve: set it in ${v.config}`);
    return { ...base, mode: 'serve', configFile: v.config };
  }
  if (v.config && v['save-profile'] === undefined) {
    // sync --config FILE: everything about the run comes from the file.
    const extra = pos[0] === 'sync' ? pos.slice(1) : pos;
    if (extra.length) throw usage(`unexpected "${extra[0]}": with --config the accounts and folders come from the file (write: mailbox2ics sync --config FILE [--profile NAME])`);
    const fileOnly = ['port', 'starttls', 'insecure-plaintext', 'ca-file', 'pin-sha256', 'password', 'save-password', 'output', 'include', 'cancelled', 'max-part-size', 'command-timeout', 'run-timeout', 'maildir', 'mbox', 'from', 'to', 'subject', 'since', 'before', 'header', 'allow-sender', 'window', 'match', 'exclude', 'list-folders', 'report-json'] as const;
    const clash = fileOnly.find((k) => v[k] !== undefined);
    if (clash) throw usage(`--${clash} cannot be combined with --config: set it in the profile or account in ${v.config}`);
    return { ...base, mode: 'profiles', configFile: v.config, profile: v.profile };
  }
  if (v['save-profile'] !== undefined && !v.output) throw usage('--save-profile needs -o FILE: a profile always writes its calendar to a file');
  const local = base.maildirs.length > 0 || base.mboxes.length > 0 || (pos.length > 0 && pos.every((p) => /\.(eml|msg822|txt)$/i.test(p) && existsSync(p)));
  if (local) {
    if (v['save-profile'] !== undefined) throw usage('--save-profile stores an IMAP account and folders; it does not apply to local files');
    if (v['list-folders']) throw usage('--list-folders needs a server, not local files');
    if (!base.serverFilter.isEmpty) throw usage('--from/--to/--subject/--since/--before/--header/--allow-sender are IMAP SEARCH filters; they need a server, not local files');
    return { ...base, mode: 'local', emlFiles: pos };
  }
  if (v['save-profile'] !== undefined && v['list-folders']) throw usage('--save-profile stores an IMAP account and folders; it does not apply to local files or --list-folders');
  if (v['list-folders']) {
    if (pos.length !== 2) throw usage('--list-folders needs exactly: hostname username');
    return { ...base, mode: 'list-folders', host: pos[0], username: pos[1] };
  }
  if (pos.length < 3) throw usage(pos.length === 0 ? 'missing hostname, username and mailbox' : `missing ${pos.length === 1 ? 'username and mailbox' : 'mailbox'}`);
  return { ...base, host: pos[0], username: pos[1], folders: pos.slice(2), configFile: v.config, saveProfile: v['save-profile'] };
}
