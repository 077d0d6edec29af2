// Explicit limits of the pipeline, each with the reason for its value. Validated where they are set.
// What happens at each limit is listed in the README ("Limits"); a limit never aborts a run by itself.

/** Calendar parts above this size are skipped and reported: real invitations are a few KB; 10 MB
 * leaves room for huge series exports while keeping one hostile part from exhausting memory. */
export const DEFAULT_MAX_PART_BYTES = 10 * 1024 * 1024;

// ---- Recurrence expansion budgets (issue 12, items 6 and 7) ---------------------------------------
// A rule from mail can never match (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30: ical.js searches forever inside
// one next()) or match every second. Each expansion starts near the range it is asked about and stops
// at these budgets; what it could not work out is reported, and the --window filter keeps the event.

/** Iterator steps (candidate instants ical.js tests) one series may take for one question. A step
 * costs 5–15 µs here, so this is ~0.3–0.7 s of the worst rule; a series that starts near the range
 * needs a few hundred, and even a walk of a daily series since 1900 (for rule shapes that cannot
 * start near the range) fits. */
export const MAX_RECURRENCE_STEPS_PER_SERIES = 50_000;

/** Processor time one series may take for one question: the step budget's backstop where steps are
 * slow (time zones with many rules). Processor, not wall time, so a busy machine cuts nothing short. */
export const MAX_RECURRENCE_MS_PER_SERIES = 250;

/** Occurrences one series may put into one preview range: an hourly series fills a month (744);
 * more than this cannot be read in a month or week grid anyway. */
export const MAX_PREVIEW_OCCURRENCES_PER_SERIES = 1_000;

/** Occurrences in one preview answer (all series together): a year of 100 weekly series (5,214) and
 * more fit; a month grid cannot usefully show more, and the answer crosses IPC (about 150 bytes each). */
export const MAX_PREVIEW_OCCURRENCES = 20_000;

/** Iterator steps and processor time for all series of one preview answer together: the window
 * asks again for every month it shows, and must never wait seconds for hostile rules. */
export const MAX_PREVIEW_RECURRENCE_STEPS = 400_000;
export const MAX_PREVIEW_RECURRENCE_MS = 2_000;

/** UTC offsets one feed time zone remembers (per wall-clock time asked about) before it forgets them
 * all: a year of a weekly series needs ~100, 10,000 events a few thousand; an entry is ~60 bytes, so
 * this caps one zone at ~6 MB however many instants a hostile rule visits. */
export const MAX_ZONE_OFFSETS_REMEMBERED = 100_000;

// ---- Hostile mail and servers (issue 12, items 8–15) ------------------------------------------------

/** Containers (multiparts and attached messages) nested deeper than this are not searched and are
 * reported. Real mail rarely goes beyond 5 levels; a crafted message could nest without end. */
export const MAX_MIME_DEPTH = 20;

/** Attached messages inside attached messages deeper than this are not searched and are reported:
 * a forward of a forward is already rare; deeper is likely hostile. */
export const MAX_RFC822_DEPTH = 5;

/** A header field (unfolded) longer than this is ignored and reported: real fields are well under
 * 1 KB (RFC 5322 allows 998 octets per line); a 10 MB line must not be held and parsed. */
export const MAX_HEADER_LINE_BYTES = 64 * 1024;

/** The header fields the scan keeps (Content-*, Subject, From, Date) are held up to this many bytes
 * per header block; more are ignored and reported (thousands of repeated Content-Type lines). */
export const MAX_HEADER_BLOCK_BYTES = 1024 * 1024;

/** Calendar parts read from one message; more are reported, not read. Real messages carry one or
 * two; thousands of tiny parts would turn one mail into thousands of merge inputs. */
export const MAX_CALENDAR_PARTS_PER_MESSAGE = 50;

/** One IMAP command (or one FETCH) must finish within this. The socket timeout only fires when the
 * connection is idle, so a server that keeps sending "* OK" lines would otherwise hold a run forever.
 * Ten minutes lets a slow link carry a full batch of calendar parts. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;

/** A whole IMAP sync must finish within this (same reason; an hour covers a first scan of a very
 * large folder on a slow server). */
export const DEFAULT_RUN_TIMEOUT_MS = 60 * 60_000;

/** How long a finished run waits for the server's answer to LOGOUT (or a kept connection's CLOSE)
 * before it simply closes the connection. */
export const LOGOUT_TIMEOUT_MS = 10_000;

