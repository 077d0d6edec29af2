// The one IPC contract between the window and the main process: every channel's request and
// response schema (zod), the push events, and the window API type derived from them. Main validates
// every request and response against this table; the renderer and preload import only types/names.
import { z } from 'zod';
import { AccountSchema, NAME_PATTERN, OAuthSettingsSchema, ProfileSchema } from './config-schema.ts';
import { ERROR_CODES } from './errors.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel, type InvokeChannel } from './ipc-channels.ts';

const Name = z.string().regex(NAME_PATTERN, 'invalid name');
/** Passwords travel only towards main (set / one-off use), never back. Bounded to refuse junk. */
const Password = z.string().min(1).max(4096);
/**
 * A file the user picked in a native dialog main showed: the window gets this opaque token (and the
 * path, to display) and hands the token back. Main never opens or writes a path the window typed.
 */
const ChoiceToken = z.string().regex(/^[0-9a-f]{32}$/, 'not a file choice made in this window');
export const FileChoiceSchema = z.union([
  z.object({ chosen: z.literal(true), token: ChoiceToken, path: z.string() }),
  z.object({ chosen: z.literal(false) }),
]);
export type FileChoice = z.infer<typeof FileChoiceSchema>;

export const CertificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  fingerprint256: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  selfSigned: z.boolean(),
});

export const IpcErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** For TLS_UNTRUSTED: the certificate the server presented, so the user can decide to pin it. */
  certificate: CertificateSchema.optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const AccountViewSchema = z.object({
  name: Name,
  account: AccountSchema.omit({ password: true }),
  /** A password for it is in the keychain (OAuth2 accounts: a sign-in is kept). Never the secret itself. */
  hasPassword: z.boolean(),
});

export const FolderNodeSchema = z.object({
  path: z.string(),
  name: z.string(),
  delimiter: z.string(),
  specialUse: z.string().optional(),
  messages: z.number().int().nonnegative().optional(),
  selectable: z.boolean(),
});

export const ProfileViewSchema = z.object({ name: Name, profile: ProfileSchema });

