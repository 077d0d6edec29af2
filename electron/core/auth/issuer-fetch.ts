// A fetch for openid-client that talks to the issuer over node:https: verified TLS (optionally
// trusting a private CA), a size cap and a timeout. Never follows redirects, never logs a body.
import https from 'node:https';
import tls from 'node:tls';
import { ISSUER_TIMEOUT_MS, MAX_ISSUER_RESPONSE_BYTES } from './auth-limits.ts';

export type IssuerFetch = (url: string, init: { method?: string; headers?: Record<string, string> | Headers; body?: unknown; signal?: AbortSignal | null }) => Promise<Response>;

function headerRecord(h: Record<string, string> | Headers | undefined): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  return { ...h };
}

function bodyOf(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('unsupported request body');
}

/** caPem: extra certificates to trust (a private issuer), in addition to the system's. */
export function issuerFetch(caPem?: string): IssuerFetch {
  // The bundled roots plus the given CA: `ca` alone would replace the roots, not add to them.
  const ca = caPem ? [...tls.rootCertificates, caPem] : undefined;
  return (url, init) => new Promise<Response>((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'https:') return reject(new Error(`refusing to contact the issuer over ${u.protocol} (${u.host})`));
    const body = bodyOf(init.body);
    const headers = headerRecord(init.headers);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const req = https.request(u, { method: init.method ?? 'GET', headers, ca, timeout: ISSUER_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ISSUER_RESPONSE_BYTES) {
          req.destroy(new Error(`${u.host} sent more than ${MAX_ISSUER_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 500;
        // Response refuses a body with these statuses.
        const nobody = status === 204 || status === 304;
        resolve(new Response(nobody ? null : Buffer.concat(chunks), { status, headers: h }));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${u.host} did not answer within ${ISSUER_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    const signal = init.signal;
    if (signal) {
      if (signal.aborted) req.destroy(signal.reason as Error);
      signal.addEventListener('abort', () => req.destroy(signal.reason as Error), { once: true });
    }
    req.end(body);
  });
}
