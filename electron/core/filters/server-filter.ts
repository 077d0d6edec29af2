// Message filters that become an IMAP SEARCH, so unwanted messages are never fetched, plus an exact
// sender allow-list check (SEARCH FROM is a substring match). Validates everything before any I/O.
import type { SearchObject } from 'imapflow';
import { AppError } from '../errors.ts';

export interface ServerFilterSpec {
  from?: string;
  to?: string;
  subject?: string;
  /** YYYY-MM-DD */
  since?: string;
  before?: string;
  headers?: Array<{ name: string; value: string }>;
  /** Addresses (alice@example.com) or domains (example.com, @example.com). */
  allowSenders?: string[];
}

export interface ServerFilter {
  search: SearchObject;
  /** True when the message's sender address passes the allow-list (always true without one). */
  senderAllowed(address: string | undefined): boolean;
  /** The normalised allow-list (lower case), for cache keys. */
  allowList: string[];
  isEmpty: boolean;
}

function usage(msg: string): AppError {
  return new AppError('USAGE', msg);
}

export function parseDate(text: string, flag: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw usage(`${flag} "${text}" is not a valid date (expected YYYY-MM-DD, e.g. 2026-03-01)`);
  }
  return d;
}

const HEADER_NAME = /^[!-9;-~]+$/; // RFC 5322 field name: printable ASCII except ':'
const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN = /^@?([a-z0-9-]+\.)+[a-z]{2,}$/i;

export function parseHeaderFilter(text: string): { name: string; value: string } {
  const i = text.indexOf(':');
  const name = i > 0 ? text.slice(0, i).trim() : '';
  if (!name || !HEADER_NAME.test(name)) throw usage(`--header "${text}" must look like NAME:VALUE (e.g. X-Mailer:Microsoft Exchange)`);
  return { name, value: text.slice(i + 1).trim() };
}

export function buildServerFilter(spec: ServerFilterSpec): ServerFilter {
  const search: SearchObject = {};
  if (spec.from) search.from = spec.from;
  if (spec.to) search.to = spec.to;
  if (spec.subject) search.subject = spec.subject;
  const since = spec.since ? parseDate(spec.since, '--since') : undefined;
  const before = spec.before ? parseDate(spec.before, '--before') : undefined;
  if (since && before && since >= before) throw usage(`--since ${spec.since} is not before --before ${spec.before}: no message could match`);
  if (since) search.since = since;
  if (before) search.before = before;
  if (spec.headers?.length) {
    // imapflow takes one header object; several names AND together, as SEARCH criteria do.
    search.header = Object.fromEntries(spec.headers.map((h) => [h.name, h.value]));
  }
  const allow = (spec.allowSenders ?? []).map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const a of allow) if (!ADDRESS.test(a) && !DOMAIN.test(a)) throw usage(`--allow-sender "${a}" is neither an address (alice@example.com) nor a domain (example.com)`);
  const froms = allow.map((a) => ({ from: a.replace(/^@/, '') }));
  // IMAP OR takes exactly two keys; a single allowed sender is a plain FROM unless --from is set too.
  if (froms.length === 1 && !search.from) search.from = froms[0].from;
  else if (froms.length === 1) search.or = [froms[0], froms[0]];
  else if (froms.length > 1) search.or = froms;
  const senderAllowed = (address: string | undefined): boolean => !allow.length || senderMatches(allow, address);
  return { search, senderAllowed, allowList: allow, isEmpty: Object.keys(search).length === 0 };
}

/**
 * True when the address is one of the allow-list's addresses or lies in one of its domains (or a
 * subdomain). The list is lower case as buildServerFilter normalises it; an empty list matches nothing.
 */
export function senderMatches(allow: readonly string[], address: string | undefined): boolean {
  const addr = (address ?? '').trim().toLowerCase();
  if (!addr) return false;
  const domain = addr.split('@')[1] ?? '';
  return allow.some((a) => (a.includes('@') && !a.startsWith('@') ? a === addr : domain === a.replace(/^@/, '') || domain.endsWith(`.${a.replace(/^@/, '')}`)));
}