export const ScanProgressSchema = z.object({
  scanId: z.string(),
  folder: z.string(),
  /** Folders finished before this one, and how many there are. */
  folderIndex: z.number().int().nonnegative(),
  folderCount: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  calendarParts: z.number().int().nonnegative(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

export const SourceMessageSchema = z.object({
  folder: z.string(),
  uid: z.number().int(),
  date: z.string().optional(),
  from: z.string().optional(),
  subject: z.string().optional(),
});

export const PreviewEventSchema = z.object({
  /** UID plus RECURRENCE-ID: unique in one preview. */
  key: z.string(),
  uid: z.string(),
  recurrenceId: z.string().optional(),
  kind: z.enum(['VEVENT', 'VTODO', 'VJOURNAL']),
  summary: z.string(),
  location: z.string(),
  organizer: z.string(),
  description: z.string(),
  /** ISO instant (UTC); for all-day events the local date at 00:00 UTC. Absent for undated items. */
  start: z.string().optional(),
  end: z.string().optional(),
  allDay: z.boolean(),
  recurring: z.boolean(),
  /** The RRULE as iCalendar text ("FREQ=WEEKLY;BYDAY=MO;UNTIL=…"), for the window to put in words. */
  rrule: z.string().optional(),
  /** At most a few hundred; reply is the PARTSTAT (NEEDS-ACTION when absent). */
  attendees: z.array(z.object({ name: z.string(), email: z.string(), reply: z.string(), role: z.string().optional() })).optional(),
  /** "duration:-PT15M" (relative to the start) or "at:ISO" (an absolute time). */
  alarms: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
  /** The start's TZID (or "UTC"); absent for floating and all-day times. */
  timeZone: z.string().optional(),
  cancelled: z.boolean(),
  source: SourceMessageSchema,
  /** Compared with the last sync of the same profile. */
  change: z.enum(['new', 'updated', 'cancelled', 'unchanged']),
});
export type PreviewEvent = z.infer<typeof PreviewEventSchema>;

export const SkippedSchema = z.object({
  folder: z.string(),
  uid: z.number().int().optional(),
  subject: z.string().optional(),
  section: z.string().optional(),
  reason: z.string(),
});

export const ScanResultSchema = z.object({
  scanId: z.string(),
  profile: Name,
  /** No earlier sync of this profile to compare with: every event would be "new", so no badges are shown. */
  firstSync: z.boolean(),
  /** The profile's calendar file this sync wrote (atomically). */
  written: z.string(),
  events: z.array(PreviewEventSchema),
  skipped: z.array(SkippedSchema),
  warnings: z.array(z.object({ folder: z.string(), uid: z.number().int().optional(), message: z.string() })),
  summary: z.object({
    messages: z.number().int(),
    calendarParts: z.number().int(),
    eventsOut: z.number().int(),
    bytesDownloaded: z.number().int(),
    wallTimeMs: z.number(),
    /** Removed since the last sync (events that are gone entirely, not only cancelled). */
    removedSinceLastSync: z.number().int(),
  }),
});
export type ScanResult = z.infer<typeof ScanResultSchema>;

export const OccurrenceSchema = z.object({ key: z.string(), start: z.string(), end: z.string(), allDay: z.boolean(), summary: z.string(), cancelled: z.boolean() });
export type Occurrence = z.infer<typeof OccurrenceSchema>;

/** A series whose occurrences in the asked range are not all in the answer, and why (for a note in the grid). */
export const IncompleteSeriesSchema = z.object({ key: z.string(), summary: z.string(), reason: z.string() });
export type IncompleteSeries = z.infer<typeof IncompleteSeriesSchema>;

export const OccurrencesResultSchema = z.object({
  occurrences: z.array(OccurrenceSchema),
  /** Left out: series with too many occurrences in the range, or whose rule ran out of its expansion budget (first 50). */
  incomplete: z.array(IncompleteSeriesSchema),
  /** How many series are incomplete in all (incomplete lists at most 50). */
  incompleteTotal: z.number().int(),
});
export type OccurrencesResult = z.infer<typeof OccurrencesResultSchema>;

/** One profile's schedule and sync state, for the window's status strip (the tray's information). */
export const SyncStatusSchema = z.object({
  profile: Name,
  running: z.boolean(),
  scheduleEnabled: z.boolean(),
  intervalMinutes: z.number().int(),
  /** ISO times. */
  lastSyncAt: z.string().optional(),
  lastSummary: z.string().optional(),
  nextAt: z.string().optional(),
  /** Events in the calendar file after the last sync the window saw. */
  events: z.number().int().optional(),
  lastFailure: z.object({ at: z.string(), message: z.string() }).optional(),
  /** Consecutive failures; 0 when the last run succeeded. */
  failures: z.number().int(),
  /** The local feed serves this profile (the link itself stays in main: it carries the access token). */
  feedLink: z.boolean(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

const Empty = z.object({}).strict();
const Null = z.null();

/** Every invoke channel: request and response schema. */
export const CONTRACT = {
  'app:info': {
    request: Empty,
    response: z.object({
      version: z.string(),
      configFile: z.string(),
      keychain: z.object({ available: z.boolean(), reason: z.string().optional() }),
    }),
  },
  'accounts:list': { request: Empty, response: z.array(AccountViewSchema) },
  'accounts:save': {
    // account.caFile must be the saved account's own, or come from caFileChoice (dialog:choose-ca-file).
    request: z.object({ name: Name, account: AccountSchema.omit({ password: true }), previousName: Name.optional(), caFileChoice: ChoiceToken.optional() }).strict(),
    response: AccountViewSchema,
  },
  'accounts:remove': { request: z.object({ name: Name }).strict(), response: Null },
  'password:set': { request: z.object({ name: Name, password: Password }).strict(), response: Null },
  'password:delete': { request: z.object({ name: Name }).strict(), response: Null },
  'connection:test': {
    // Tests the account as entered (saved or not) with the password typed; without one, only the
    // saved account `name` with exactly its saved settings (then the keychain's password is used).
    request: z.object({ account: AccountSchema.omit({ password: true }), name: Name.optional(), password: Password.optional(), caFileChoice: ChoiceToken.optional() }).strict(),
    response: z.object({ folders: z.number().int(), server: z.string() }),
  },
  'folders:list': { request: z.object({ name: Name, password: Password.optional() }).strict(), response: z.array(FolderNodeSchema) },
  'profiles:list': { request: Empty, response: z.array(ProfileViewSchema) },
  'profiles:save': {
    // profile.output must be the saved profile's own, or come from outputChoice (dialog:choose-output).
    request: z.object({ name: Name, profile: ProfileSchema, previousName: Name.optional(), outputChoice: ChoiceToken.optional() }).strict(),
    response: ProfileViewSchema,
  },
  'profiles:remove': { request: z.object({ name: Name }).strict(), response: Null },
  'scan:run': {
    request: z.object({ scanId: z.string().min(1).max(100), profile: Name, password: Password.optional(), full: z.boolean().optional() }).strict(),
    response: ScanResultSchema,
  },
  'scan:cancel': { request: z.object({ scanId: z.string().min(1).max(100) }).strict(), response: Null },
  'preview:occurrences': {
    request: z.object({ scanId: z.string().min(1).max(100), from: z.iso.datetime(), to: z.iso.datetime() }).strict(),
    response: OccurrencesResultSchema,
  },
  'sync:status': { request: Empty, response: z.array(SyncStatusSchema) },
  'profiles:set-schedule': { request: z.object({ name: Name, enabled: z.boolean() }).strict(), response: Null },
  // Main copies the profile's feed link to the clipboard; the window never sees the token.
  'feed:copy-link': { request: z.object({ profile: Name }).strict(), response: Null },
  // "Save a copy…": writes the held result where the user picks; the profile's own file and path stay.
  'export:save': {
    request: z.object({ scanId: z.string().min(1).max(100) }).strict(),
    response: z.union([z.object({ saved: z.literal(true), path: z.string() }), z.object({ saved: z.literal(false) })]),
  },
  'dialog:choose-output': { request: z.object({ profile: Name.optional() }).strict(), response: FileChoiceSchema },
  'dialog:choose-ca-file': { request: Empty, response: FileChoiceSchema },
  // Only a calendar file this process wrote, or a profile's calendar file.
  'shell:show-in-folder': { request: z.object({ path: z.string().min(1) }).strict(), response: Null },
  // OAuth2: main opens the system browser and keeps the tokens; the window learns only who signed in.
  'signin:start': {
    request: z.object({ name: Name, settings: OAuthSettingsSchema, username: z.string().max(320).optional() }).strict(),
    response: z.object({ user: z.string(), where: z.enum(['keychain', 'memory']), imap: z.object({ host: z.string(), port: z.number().int() }).optional() }),
  },
  'signin:cancel': { request: z.object({ name: Name }).strict(), response: Null },
  'signin:status': { request: z.object({ name: Name }).strict(), response: z.object({ signedIn: z.boolean(), user: z.string().optional() }) },
  'signin:sign-out': { request: z.object({ name: Name }).strict(), response: z.object({ revoked: z.boolean() }) },
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const EVENTS = {
  'scan:progress': ScanProgressSchema,
} as const satisfies Record<EventChannel, z.ZodType>;

export type Request<C extends InvokeChannel> = z.input<(typeof CONTRACT)[C]['request']>;
export type Response<C extends InvokeChannel> = z.infer<(typeof CONTRACT)[C]['response']>;

/** The API the preload puts on `window.mailbox2ics`: one named function per channel. */
export type WindowApi = {
  [C in InvokeChannel as (typeof INVOKE_CHANNELS)[C]]: (request: Request<C>) => Promise<IpcResult<Response<C>>>;
} & {
  [E in EventChannel as (typeof EVENT_CHANNELS)[E]]: (listener: (payload: z.infer<(typeof EVENTS)[E]>) => void) => () => void;
};

export { INVOKE_CHANNELS, EVENT_CHANNELS };
export type { InvokeChannel, EventChannel };
