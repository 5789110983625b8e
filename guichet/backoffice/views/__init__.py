"""The back office's screens, split by area: login, members, work queues, supervision."""
