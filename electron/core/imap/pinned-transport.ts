// Trust for exactly one certificate the user chose: an imapflow transport that accepts the server
// only when the presented leaf certificate has the pinned SHA-256 fingerprint. Any other
// certificate is refused before a byte of IMAP is exchanged, even one a trusted CA signed (a
// TLS-inspection proxy's), so the password never reaches anything but that server.
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

export class PinMismatchError extends Error {
  readonly code = 'CERT_PIN_MISMATCH';
  constructor(
    readonly presented: string,
    readonly pinned: string,
    readonly verifyCode: string,
  ) {
    super(`certificate fingerprint ${presented} does not match the pinned ${pinned} (${verifyCode})`);
  }
}

/** "ab:cd…" / "ABCD…" → "AB:CD:…" (Node's fingerprint256 form). Returns undefined if it is not 32 hex bytes. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text.trim().replace(/^sha-?256[:=\s]*/i, '').replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

interface TransportOptions {
  host: string;
  port: number;
  servername?: string;
  secure?: boolean;
  tls?: tls.ConnectionOptions;
}

function secureOptions(options: TransportOptions, extra: tls.ConnectionOptions): tls.ConnectionOptions {
  return {
    ...options.tls,
    host: options.host,
    port: options.port,
    ...(options.servername ? { servername: options.servername } : {}),
    ...extra,
    // Checked below against the pin instead: the presented leaf must be the pinned one, nothing else.
    rejectUnauthorized: false,
  };
}

/** Runs onOk once the leaf is the pinned one, or destroys the socket with the reason. */
function verifyThen(sock: tls.TLSSocket, pin: string, onOk: () => void): void {
  // The pin is the whole trust decision: a chain that verifies (sock.authorized) is not enough.
  const presented = sock.getPeerCertificate(false)?.fingerprint256 ?? '';
  if (presented && presented.toUpperCase() === pin) return onOk();
  const why = String(sock.authorizationError ?? (sock.authorized ? 'a valid certificate, but not the pinned one' : 'unverified'));
  // Destroyed on the next turn, not inside the handshake callback: tearing the TLS handle down
  // while OpenSSL is still in its callback crashed Node 20 (segfault) on a later connection.
  sock.pause();
  setImmediate(() => sock.destroy(new PinMismatchError(presented, pin, why)));
}

export function pinnedTransport(pinned: string): {
  connect(options: TransportOptions, onConnect: () => void): Duplex;
  upgrade(socket: Duplex, options: TransportOptions, onSecure: () => void): Duplex;
} {
  const pin = normalizeFingerprint(pinned);
  if (!pin) throw new Error(`not a SHA-256 fingerprint: ${pinned}`);
  return {
    connect(options, onConnect) {
      if (!options.secure) return net.connect({ host: options.host, port: options.port }, onConnect);
      const sock: tls.TLSSocket = tls.connect(secureOptions(options, {}), () => verifyThen(sock, pin, onConnect));
      return sock;
    },
    upgrade(socket, options, onSecure) {
      const sock: tls.TLSSocket = tls.connect(secureOptions(options, { socket }), () => verifyThen(sock, pin, onSecure));
      return sock;
    },
  };
}
