// The shared configuration file: schema, every problem reported with its path, atomic writes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, profileNames, resolveConfigPath, saveConfig } from '../../../electron/core/config/config-file.ts';
import { planProfile } from '../../../electron/core/config/profile-run.ts';
import type { Config } from '../../../electron/shared/config-schema.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'm2i-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FP = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

function valid(): Record<string, unknown> {
  return {
    version: 1,
    accounts: {
      work: { host: 'imap.example.com', username: 'alice', caFile: 'certs/ca.pem' },
      pinned: { host: 'mail.local', port: 1993, security: 'starttls', username: 'bob', pinnedFingerprint: FP },
    },
    profiles: {
      team: {
        account: 'work',
        folders: ['Public Folders/Team', 'INBOX'],
        output: 'out/team.ics',
        filters: { allowSenders: ['example.com'], window: '-30d..+365d', match: ['summary=glob:*standup*'], since: '2026-01-01' },
      },
      home: { account: 'pinned', folders: ['Calendar'], output: '~/home.ics', include: ['VTODO'], cancelled: 'keep', schedule: { intervalMinutes: 30 } },
    },
  };
}

const problems = (raw: unknown): string => {
  try {
    parseConfig(JSON.stringify(raw), 'cfg.json');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('configuration schema', () => {
  it('accepts a valid file and fills defaults', () => {
    const cfg = parseConfig(JSON.stringify(valid()), 'cfg.json');
    expect(cfg.accounts.work.security).toBe('tls');
    expect(cfg.profiles.team).toMatchObject({ cancelled: 'remove', include: ['VEVENT'], schedule: { enabled: true, intervalMinutes: 10, notifyChanges: false } });
    expect(cfg.profiles.home.schedule).toEqual({ enabled: true, intervalMinutes: 30, notifyChanges: false });
  });

  it('reports unknown fields with their path, at every depth, all at once', () => {
    const raw = valid() as any;
    raw.colour = 'blue';
    raw.accounts.work.hostname = 'typo';
    raw.profiles.team.filters.windwo = '-1d..+1d';
    raw.profiles.home.schedule.every = 5;
    const msg = problems(raw);
    expect(msg).toMatch(/^cfg\.json has 4 problems:/);
    for (const p of ['colour', 'accounts.work.hostname', 'profiles.team.filters.windwo', 'profiles.home.schedule.every']) expect(msg).toContain(`  ${p}: unknown field`);
  });

  it('reports invalid values with their path', () => {
    const raw = valid() as any;
    raw.accounts.work.port = 70000;
    raw.accounts.pinned.security = 'ssl';
    raw.accounts.pinned.pinnedFingerprint = 'ab:cd';
    raw.profiles.team.folders = [];
    raw.profiles.home.account = 'nobody';
    raw.profiles.home.include = ['VALARM'];
    raw.profiles['my team'] = raw.profiles.team;
    const msg = problems(raw);
    expect(msg).toContain('  profiles.my team: invalid name: names use letters');
    for (const p of ['accounts.work.port', 'accounts.pinned.security', 'accounts.pinned.pinnedFingerprint', 'profiles.team.folders', 'profiles.home.include.0']) expect(msg).toContain(`  ${p}: `);
    expect(msg).toContain('a SHA-256 fingerprint is 32');
    expect(msg).toContain('a profile needs at least one folder');
  });

  it('names a profile whose account does not exist', () => {
    const raw = valid() as any;
    raw.profiles.home.account = 'nobody';
    expect(problems(raw)).toContain('profiles.home.account: no account named "nobody" (accounts: work, pinned)');
  });

  it('refuses a password with a message that says where passwords go', () => {
    const raw = valid() as any;
    raw.accounts.work.password = 'hunter2';
    const msg = problems(raw);
    expect(msg).toContain('accounts.work.password: passwords are never stored in the configuration');
    expect(msg).not.toContain('hunter2');
  });

  it('checks filters the way the command line does, with the path of each bad one', () => {
    const raw = valid() as any;
    Object.assign(raw.profiles.team.filters, {
      since: '2026-02-30', match: ['summary=ok', 'summary=(unclosed'], exclude: ['colour=red'], window: 'tomorrow', allowSenders: ['example.com', 'not an address'],
      headers: [{ name: 'X Bad', value: 'v' }],
    });
    const msg = problems(raw);
    expect(msg).toContain('profiles.team.filters.since: "2026-02-30" is not a valid date');
    expect(msg).toContain('profiles.team.filters.match.1: "summary=(unclosed": invalid regular expression');
    expect(msg).toContain('profiles.team.filters.exclude.0: "colour=red": unknown field "colour"');
    expect(msg).toContain('profiles.team.filters.window: "tomorrow" must be FROM..TO');
    expect(msg).toContain('profiles.team.filters.allowSenders.1: ');
    expect(msg).toContain('profiles.team.filters.headers.0.name: ');
    expect(msg).not.toContain('allowSenders.0');
  });

  it('refuses since >= before on the before field', () => {
    const raw = valid() as any;
    Object.assign(raw.profiles.team.filters, { since: '2026-05-01', before: '2026-04-01' });
    expect(problems(raw)).toContain('profiles.team.filters.before: 2026-05-01 is not before --before 2026-04-01');
  });

  it('versions: missing, newer, and not JSON', () => {
    const raw = valid() as any;
    delete raw.version;
    expect(problems(raw)).toContain('  version: ');
    expect(problems({ ...valid(), version: 2 })).toMatch(/written by a newer mailbox2ics \(configuration version 2\); this one reads version 1/);
    const text = '{\n  "version": 1,\n  "accounts": {\n    "a": { "host": "x" "username": "u" }\n  }\n}\n';
    expect(() => parseConfig(text, 'broken.json')).toThrow(/^broken\.json: not valid JSON at line 4, column \d+/);
  });
});

describe('configuration file', () => {
  it('saves atomically, keeps the previous version as .bak, and never writes a file it would refuse', async () => {
    const file = path.join(dir, 'config.json');
    const cfg = parseConfig(JSON.stringify(valid()), file);
    await saveConfig(file, cfg);
    expect(await loadConfig(file)).toEqual(cfg);
    const first = readFileSync(file, 'utf8');
    cfg.profiles.team.folders.push('Extra');
    await saveConfig(file, cfg);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(first);
    expect((await loadConfig(file)).profiles.team.folders).toContain('Extra');
    const now = readFileSync(file, 'utf8');
    const bad = structuredClone(cfg) as Config;
    bad.profiles.team.account = 'ghost';
    await expect(saveConfig(file, bad)).rejects.toThrow(/no account named "ghost"/);
    expect(readFileSync(file, 'utf8')).toBe(now);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing file is a clear error naming it', async () => {
    await expect(loadConfig(path.join(dir, 'nope.json'))).rejects.toThrow(/The configuration file .*nope\.json does not exist/);
  });

  it('resolves relative paths against the file and ~ against home; plans a profile', () => {
    const file = path.join(dir, 'sub', 'config.json');
    expect(resolveConfigPath('out/team.ics', file)).toBe(path.join(dir, 'sub', 'out', 'team.ics'));
    expect(resolveConfigPath('~/home.ics', file)).toBe(path.join(os.homedir(), 'home.ics'));
    const cfg = parseConfig(JSON.stringify(valid()), file);
    const plan = planProfile(cfg, 'team', file);
    expect(plan.connect).toMatchObject({ host: 'imap.example.com', username: 'alice', security: 'tls', caFile: path.join(dir, 'sub', 'certs', 'ca.pem') });
    expect(plan.connect).not.toHaveProperty('password');
    expect(plan.serverFilter.search).toMatchObject({ from: 'example.com' });
    expect(plan.eventFilter.isEmpty).toBe(false);
    expect(planProfile(cfg, 'home', file).include).toEqual(new Set(['VEVENT', 'VTODO']));
    expect(planProfile(cfg, 'home', file).connect.pinnedFingerprint).toBe(FP);
    expect(profileNames(cfg)).toEqual(['team', 'home']);
    expect(() => profileNames(cfg, 'tem')).toThrow('No profile named "tem" (profiles: team, home).');
    expect(existsSync(file)).toBe(false);
  });

  it('a file with nothing but a version is valid and empty', () => {
    writeFileSync(path.join(dir, 'min.json'), '{"version":1}');
    expect(parseConfig('{"version":1}', 'min.json')).toEqual({ version: 1, accounts: {}, profiles: {} });
  });
});

describe('account sign-in settings (auth)', () => {
  const withAuth = (auth: unknown) => JSON.stringify({ version: 1, accounts: { work: { host: 'outlook.office365.com', username: 'alice@contoso.com', auth } } });

  it('accepts password and the three OAuth2 kinds', () => {
    expect(parseConfig(withAuth({ kind: 'password' }), 'c.json').accounts.work.auth).toEqual({ kind: 'password' });
    expect(parseConfig(withAuth({ kind: 'oauth2', provider: 'microsoft', clientId: 'id', tenant: 'contoso.onmicrosoft.com' }), 'c.json').accounts.work.auth).toMatchObject({ provider: 'microsoft' });
    expect(parseConfig(withAuth({ kind: 'oauth2', provider: 'google', clientId: 'id', clientSecret: 'not-confidential' }), 'c.json').accounts.work.auth).toMatchObject({ provider: 'google' });
    expect(parseConfig(withAuth({ kind: 'oauth2', provider: 'generic', issuer: 'https://id.example', clientId: 'id', scopes: ['openid', 'imap'] }), 'c.json').accounts.work.auth).toMatchObject({ provider: 'generic' });
  });

  it('reports every problem with its path', () => {
    const problems = (auth: unknown) => {
      try {
        parseConfig(withAuth(auth), 'c.json');
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(problems({ kind: 'oauth2', provider: 'generic', clientId: 'id' })).toContain('accounts.work.auth.issuer: required for provider "generic"');
    expect(problems({ kind: 'oauth2', provider: 'generic', issuer: 'http://id.example', clientId: 'id' })).toContain('accounts.work.auth.issuer: an issuer is an https:// URL');
    expect(problems({ kind: 'oauth2', provider: 'google', clientId: 'id', tenant: 'x' })).toContain('accounts.work.auth.tenant: only for provider "microsoft"');
    expect(problems({ kind: 'oauth2', provider: 'microsoft', clientId: '' })).toContain('accounts.work.auth.clientId: the client id is empty');
    expect(problems({ kind: 'oauth2', provider: 'microsoft', clientId: 'id', scopes: ['a b'] })).toContain('accounts.work.auth.scopes.0: a scope is printable ASCII');
    expect(problems({ kind: 'oauth2', provider: 'microsoft', clientId: 'id', refreshToken: 'x' })).toContain('accounts.work.auth.refreshToken: unknown field');
    expect(problems({ kind: 'token' })).toContain('accounts.work.auth.kind');
  });
});