/** Reconnects one IMAP sync may make to step past a command the server broke (a deadline missed, a
 * literal over the limit): each costs a login. A server that fails more often is broken as a whole,
 * and the run says so instead of trying message by message for hours. */
export const MAX_SERVER_RECOVERIES = 8;

/** Bytes of calendar parts requested in one FETCH: a batch of 500 messages with big parts must not
 * arrive as one multi-gigabyte answer. */
export const FETCH_BYTES_BUDGET = 32 * 1024 * 1024;

/** The longest response line (no literal) accepted from a server: a UID SEARCH of a million UIDs is
 * under 10 MB; imapflow's default (1 GiB) lets a server that never ends a line take a gigabyte. */
export const MAX_RESPONSE_LINE_BYTES = 32 * 1024 * 1024;

/** Metadata literals (ENVELOPE subjects, BODYSTRUCTURE parameters) from an honest server stay far
 * below this; it is the literal limit whenever --max-part-size is smaller. */
export const MIN_LITERAL_BYTES = 16 * 1024 * 1024;

// ---- What one calendar part may hold (issue 12, items 3 and 4) -----------------------------------

/** Deepest nesting of components in a calendar part, the VCALENDAR counting as level 1. The deepest
 * standard structure has 4 levels (VCALENDAR > VEVENT > PARTICIPANT > VLOCATION, RFC 9073); 8 leaves
 * room for vendor X- components. ical.js reads and writes components recursively, so a few thousand
 * levels overflow the stack: a component nested deeper is skipped before ical.js sees it. */
export const MAX_NESTING_DEPTH = 8;

/** Components of any kind and depth that one parse by ical.js may hold (the VCALENDAR counts): a whole
 * part up to 1 MB, or one slice of a larger part (parts above 1 MB are read 200 components at a time,
 * see ical/split-calendar.ts, so their total is bounded by the part size alone). Measured here: 20,000
 * small components take ~110 MB and 2-3 s to read at once; a 1 MB part of tiny components (~65,000)
 * would take twice that. A part (or slice) with more is skipped whole; components inside a component
 * already refused (too deep) are not counted. */
export const MAX_COMPONENTS_PER_PART = 20_000;

/** Direct sub-components of one component (an event's alarms, a time zone's observances). Real zones
 * with their full history have a few hundred observances; events a handful of alarms. A component
 * with more is skipped. */
export const MAX_SUBCOMPONENTS = 1_000;

/** Years accepted in every date and time. 1583 is the first whole year of the Gregorian calendar
 * (CALSCALE:GREGORIAN; earlier dates have no agreed meaning in it), and it still admits the 1601
 * epoch Exchange writes into VTIMEZONE observances. 9998 because Python's datetime (khal, vobject,
 * Radicale) ends on 9999-12-31: an event in 9999 overflows as soon as a zone offset, a duration or a
 * recurrence is added to it, and those programs then reject the whole calendar. */
export const MIN_YEAR = 1583;
export const MAX_YEAR = 9998;

/** Offset changes one VTIMEZONE observance rule may make, on average per year. Real zones change at
 * most twice a year (four times in Morocco's Ramadan years, which are written as RDATEs); a rule that
 * fires daily or every second is hostile, and ical.js expands every change into memory from DTSTART
 * on. A zone with such a rule is refused (its TZID then falls back to the built-in zone of that name). */
export const MAX_ZONE_CHANGES_PER_YEAR = 4;

/** Steps (candidate dates tested) one observance rule may take to be checked: 401 years of a
 * yearly rule take about 800; a daily rule that never matches reaches this in ~50 ms. */
export const MAX_ZONE_RULE_STEPS = 5_000;

/** Heap growth, beyond what was live after the last full collection, at which the loops over a very
 * large part (its slices, entries, merge groups) ask V8 for a full collection. V8 alone lets the
 * garbage of parsing a thousand slices grow to three times the live data (a 25 MB part of 200,000
 * events peaked at 570 MB, ~120 MB of it live). Measured on that part: 24 MB peaks at 260-267 MB for
 * ~20% more time (a full collection of ~120 MB live takes ~50 ms); 32 MB at 277-283 MB; 16 MB saves
 * 5 MB more for 50% more time. Only the merge loop of a sync checks for ordinary mail (every 512 UIDs):
 * a sync of thousands of invitations may collect once or twice, ~20 ms each. */
export const HEAP_RELIEF_STEP_BYTES = 24 * 1024 * 1024;
