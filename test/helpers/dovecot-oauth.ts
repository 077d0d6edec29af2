// Dovecot with an oauth2 passdb in front of the test authorization server: introspection
// (XOAUTH2 + OAUTHBEARER) or local JWT validation (XOAUTH2 only, so that mechanism is exercised).
// Test-only: the settings follow what was measured with Dovecot 2.3.19.

import { startDovecot, type DovecotServer } from './dovecot.ts';
import { DOVECOT_CLIENT_ID, IMAP_SCOPE, type OAuthServer } from './oauth-server.ts';

export async function startOAuthDovecot(as: OAuthServer, mode: 'introspection' | 'local', user = 'alice@example.test'): Promise<DovecotServer> {
  const common = ['username_attribute = email', `scope = ${IMAP_SCOPE}`];
  const settings = mode === 'introspection'
    ? [
        'introspection_mode = post',
        `introspection_url = ${as.issuer}/token/introspection`,
        `client_id = ${DOVECOT_CLIENT_ID}`,
        `client_secret = ${as.dovecotClientSecret}`,
        // Copied into the instance's folder: Dovecot's auth process cannot read the server's private temp dir.
        'tls_ca_cert_file = {ROOT}/issuer-ca.pem',
        `openid_configuration_url = ${as.issuer}/.well-known/openid-configuration`,
        ...common,
      ]
    : [
        'introspection_mode = local',
        'local_validation_key_dict = fs:posix:prefix={ROOT}/keys/',
        `issuers = ${as.issuer}`,
        'active_attribute =',
        'active_value =',
        ...common,
      ];
  return startDovecot({
    user,
    password: 'unused-with-oauth2',
    oauth2: {
      mechanisms: mode === 'introspection' ? 'xoauth2 oauthbearer' : 'xoauth2',
      settings: settings.join('\n') + '\n',
      files: mode === 'local' ? { [`keys/default/RS256/${as.signingKey.kid}`]: as.signingKey.publicPem } : { 'issuer-ca.pem': as.pki.caPem },
    },
  });
}

