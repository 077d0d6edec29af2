// The headless command: parses flags, finds the password, runs the core sync, writes the feed
// atomically and maps errors to exit codes. On any failure the output file is left untouched.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Account, Config, Profile } from '../shared/config-schema.ts';
import { configSaveProblem, loadConfig, profileNames } from '../core/config/config-file.ts';
import { updateConfigFile } from '../core/config/config-update.ts';
import { planProfile, runProfile } from '../core/config/profile-run.ts';
import { startProfileService } from '../core/sync/profile-service.ts';
import { DEFAULT_MAX_PART_BYTES } from '../core/limits.ts';
import { AppError, errorMessage } from '../core/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';
import { withCaPem } from '../core/imap/ca-file.ts';
import { connectImap, disconnect, type ConnectOptions } from '../core/imap/connect.ts';
import { formatFolderTree, listFolders } from '../core/imap/folders.ts';
import { findAccountPassword, noAccountPassword } from '../core/secrets/account-password.ts';
import { credentialKey } from '../core/secrets/credential-key.ts';
import { keytarStore, type SecretStore } from '../core/secrets/secret-store.ts';
import { writeFileAtomic } from '../core/store/atomic-write.ts';
import { assertWritableOutput } from '../core/store/output-target.ts';
import { IDLE_FEED_WRITE_MS, SyncCache } from '../core/store/cache.ts';
import { WorkerEngine } from '../core/engine/worker-engine.ts';
import { formatSkipped, formatSummary, formatWarning } from '../core/sync/report.ts';
import { syncFromImap, type SyncResult } from '../core/sync/run-sync.ts';
import { syncFromLocal } from '../core/sync/local-sync.ts';
import { parseCliArgs, USAGE, type CliPlan } from './args.ts';
import { withAccountCredential } from '../core/auth/account-auth.ts';
import { login, logout } from './login.ts';
import { TokenManagers } from '../core/auth/token-managers.ts';
import { keychainTokenStore } from '../core/auth/token-store.ts';
import { promptHidden, resolvePassword } from './password.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  openStore: () => Promise<SecretStore>;
  /** The packaged app passes its own: there, no package.json sits two folders above the bundled code. */
  version?: string;
}

