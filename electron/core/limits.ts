// Explicit limits of the pipeline, each with the reason for its value. Validated where they are set.

/** Calendar parts above this size are skipped and reported: real invitations are a few KB; 10 MB
 * leaves room for huge series exports while keeping one hostile part from exhausting memory. */
export const DEFAULT_MAX_PART_BYTES = 10 * 1024 * 1024;
