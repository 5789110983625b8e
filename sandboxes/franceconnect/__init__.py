"""A FranceConnect v2 sandbox: an OpenID Connect provider on Authlib, run on its own port.

It answers a service provider as FranceConnect v2 does (discovery, JWKS, authorize with a
chooser of test identities and a consent page, token with client authentication, id_token and
userinfo signed ES256 or RS256, end session), so that Guichet's client meets the real protocol
in the demo and in the browser journeys. docs/adr/0032 says why it is built this way.
"""
