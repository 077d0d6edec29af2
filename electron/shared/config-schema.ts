// The configuration file shared by the CLI (--config FILE) and the desktop app: accounts (never a
// password) and sync profiles. Pure zod: main, CLI and renderer all import these schemas, and the
// types come from them. Semantic checks that need the core (regexes, dates) live in
// electron/core/config/config-file.ts.
import { z } from 'zod';

export const CONFIG_VERSION = 1;

/** Account and profile names: also used in file names and feed URLs, so kept plain. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const Name = z.string().regex(NAME_PATTERN, 'names use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit');

const badName = (iss: { code?: string }) =>
  iss.code === 'invalid_key' ? 'invalid name: names use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit' : undefined;

export const SecuritySchema = z.enum(['tls', 'starttls', 'plaintext']);

/** Node's fingerprint256 form: 32 upper-case hex bytes separated by colons. */
export const FingerprintSchema = z
  .string()
  .regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'a SHA-256 fingerprint is 32 upper-case hex bytes separated by colons (AB:CD:…)');

/** https only: an issuer reached over plain http would hand tokens to anyone on the path. */
const HttpsUrl = z.string().refine((u) => {
  try {
    return new URL(u).protocol === 'https:';
  } catch {
    return false;
  }
}, 'an issuer is an https:// URL');

/** OAuth2 sign-in (XOAUTH2 / OAUTHBEARER): the refresh token lives in the OS keychain, never here. */
export const OAuthSettingsSchema = z.strictObject({
  kind: z.literal('oauth2'),
  provider: z.enum(['microsoft', 'google', 'generic']),
  /** Required for "generic"; overrides the preset's issuer otherwise. */
  issuer: HttpsUrl.optional(),
  /** Microsoft only: a tenant id or domain instead of "organizations". */
  tenant: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/, 'a tenant is a GUID or a domain name').optional(),
  /** The registration of whoever distributes or runs the app (public native client). */
  clientId: z.string().min(1, 'the client id is empty').max(200),
  /** Only for providers that issue one to installed apps (Google's "Desktop" clients), where it is documented as not confidential. */
  clientSecret: z.string().min(1).max(200).optional(),
  /** Replace the preset's scopes. */
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope is printable ASCII without spaces, quotes or backslashes')).min(1).optional(),
  /** PEM file with the CA that signed a private issuer's certificate. */
  issuerCaFile: z.string().min(1).optional(),
}).superRefine((a, ctx) => {
  if (a.provider === 'generic' && !a.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'required for provider "generic"' });
  if (a.tenant && a.provider !== 'microsoft') ctx.addIssue({ code: 'custom', path: ['tenant'], message: 'only for provider "microsoft"' });
});

export const AuthSchema = z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('password') }), OAuthSettingsSchema]);

export const AccountSchema = z.strictObject({
  host: z.string().min(1, 'the server host name is empty'),
  port: z.number().int().min(1).max(65535).optional(),
  security: SecuritySchema.default('tls'),
  username: z.string().min(1, 'the user name is empty'),
  /** PEM file with extra CA or self-signed certificates to trust. */
  caFile: z.string().min(1).optional(),
  /** The one server certificate the user chose to trust. */
  pinnedFingerprint: FingerprintSchema.optional(),
  /** How the account signs in; absent means a password. */
  auth: AuthSchema.optional(),
  /** Present only to give a precise error: passwords live in the OS keychain. */
  password: z
    .undefined({ error: 'passwords are never stored in the configuration: use the OS keychain (mailbox2ics --save-password, or the app) or MAILBOX2ICS_PASSWORD' })
    .optional(),
});

export const FiltersSchema = z.strictObject({
  from: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
  /** YYYY-MM-DD: messages received on or after. */
  since: z.string().optional(),
  /** YYYY-MM-DD: messages received before. */
  before: z.string().optional(),
  headers: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).optional(),
  /** Exact sender addresses or domains. */
  allowSenders: z.array(z.string().min(1)).optional(),
  /** "-30d..+365d" or "2026-01-01..2026-12-31". */
  window: z.string().optional(),
  /** "field=pattern" (regular expression, or glob:PATTERN); all must match. */
  match: z.array(z.string()).optional(),
  exclude: z.array(z.string()).optional(),
});

export const ScheduleSchema = z.strictObject({
  enabled: z.boolean().default(true),
  intervalMinutes: z.number().int().min(1).max(24 * 60).default(10),
  /** Desktop notification with "2 new, 1 updated, 1 cancelled" after a sync that changed something. */
  notifyChanges: z.boolean().default(false),
});

export const ComponentTypeSchema = z.enum(['VEVENT', 'VTODO', 'VJOURNAL']);

export const ProfileSchema = z.strictObject({
  account: Name,
  folders: z.array(z.string().min(1)).min(1, 'a profile needs at least one folder'),
  filters: FiltersSchema.default({}),
  /** Where the merged .ics is written (atomically). Relative paths are relative to the config file. */
  output: z.string().min(1, 'the output path is empty'),
  cancelled: z.enum(['remove', 'keep']).default('remove'),
  include: z.array(ComponentTypeSchema).default(['VEVENT']),
  /** Calendar parts larger than this many bytes are skipped and reported. */
  maxPartBytes: z.number().int().positive().optional(),
  schedule: ScheduleSchema.default({ enabled: true, intervalMinutes: 10, notifyChanges: false }),
});

/** The local subscription feed. Its Basic-auth password lives in the keychain (or MAILBOX2ICS_FEED_PASSWORD). */
export const FeedSchema = z.strictObject({
  enabled: z.boolean().default(false),
  port: z.number().int().min(1024).max(65535).default(8642),
  /** "loopback": this machine only. "lan": every interface, and then Basic auth is mandatory. */
  listen: z.enum(['loopback', 'lan']).default('loopback'),
  username: z.string().min(1).max(100).regex(/^[^:]+$/, 'a user name cannot contain ":"').optional(),
  /** Per-profile random tokens, the secret part of each feed URL. */
  tokens: z.record(Name, z.string().regex(/^[A-Za-z0-9_-]{16,}$/, 'a token is at least 16 URL-safe characters')).default({}),
});

export const ConfigSchema = z
  .strictObject({
    version: z.literal(CONFIG_VERSION),
    accounts: z.record(Name, AccountSchema, { error: badName }).default({}),
    profiles: z.record(Name, ProfileSchema, { error: badName }).default({}),
    feed: FeedSchema.optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.feed?.listen === 'lan' && !cfg.feed.username) {
      ctx.addIssue({ code: 'custom', path: ['feed', 'username'], message: 'required when the feed listens on the LAN: HTTP Basic authentication is mandatory there' });
    }
    for (const [name, p] of Object.entries(cfg.profiles)) {
      if (!(p.account in cfg.accounts)) {
        const known = Object.keys(cfg.accounts);
        ctx.addIssue({
          code: 'custom',
          path: ['profiles', name, 'account'],
          message: `no account named "${p.account}"${known.length ? ` (accounts: ${known.join(', ')})` : ' (the file has no accounts)'}`,
        });
      }
    }
  });

export type Account = z.infer<typeof AccountSchema>;
export type OAuthSettings = z.infer<typeof OAuthSettingsSchema>;
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileFilters = z.infer<typeof FiltersSchema>;
export type Config = z.infer<typeof ConfigSchema>;
export type FeedConfig = z.infer<typeof FeedSchema>;
/** What a file may contain before defaults are applied. */
export type ConfigInput = z.input<typeof ConfigSchema>;

export function emptyConfig(): Config {
  return { version: CONFIG_VERSION, accounts: {}, profiles: {} };
}
