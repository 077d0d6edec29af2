// Builds the TLS options for a connection: certificates are always verified; a user-chosen CA file
// adds trust on top of the system store. Never sets rejectUnauthorized to false, never reads a file.
import { createSecureContext, rootCertificates, type ConnectionOptions, type SecureContext } from 'node:tls';

export interface TrustOptions {
  /** PEM file with extra CA (or self-signed server) certificates to trust. */
  caFile?: string;
  /** The CA file's certificates, read once by readCaFile (ca-file.ts) before connecting. */
  caPem?: string;
  /** SHA-256 fingerprint of the one server certificate the user chose to trust (pinned). */
  pinnedFingerprint?: string;
}

const MIN_VERSION = 'TLSv1.2';
/** Secure contexts by the PEM they add to the system roots; a handful of CA files at most. */
const contexts = new Map<string, SecureContext>();

/**
 * The bundled roots plus the user's certificates, as one reusable context. Why: building it parses
 * ~140 root certificates (30-40 ms here), which a long-running process would otherwise pay on
 * every reconnect. Keyed by the file's content, so a replaced CA file takes effect at once.
 */
function contextWith(pem: string): SecureContext {
  let ctx = contexts.get(pem);
  if (!ctx) {
    // Passing `ca` replaces Node's bundled roots, so keep them and add the user's certificates.
    ctx = createSecureContext({ ca: [...rootCertificates, pem], minVersion: MIN_VERSION });
    if (contexts.size >= 8) contexts.delete(contexts.keys().next().value!);
    contexts.set(pem, ctx);
  }
  return ctx;
}

export function tlsOptions(trust: TrustOptions): ConnectionOptions {
  const opts: ConnectionOptions = { rejectUnauthorized: true, minVersion: MIN_VERSION };
  // The file is read (and checked) for every connection by its caller; only the parsed context is reused.
  if (trust.caPem) opts.secureContext = contextWith(trust.caPem);
  return opts;
}
