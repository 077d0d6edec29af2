// The VTIMEZONEs a process has accepted, remembered so the next invitation carrying the same zone
// neither vets, checks nor signs it again: by its parse (acceptedZone) and by its exact lines (blocks).
import type ICAL from 'ical.js';
import { sharedString } from './compact-string.ts';
import { zoneRuleProblem } from './zone-rules.ts';
import { componentText, isUsableZone } from './timezones.ts';
import { semanticSignature } from './zone-signature.ts';
import { checkComponentText, type CheckedText } from './output-check.ts';
import { vetComponent } from './vet.ts';
import type { PreparedZone } from './prepare.ts';

/** Zones accepted before, by their parse as read: one VTIMEZONE comes with every invitation of an
 * organisation, and vetting, checking and signing it again each time was a sixth of a merge. */
const acceptedZones = new Map<string, PreparedZone>();
/** Accepted zones remembered (the memo starts over past it), and the longest key remembered (a zone's parse as JSON, about its text's length). */
const ACCEPTED_ZONES = 256;
const ACCEPTED_ZONE_MAX_CHARS = 64 * 1024;

/** A VTIMEZONE as prepared, or why it is refused. The same text always gives the same answer; a
 * refusal is worked out again each time (rare, and the rule check's time limit may decide it). */
export function acceptedZone(sub: ICAL.Component, tzid: string): PreparedZone | string {
  // Keyed by the parse itself (the text ical.js would write is a function of it): JSON.stringify is
  // native and needs no folding, where writing the zone out was half the cost of a hit.
  const asRead = JSON.stringify(sub.jCal);
  const known = acceptedZones.get(asRead);
  if (known) return known;
  const vetted = vetComponent(sub, () => undefined);
  const ruleWhy = vetted.ok ? zoneRuleProblem(sub) : undefined;
  const why = ruleWhy ? { ok: false as const, reason: ruleWhy } : vetted;
  const checked = why.ok ? checkComponentText(componentText(sub), 'vtimezone') : why;
  if (!checked.ok) return checked.reason;
  const usable = isUsableZone(sub);
  // Shared: one VTIMEZONE is repeated in every invitation of a sender's organisation.
  const z: PreparedZone = { tzid: sharedString(tzid), usable, sig: usable ? sharedString(semanticSignature(sub)) : '', text: sharedString(checked.text) as CheckedText };
  if (asRead.length <= ACCEPTED_ZONE_MAX_CHARS) {
    if (acceptedZones.size >= ACCEPTED_ZONES) acceptedZones.clear();
    acceptedZones.set(sharedString(asRead), z);
  }
  return z;
}

/**
 * VTIMEZONE blocks accepted before, by their lines exactly as the pre-scan reads them (nothing in them
 * needed changing): in a part carrying one, the pre-scan does not check its lines again and the zone is
 * the one it gave (the record acceptedZone keeps), not vetted or keyed again. The block was half the
 * lines of a typical invitation. Bounded like acceptedZones.
 */
const knownZoneBlocks = new Map<string, { value: PreparedZone; components: number }>();
/** Characters the remembered blocks hold in all: a run of large distinct (hostile) zones starts the memo over. */
const KNOWN_BLOCKS_MAX_CHARS = 2 * 1024 * 1024;
let knownBlockChars = 0;

export function rememberZoneBlock(block: string, zone: PreparedZone): void {
  if (block.length > ACCEPTED_ZONE_MAX_CHARS) return;
  if (knownZoneBlocks.size >= ACCEPTED_ZONES || knownBlockChars + block.length > KNOWN_BLOCKS_MAX_CHARS) {
    knownZoneBlocks.clear();
    knownBlockChars = 0;
  }
  knownBlockChars += block.length;
  // Its lines are as the pre-scan left them, so every structure line is exactly "BEGIN:NAME".
  const components = block.split('\r\n').filter((l) => l.startsWith('BEGIN:')).length;
  knownZoneBlocks.set(sharedString(block), { value: zone, components });
}

/** Blocks reused so far in this process (tests). */
export const zoneBlockReuse = { hits: 0 };

export function reuseZoneBlock(block: string): { value: PreparedZone; components: number } | undefined {
  const known = knownZoneBlocks.get(block);
  if (known) zoneBlockReuse.hits++;
  return known;
}

/** Forgets the blocks remembered (tests: a part read as if for the first time). */
export function forgetZoneBlocks(): void {
  knownZoneBlocks.clear();
  knownBlockChars = 0;
}
