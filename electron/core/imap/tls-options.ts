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

/** The native side of a context: Node adds each `ca` given to createSecureContext through it. */
type NativeContext = { addCACert?: (pem: string) => void };

/**
 * Node's bundled roots plus the user's certificates, in a store of this context's own. Node copies
 * its shared root store before it adds a certificate to a context that uses it, so no other
 * connection (an OAuth sign-in, another account) comes to trust the file. Handing the ~140 roots
 * over as `ca` strings took 20-40 ms of each fresh process; the native copy takes about 2 ms.
 */
function buildContext(pem: string): SecureContext {
  const ctx = createSecureContext({ minVersion: MIN_VERSION });
  const native = (ctx as unknown as { context?: NativeContext }).context;
  if (typeof native?.addCACert !== 'function') {
    // Passing `ca` replaces Node's bundled roots, so keep them and add the user's certificates.
    return createSecureContext({ ca: [...rootCertificates, pem], minVersion: MIN_VERSION });
  }
  native.addCACert(pem);
  return ctx;
}

/**
 * The bundled roots plus the user's certificates, as one reusable context, which a long-running
 * process would otherwise build again on every reconnect. Keyed by the file's content, so a
 * replaced CA file takes effect at once.
 */
function contextWith(pem: string): SecureContext {
  let ctx = contexts.get(pem);
  if (!ctx) {
    ctx = buildContext(pem);
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
