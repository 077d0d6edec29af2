// Explicit limits of the pipeline, each with the reason for its value. Validated where they are set.

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

/** Occurrences in one preview answer (all series together): what a month grid can usefully show. */
export const MAX_PREVIEW_OCCURRENCES = 5_000;

/** Iterator steps and processor time for all series of one preview answer together: the window
 * asks again for every month it shows, and must never wait seconds for hostile rules. */
export const MAX_PREVIEW_RECURRENCE_STEPS = 400_000;
export const MAX_PREVIEW_RECURRENCE_MS = 2_000;
