// What this process has worked out about VTIMEZONE texts (a zone's meaning, whether its observance
// rules can be expanded), remembered per process and handed to the sync cache to keep across runs.
// Never does I/O; never takes a stored fact whose check, kind or version does not match.
import { createHash } from 'node:crypto';

/** A fact as the cache stores it: `key` names kind, version and input; `value` is JSON; `check` guards both. */
export interface StoredZoneFact {
  key: string;
  value: string;
  check: string;
}

/**
 * Facts kept in memory per kind. Why 2,000: a mailbox repeats the same few zones in every invitation;
 * a bound keeps a mailbox of endlessly varied (hostile) zones from growing it without limit.
 */
export const ZONE_FACTS_LIMIT = 2000;

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
const checkOf = (key: string, value: string) => hash(`${key}\n${value}`);

/**
 * One kind of fact: a pure function of its input text, so a fact computed by any process (of the same
 * version) holds for every other. `version` must change whenever the computation or a limit it uses
 * does: stored facts of another version are then never read.
 */
export class ZoneFactMemo {
  private readonly known = new Map<string, string | null>();
  /** Computed in this process and worth keeping, not yet handed to a cache. */
  private readonly fresh = new Map<string, string | null>();
  /** Facts stored by earlier processes, by stored key (they name the input only by its hash). */
  private readonly byStoredKey = new Map<string, string | null>();

  constructor(
    readonly kind: string,
    readonly version: string,
    /** Whether a stored value is one this kind can have (anything else is a corrupt row). */
    readonly valid: (v: unknown) => v is string | null,
  ) {
    memos.set(`${kind}/${version}`, this);
  }

  get(input: string): string | null | undefined {
    return this.known.get(input);
  }

  /** Remembers a computed fact; `durable`: also worth storing (false for a verdict that depends on the machine's load). */
  set(input: string, value: string | null, durable = true): void {
    if (this.known.size >= ZONE_FACTS_LIMIT) this.known.clear();
    if (this.fresh.size >= ZONE_FACTS_LIMIT) this.fresh.clear();
    this.known.set(input, value);
    if (durable) this.fresh.set(input, value);
  }

  /** Stored facts are keyed by a hash of the input: the input itself (a VTIMEZONE) can be long. */
  storedKey(input: string): string {
    return `${this.kind}/${this.version}/${hash(input)}`;
  }

  takeFresh(): StoredZoneFact[] {
    const out: StoredZoneFact[] = [];
    for (const [input, v] of this.fresh) {
      const key = this.storedKey(input);
      const value = JSON.stringify(v);
      out.push({ key, value, check: checkOf(key, value) });
    }
    this.fresh.clear();
    return out;
  }

  /** A fact stored by a process that saw the same input: looked up by the input's hash. */
  stored(input: string): string | null | undefined {
    return this.byStoredKey.get(this.storedKey(input));
  }

  learn(key: string, value: string | null): void {
    if (this.byStoredKey.size >= ZONE_FACTS_LIMIT) this.byStoredKey.clear();
    this.byStoredKey.set(key, value);
  }
}

const memos = new Map<string, ZoneFactMemo>();

/** What taking stored facts found: `taken` of the current versions, `unreadable` rows that were corrupt (ignored). */
export interface LearnResult {
  taken: number;
  unreadable: number;
}

/**
 * Takes facts a cache stored. Facts of another kind or version are skipped silently (an older or
 * newer mailbox2ics wrote them); a row of a current kind whose check, JSON or value is wrong is
 * counted as unreadable and ignored: the fact is computed again.
 */
export function learnZoneFacts(rows: Iterable<StoredZoneFact>): LearnResult {
  const out: LearnResult = { taken: 0, unreadable: 0 };
  for (const row of rows) {
    const memo = typeof row.key === 'string' ? memos.get(row.key.slice(0, row.key.lastIndexOf('/'))) : undefined;
    if (!memo) continue;
    let value: unknown;
    try {
      if (typeof row.value !== 'string' || row.check !== checkOf(row.key, row.value)) throw new Error('check');
      value = JSON.parse(row.value);
      if (!memo.valid(value)) throw new Error('value');
    } catch {
      out.unreadable += 1;
      continue;
    }
    memo.learn(row.key, value);
    out.taken += 1;
  }
  return out;
}

/** Facts computed since the last call, of every kind, for a cache to store. */
export function takeFreshZoneFacts(): StoredZoneFact[] {
  return [...memos.values()].flatMap((m) => m.takeFresh());
}

/**
 * The fact for `input`: remembered in this process, else stored by an earlier one, else computed now
 * (and remembered; stored later unless `compute` says it is not durable).
 */
export function zoneFact(memo: ZoneFactMemo, input: string, compute: () => { value: string | null; durable?: boolean }): string | null {
  const known = memo.get(input);
  if (known !== undefined) return known;
  const stored = memo.stored(input);
  if (stored !== undefined) {
    memo.set(input, stored, false);
    return stored;
  }
  const { value, durable = true } = compute();
  memo.set(input, value, durable);
  return value;
}
