// Tells a failure of the connection or the server (the network, TLS, imapflow, a NO/BAD answer)
// from one of ours, so a bug or a hostile item we failed to contain is never blamed on the network.
import type { ImapFlow } from 'imapflow';

/**
 * Whether a failure during the scan came from the connection or the server: the socket, TLS or DNS
 * layer (Node's E… codes), imapflow's own codes, a server's NO/BAD answer, or a connection imapflow
 * no longer considers usable. Anything else (a TypeError, a stack overflow, a cache error) is ours.
 */
export function isConnectionFailure(err: unknown, client?: Pick<ImapFlow, 'usable'>): boolean {
  const e = err as { code?: unknown; responseStatus?: unknown; serverResponseCode?: unknown } | null;
  if (client && client.usable === false) return true;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.responseStatus === 'string' || typeof e.serverResponseCode === 'string') return true;
  if (typeof e.code !== 'string') return false;
  return /^E[A-Z0-9_]+$/.test(e.code) || /^ERR_(TLS|SSL)_/.test(e.code) || IMAP_CODES.has(e.code) || e.code.startsWith('ParserError');
}

// imapflow's error codes (its errors.js) that mean the connection or the server failed.
const IMAP_CODES = new Set(['NoConnection', 'EConnectionClosed', 'StateLogout', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS',
  'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'LockTimeout', 'ETHROTTLE', 'UnexpectedTag', 'MissingTag',
  'InvalidResponse', 'ResponseProcessingFailed', 'STARTTLS_INJECTION', 'COMPRESS_TRAILING_DATA', 'PollFailed', 'NotFound',
  'MissingServerExtension', 'MAX_IMAP_NESTING_REACHED', 'LineTooLarge', 'LiteralTooLarge', 'ResponseTooLarge', 'TooManyTokens',
  'TooManyResponses', 'DownloadOverflow', 'DownloadIncomplete', 'ProxyError', 'EPROXY', 'NoMailboxSelected']);
