// A real OpenID Connect provider on 127.0.0.1:9091 for HCC's citizen sign-in tests: oidc-provider
// with its development login and consent forms (any login name, any password), dynamic client
// registration (each test registers its own redirect URL), PKCE required, RS256 ID tokens.
// Not for production: keys are generated at start and nothing is persisted.
import Provider from 'oidc-provider';

const host = process.env.OIDC_HOST || '127.0.0.1';
const port = Number(process.env.OIDC_PORT || 9091);
const issuer = `http://${host}:${port}`;

const provider = new Provider(issuer, {
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
  },
  pkce: { required: () => true },
  // The name travels in the ID token itself (the relying party reads no userinfo).
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], profile: ['name'] },
  scopes: ['openid', 'profile'],
  // Every login name is an account; its name shows the person it stands for.
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, name: `Công dân ${id}` }; } };
  },
  cookies: { keys: ['hcc-local-oidc-provider-test-key'] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 120, IdToken: 600 },
});
provider.proxy = false;
provider.listen(port, host, () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
