// The closed set of error codes mailbox2ics reports, and one table code → user message prefix.
// Pure TypeScript (no Node, no Electron): the CLI, the main process and the renderer all import it.

export const ERROR_CODES = [
  'USAGE',
  'CONFIG',
  'NO_PASSWORD',
  'KEYCHAIN_UNAVAILABLE',
  'TLS_UNTRUSTED',
  'TLS_HOSTNAME',
  'TLS_FAILED',
  'LOGIN_REJECTED',
  /** The IMAP server refused an OAuth2 access token (the caller refreshes once and retries once). */
  'TOKEN_REJECTED',
  /** The OAuth2 grant is gone (revoked, expired, reused, never made): only a new sign-in helps. */
  'REAUTH_REQUIRED',
  /** The OAuth2 provider could not be reached or answered with an error. */
  'OAUTH_FAILED',
  'CONNECTION_REFUSED',
  'CONNECTION_TIMEOUT',
  'CONNECTION_LOST',
  'HOST_NOT_FOUND',
  'SERVER_TIMEOUT',
  'SERVER_PROTOCOL',
  'FOLDER_NOT_FOUND',
  'SOURCE_UNREADABLE',
  'OUTPUT_FAILED',
  'SETTINGS_WRITE_FAILED',
  'CANCELLED',
  'CACHE_BUSY',
  /** The main process refused what the window asked (a path it did not choose, a password for other settings). */
  'REFUSED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_TITLES: Record<ErrorCode, string> = {
  USAGE: 'Invalid command line',
  CONFIG: 'Invalid configuration',
  NO_PASSWORD: 'No password available',
  KEYCHAIN_UNAVAILABLE: 'The system keychain is not available',
  TLS_UNTRUSTED: 'The server certificate is not trusted',
  TLS_HOSTNAME: 'The server certificate does not match the host name',
  TLS_FAILED: 'The secure connection failed',
  LOGIN_REJECTED: 'The server rejected the login',
  TOKEN_REJECTED: 'The server rejected the sign-in token',
  REAUTH_REQUIRED: 'Sign in again',
  OAUTH_FAILED: 'The sign-in provider failed',
  CONNECTION_REFUSED: 'The connection was refused',
  CONNECTION_TIMEOUT: 'The connection timed out',
  CONNECTION_LOST: 'The connection to the server was lost',
  HOST_NOT_FOUND: 'The server name could not be resolved',
  SERVER_TIMEOUT: 'The server did not finish in time',
  SERVER_PROTOCOL: 'The server sent data beyond the limits',
  FOLDER_NOT_FOUND: 'A folder does not exist',
  SOURCE_UNREADABLE: 'A mail source could not be read',
  OUTPUT_FAILED: 'The calendar could not be written',
  SETTINGS_WRITE_FAILED: 'The settings could not be saved',
  CANCELLED: 'Cancelled',
  CACHE_BUSY: 'The sync cache is busy',
  REFUSED: 'Not allowed',
  INTERNAL: 'Unexpected error',
};