const EXIT: Partial<Record<ErrorCode, number>> = {
  USAGE: 2, CONFIG: 2, REFUSED: 2, NO_PASSWORD: 2, KEYCHAIN_UNAVAILABLE: 2, OUTPUT_FAILED: 2, SETTINGS_WRITE_FAILED: 2, SOURCE_UNREADABLE: 2,
  TLS_UNTRUSTED: 3, TLS_HOSTNAME: 3, TLS_FAILED: 3, LOGIN_REJECTED: 3, TOKEN_REJECTED: 3, OAUTH_FAILED: 3, REAUTH_REQUIRED: 5, CONNECTION_REFUSED: 3, CONNECTION_TIMEOUT: 3,
  CONNECTION_LOST: 3, HOST_NOT_FOUND: 3, SERVER_TIMEOUT: 3, SERVER_PROTOCOL: 3, FOLDER_NOT_FOUND: 4,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function connectionFor(plan: CliPlan, io: CliIo, say: (m: string) => void): Promise<ConnectOptions> {
  if (plan.security === 'plaintext') {
    say('WARNING: --insecure-plaintext: the password and all mail data cross the network unencrypted.');
  }
  // The CA file is read once: its content decides the trust and which keychain entry applies.
  const settings = await withCaPem({ host: plan.host!, port: plan.port, security: plan.security, username: plan.username!, caFile: plan.caFile, pinnedFingerprint: plan.pinnedFingerprint });
  const found = await resolvePassword(settings, {
    argvPassword: plan.password,
    env: io.env,
    openStore: io.openStore,
    isTty: !!io.stdin.isTTY,
    prompt: (q) => promptHidden(q, io.stdin, io.stderr as NodeJS.WriteStream),
    note: say,
  });
  if (plan.savePassword) {
    if (found.source !== 'prompt') {
      say('note: --save-password stores only a password typed at the prompt; nothing was saved.');
    } else {
      await (await io.openStore()).set(credentialKey(settings), found.password);
      say(`Password saved in the keychain for ${plan.username}@${plan.host}, for these connection settings only.`);
    }
  }
  return { ...settings, password: found.password };
}

async function run(plan: CliPlan, io: CliIo): Promise<number> {
  const err = (m: string) => io.stderr.write(m + '\n');
  const info = (m: string) => {
    if (!plan.quiet) err(m);
  };
  const verbose = (m: string) => {
    if (plan.verbose) err(m);
  };
  if (plan.mode === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (plan.mode === 'version') {
    io.stdout.write(`mailbox2ics ${io.version ?? version()}\n`);
    return 0;
  }
  if (plan.mode === 'list-folders') {
    const client = await connectImap({ ...(await connectionFor(plan, io, info)), loginTimeoutMs: plan.commandTimeoutMs });
    try {
      io.stdout.write(formatFolderTree(await listFolders(client)));
    } finally {
      await disconnect(client);
    }
    return 0;
  }
  if (plan.mode === 'profiles') return runProfiles(plan, io, { err, info, verbose });
  if (plan.mode === 'serve') return serve(plan, io, info);
  if (plan.mode === 'login') return login(plan, io);
  if (plan.mode === 'logout') return logout(plan, io);
  // Everything that would fail after the run fails now, before a password is asked or a server contacted.
  if (plan.output) await assertWritableOutput(plan.output);
  if (plan.reportJson) await assertWritableOutput(plan.reportJson, 'the report');
  // Read (and validate) a config to update before connecting: a broken file fails fast.
  if (plan.saveProfile && plan.configFile) {
    if (existsSync(plan.configFile)) await loadConfig(plan.configFile);
    const problem = await configSaveProblem(plan.configFile);
    if (problem) throw new AppError('SETTINGS_WRITE_FAILED', `Cannot save the profile in ${plan.configFile}: ${problem}. Nothing was written.`, { file: plan.configFile });
  }
  const settings = { include: plan.include, cancelled: plan.cancelled, maxPartBytes: plan.maxPartBytes, eventFilter: plan.eventFilter };
  let result: SyncResult;
  if (plan.mode === 'local') {
    result = await syncFromLocal({ ...settings, maildirs: plan.maildirs, mboxes: plan.mboxes, emlFiles: plan.emlFiles });
  } else {
    const connect = await connectionFor(plan, io, info);
    verbose(`Connecting to ${connect.host} as ${connect.username} (${connect.security})…`);
    const cache = plan.cacheFile ? new SyncCache(plan.cacheFile, { oneShot: true }) : undefined;
    try {
      result = await syncFromImap({
        ...settings,
        connect,
        folders: plan.folders,
        serverFilter: plan.serverFilter,
        cache,
        full: plan.full,
        commandTimeoutMs: plan.commandTimeoutMs,
        runTimeoutMs: plan.runTimeoutMs,
        onProgress: (p) => verbose(`${p.folder}: ${p.done}/${p.total} messages, ${p.calendarParts} calendar parts`),
      });
    } finally {
      cache?.close();
    }
  }
  if (plan.output) {
    await writeFileAtomic(plan.output, result.ics);
  } else {
    io.stdout.write(result.ics);
  }
  if (plan.reportJson) await writeFileAtomic(plan.reportJson, JSON.stringify(result.report, null, 2) + '\n');
  for (const s of result.report.skipped) info(formatSkipped(s));
  for (const w of result.report.warnings) verbose(formatWarning(w));
  if (plan.verbose) err(formatSummary(result.report));
  else if (!plan.quiet && result.report.skipped.length) err(`${result.report.eventsOut} events written; ${result.report.skipped.length} item(s) skipped (listed above).`);
  if (plan.output) verbose(`Wrote ${plan.output}`);
  if (plan.saveProfile && plan.configFile) {
    await saveAsProfile(plan, plan.configFile, plan.saveProfile);
    info(`Saved profile "${plan.saveProfile}" in ${plan.configFile} (no password is stored there).`);
  }
  return 0;
}

/** mailbox2ics serve --config FILE: the schedule and the feed without a window, until SIGTERM/SIGINT. */
async function serve(plan: CliPlan, io: CliIo, info: (m: string) => void): Promise<number> {
  const log = (l: string) => io.stderr.write(l + '\n');
  // Scans and merges run in a worker thread that owns the cache, so the feed and every other profile
  // keep answering during a long sync. A cache it cannot open is moved aside (kept), never fatal.
  const engine = new WorkerEngine({
    cacheFile: plan.cacheFile, deferFeedWrites: IDLE_FEED_WRITE_MS, log,
    onNotice: (n) => log(`${new Date().toISOString()} cache: ${n}`),
  });
  try {
    const service = await startProfileService({ configFile: plan.configFile!, engine, openSecrets: io.openStore, env: io.env, log, watchConfig: true });
    info(`mailbox2ics ${io.version ?? version()} serving ${plan.configFile}: ${service.scheduler.statuses().map((s) => s.name).join(', ') || 'no profiles'}`);
    for (const [name, u] of Object.entries(service.urls)) info(`feed ${name}: ${u.http}  (${u.webcal})`);
    // The schedule's timers are unref'd; without a feed nothing else would keep the process alive
    // until the signal (it exited at once with code 13, an unsettled top-level await).
    const keepAlive = setInterval(() => {}, 1 << 30);
    const signal = await new Promise<string>((resolve) => {
      for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => resolve(s));
    });
    clearInterval(keepAlive);
    info(`${signal}: stopping (waiting for running syncs to finish)…`);
    await service.stop();
    info('stopped');
    return 0;
  } finally {
    await engine.close();
  }
}

/** Stores the positional run as a profile (and its account, reused when one matches), in the file as it is now. */
async function saveAsProfile(plan: CliPlan, file: string, name: string): Promise<void> {
  await updateConfigFile(file, (cfg) => addProfile(plan, cfg, name));
}

function addProfile(plan: CliPlan, cfg: Config, name: string): void {
  const account = {
    host: plan.host!, port: plan.port, security: plan.security, username: plan.username!,
    caFile: plan.caFile ? path.resolve(plan.caFile) : undefined, pinnedFingerprint: plan.pinnedFingerprint,
  };
  const same = (a: Account) => a.host === account.host && a.username === account.username && a.port === account.port && a.security === account.security;
  let accountName = Object.keys(cfg.accounts).find((k) => same(cfg.accounts[k]));
  if (!accountName) {
    const stem = `${account.username}-${account.host}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 60) || 'account';
    accountName = stem;
    for (let i = 2; accountName in cfg.accounts; i++) accountName = `${stem}-${i}`;
  }
  cfg.accounts[accountName] = JSON.parse(JSON.stringify(account)) as Account;
  const include = [...plan.include] as Profile['include'];
  cfg.profiles[name] = {
    account: accountName,
    folders: plan.folders,
    filters: plan.filterSpec,
    output: path.resolve(plan.output!),
    cancelled: plan.cancelled,
    include,
    ...(plan.maxPartBytes !== DEFAULT_MAX_PART_BYTES ? { maxPartBytes: plan.maxPartBytes } : {}),
    schedule: cfg.profiles[name]?.schedule ?? { enabled: true, intervalMinutes: 10, notifyChanges: false },
  };
}

/** mailbox2ics sync --config FILE [--profile NAME]: every profile runs even if one fails; the exit code is the worst. */
async function runProfiles(plan: CliPlan, io: CliIo, log: { err: (m: string) => void; info: (m: string) => void; verbose: (m: string) => void }): Promise<number> {
  const file = plan.configFile!;
  const cfg = await loadConfig(file);
  const names = profileNames(cfg, plan.profile);
  if (!names.length) throw new AppError('CONFIG', `${file} has no profiles to run.`, { file });
  const plans = names.map((n) => planProfile(cfg, n, file));
  let worst = 0;
  const cache = plan.cacheFile ? new SyncCache(plan.cacheFile, { oneShot: true }) : undefined;
  const tokens = new TokenManagers(keychainTokenStore(io.openStore, log.info));
  try {
    for (const p of plans) {
      try {
        await assertWritableOutput(p.output, `the calendar of profile ${p.name}`);
        p.connect = await withCaPem(p.connect);
        const query = { accountName: p.accountName, accountNames: Object.keys(cfg.accounts), identity: p.connect, env: io.env, openStore: io.openStore, note: log.info };
        const findPassword = async () => {
          let password = (await findAccountPassword(query))?.password;
          if (!password && io.stdin.isTTY) password = await promptHidden(`Password for ${p.connect.username}@${p.connect.host} (account ${p.accountName}): `, io.stdin, io.stderr as NodeJS.WriteStream) || undefined;
          if (!password) throw noAccountPassword(query, ', or run in a terminal to be asked');
          return password;
        };
        if (p.connect.security === 'plaintext') log.info(`WARNING: profile ${p.name}: account ${p.accountName} uses no encryption; the password and mail cross the network in clear text.`);
        log.verbose(`Profile ${p.name}: ${p.connect.username}@${p.connect.host}, ${p.folders.join(', ')} → ${p.output}`);
        // An OAuth2 account never prompts here: a dead sign-in is REAUTH_REQUIRED, naming the login command.
        const { report } = await withAccountCredential({ accountName: p.accountName, account: cfg.accounts[p.accountName], tokens, configFile: file, password: findPassword }, (c) => runProfile(p, {
          ...c, cache, full: plan.full,
          onProgress: (x) => log.verbose(`${p.name}: ${x.folder}: ${x.done}/${x.total} messages`),
        }));
        for (const s of report.skipped) log.info(`${p.name}: ${formatSkipped(s)}`);
        for (const w of report.warnings) log.verbose(`${p.name}: ${formatWarning(w)}`);
        if (plan.verbose) log.err(`${p.name}: ${formatSummary(report)}`);
        log.verbose(`Wrote ${p.output}`);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        log.err(`mailbox2ics: profile ${p.name}: ${e.message}`);
        worst = Math.max(worst, EXIT[e.code] ?? 1);
      }
    }
  } finally {
    cache?.close();
  }
  return worst;
}

export async function runCli(argv: string[], partial: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    openStore: () => keytarStore(),
    ...partial,
  };
  try {
    return await run(parseCliArgs(argv), io);
  } catch (e) {
    if (e instanceof AppError) {
      io.stderr.write(`mailbox2ics: ${e.message}\n`);
      return EXIT[e.code] ?? 1;
    }
    io.stderr.write(`mailbox2ics: unexpected error: ${errorMessage(e)}\n${(e as Error)?.stack ?? ''}\n`);
    return 1;
  }
}
