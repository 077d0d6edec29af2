// The one keychain item per OAuth2 account: refresh token, issuer, client id, user, scopes and
// when it was obtained. Validated on the way in and out; never holds an access token.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { MAX_TOKEN_RECORD_BYTES } from './auth-limits.ts';

export const TOKEN_ITEM_PREFIX = 'oauth2:';

/** The keychain item name: per account, so signing one account out never touches another. */
export function tokenItemName(accountName: string): string {
  return `${TOKEN_ITEM_PREFIX}${accountName}`;
}

export const TokenRecordSchema = z.strictObject({
  v: z.literal(1),
  issuer: z.string().url(),
  clientId: z.string().min(1),
  user: z.string().min(1),
  scopes: z.array(z.string()),
  refreshToken: z.string().min(1),
  /** ISO time the refresh token was issued to us (sign-in or rotation). */
  obtainedAt: z.string(),
});

export type TokenRecord = z.infer<typeof TokenRecordSchema>;

/** The record as stored; on Windows, whose Credential Manager caps an item, a larger one is refused with the reason. */
export function encodeRecord(r: TokenRecord, platform: NodeJS.Platform = process.platform): string {
  const text = JSON.stringify(TokenRecordSchema.parse(r));
  const size = Buffer.byteLength(text);
  if (platform === 'win32' && size > MAX_TOKEN_RECORD_BYTES) {
    throw new AppError('KEYCHAIN_UNAVAILABLE', `The sign-in is ${size} bytes, more than the ${MAX_TOKEN_RECORD_BYTES} the Windows Credential Manager keeps in one item; it was not saved.`);
  }
  return text;
}

/** undefined for an item that is not a record of ours (damaged, or from another program). */
export function decodeRecord(text: string | null | undefined): TokenRecord | undefined {
  if (!text) return undefined;
  try {
    const r = TokenRecordSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
