"""Outgoing network access: the SSRF guard (``guard``) and the shared event loop (``loop``)."""
