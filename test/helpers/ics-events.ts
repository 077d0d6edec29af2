// Splits an iCalendar feed into its VEVENT blocks keyed by UID, to check that good events come out of a
// run with hostile input byte for byte as they come out of a run without it. Test-only.

/** UID → the complete VEVENT text (folded lines as written). */
export function eventsByUid(ics: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of ics.matchAll(/^BEGIN:VEVENT\r\n[\s\S]*?^END:VEVENT\r\n/gm)) {
    const uid = /^UID:(.*)\r$/m.exec(m[0].replace(/\r\n[ \t]/g, ''))?.[1];
    if (uid) out.set(uid, m[0]);
  }
  return out;
}
