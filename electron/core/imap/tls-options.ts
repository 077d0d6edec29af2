// Builds the TLS options for a connection: certificates are always verified; a user-chosen CA file
// adds trust on top of the system store. Never sets rejectUnauthorized to false.
import { readFileSync } from 'node:fs';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { AppError } from '../errors.ts';

export interface TrustOptions {
  /** PEM file with extra CA (or self-signed server) certificates to trust. */
  caFile?: string;
  /** SHA-256 fingerprint of the one server certificate the user chose to trust (pinned). */
  pinnedFingerprint?: string;
}

export function loadCaFile(caFile: string): string {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (err) {
    throw new AppError('CONFIG', `Cannot read the CA file ${caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { file: caFile });
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw new AppError('CONFIG', `The CA file ${caFile} contains no PEM certificate`, { file: caFile });
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch {
      throw new AppError('CONFIG', `The CA file ${caFile} contains a certificate that cannot be read`, { file: caFile });
    }
  }
  return blocks.join('\n');
}

export function tlsOptions(trust: TrustOptions): ConnectionOptions {
  const opts: ConnectionOptions = { rejectUnauthorized: true, minVersion: 'TLSv1.2' };
  // Passing `ca` replaces Node's bundled roots, so keep them and add the user's certificates.
  if (trust.caFile) opts.ca = [...rootCertificates, loadCaFile(trust.caFile)];
  return opts;
}
