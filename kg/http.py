"""HTTP clients of other triple stores: one opener that answers their authentication challenges."""

from __future__ import annotations

import urllib.request


def opener(url: str, auth: str | None = None) -> urllib.request.OpenerDirector:
    """An opener for ``url``; with ``auth`` ("user:password") it answers Basic (Fuseki, GraphDB) and Digest (Virtuoso)."""
    if not auth:
        return urllib.request.build_opener()
    user, _, password = auth.partition(":")
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, password)
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)
    )
