// Test-only: a fresh process that takes the time-zone facts a sync cache holds (as a sync does before
// preparing parts), then works out each zone given on stdin, counting the work it had to do for it.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { learnStoredZoneFacts } from '../../electron/core/imap/incremental.ts';
import { semanticSignature } from '../../electron/core/ical/zone-signature.ts';
import { takeFreshZoneFacts } from '../../electron/core/ical/zone-facts.ts';
import { zoneRuleProblem } from '../../electron/core/ical/zone-rules.ts';
import { SyncCache } from '../../electron/core/store/cache.ts';

const input = JSON.parse(readFileSync(0, 'utf8')) as { cacheFile: string; zones: string[]; store?: boolean };
const cache = new SyncCache(input.cacheFile);
learnStoredZoneFacts(cache);

// The work itself: offset look-ups (the signature) and recurrence steps (the rule check).
let offsets = 0;
let steps = 0;
const utcOffset = ICAL.Timezone.prototype.utcOffset;
ICAL.Timezone.prototype.utcOffset = function (this: ICAL.Timezone, ...a: Parameters<typeof utcOffset>) {
  offsets += 1;
  return utcOffset.apply(this, a);
};
const next = ICAL.RecurIterator.prototype.next;
ICAL.RecurIterator.prototype.next = function (this: ICAL.RecurIterator, ...a: Parameters<typeof next>) {
  steps += 1;
  return next.apply(this, a);
};

const results = input.zones.map((text) => {
  offsets = 0;
  steps = 0;
  const comp = ICAL.Component.fromString(text);
  const sig = semanticSignature(comp);
  const rule = zoneRuleProblem(comp) ?? null;
  return { sig, rule, offsets, steps };
});
if (input.store) cache.zoneFacts.put(takeFreshZoneFacts());
const notices = cache.takeNotices();
cache.close();
process.stdout.write(JSON.stringify({ results, notices }));
