// An untrusted server certificate, in plain words: what it means, "Trust this certificate" first,
// then the facts to check (the fingerprint once, who it was issued to and by, validity). Trusting
// pins exactly this certificate. Server text is text.
import type { Certificate } from '../../types.ts';

export function CertificateCard({ certificate: c, server, pinned, onTrust, onDismiss }: {
  certificate: Certificate; server?: string; pinned?: string; onTrust: () => void; onDismiss?: () => void;
}) {
  const changed = !!pinned && pinned !== c.fingerprint256;
  return (
    <section className="banner warning cert" role="alert" aria-labelledby="cert-title">
      <strong id="cert-title">{changed ? 'The server certificate has changed' : 'The server certificate is not trusted'}</strong>
      <p className="lead">
        {changed
          ? `${server ?? 'The server'} now shows a different certificate from the one you trusted. If your administrator replaced it, trust the new one; if not, someone may be intercepting the connection: do not continue.`
          : `${server ?? 'The server'} shows a certificate your system does not know${c.selfSigned ? ' (it signed its own certificate)' : ''}. Company servers often do this. Trust it only if the fingerprint below matches the one your administrator gave you.`}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onTrust}>
          Trust this certificate
        </button>
        {onDismiss && (
          <button type="button" onClick={onDismiss}>
            Don't trust
          </button>
        )}
      </div>
      <dl>
        <dt>Fingerprint (SHA-256)</dt>
        <dd>
          <code className="fingerprint">{c.fingerprint256}</code>
        </dd>
        <dt>Issued to</dt>
        <dd>{c.subject}</dd>
        <dt>Issued by</dt>
        <dd>{c.selfSigned ? `${c.issuer} (itself)` : c.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          from {c.validFrom} until {c.validTo}
        </dd>
      </dl>
      <p className="muted">Trusting accepts this one certificate for this account; if the server later shows another, the connection is refused. Instead of trusting it, you can also choose your organisation's CA file below.</p>
    </section>
  );
}
