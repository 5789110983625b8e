"""Stand-ins for the outside systems Guichet talks to, each a service on its own port."""
