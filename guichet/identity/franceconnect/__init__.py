"""FranceConnect v2: Guichet as a service provider of the national identity federation.

`client` speaks the protocol (discovery, authorize, token, signed id_token and userinfo, end
session); `pivot` reads the identité pivot it returns; the use cases that log a member in or
create their account are in `identity.services.franceconnect`, the screens in `views`.
"""
