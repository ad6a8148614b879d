"""The HTTP edge of the Redfish collector: stdlib ``urllib``, basic or session auth,
redirects only within the same origin, every failure turned into a :class:`FetchError`."""

from __future__ import annotations

import base64
import contextlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from http.client import HTTPException
from typing import Any

from cleanpath.discover.redfish import ROOT, FetchError
from cleanpath.errors import DiscoveryError

__all__ = ["RedfishHttp"]

SESSIONS = f"{ROOT}/SessionService/Sessions"


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to the same scheme, host and port (credentials stay there)."""

    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc) != (new.scheme, new.netloc):
            raise FetchError(f"HTTP {code}: refusing redirect to another host ({new.netloc})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class RedfishHttp:
    """GET JSON documents from one Redfish service; ``login``/``logout`` for a session."""

    def __init__(self, url: str, *, user: str | None, password: str | None, timeout: float):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise DiscoveryError(f"not an http(s) URL: {url!r}", field="redfish")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.user, self.password, self.timeout = user, password, timeout
        self.opener = urllib.request.build_opener(_SameOrigin())
        self.headers = {"Accept": "application/json", "OData-Version": "4.0"}
        self.session: str | None = None
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"

    def _open(self, req: urllib.request.Request) -> tuple[bytes, Mapping[str, str]]:
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                return resp.read(), dict(resp.headers.items())
        except urllib.error.HTTPError as exc:
            what = "redirect loop" if 300 <= exc.code < 400 else exc.reason
            raise FetchError(f"HTTP {exc.code}: {what}") from None
        except urllib.error.URLError as exc:
            raise FetchError(f"cannot reach {self.base}: {exc.reason}") from None
        except (TimeoutError, OSError, HTTPException) as exc:
            raise FetchError(f"cannot read {req.full_url}: {exc!r}") from None

    def get(self, path: str) -> Mapping[str, Any]:
        """The JSON object at ``path``; FetchError for HTTP errors, bad JSON, loops."""
        body, _ = self._open(urllib.request.Request(self.base + path, headers=self.headers))
        try:
            doc = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FetchError(f"invalid JSON ({len(body)} bytes): {exc}") from None
        if not isinstance(doc, Mapping):
            raise FetchError("JSON document is not an object")
        return doc

    def login(self) -> None:
        """Open a Redfish session; later requests carry its ``X-Auth-Token`` instead of basic
        auth."""
        payload = json.dumps({"UserName": self.user or "", "Password": self.password or ""})
        headers = {k: v for k, v in self.headers.items() if k != "Authorization"}
        req = urllib.request.Request(
            self.base + SESSIONS,
            data=payload.encode(),
            method="POST",
            headers={**headers, "Content-Type": "application/json"},
        )
        _, got = self._open(req)
        lower = {k.lower(): v for k, v in got.items()}
        if "x-auth-token" not in lower:
            raise FetchError("the service returned no X-Auth-Token")
        headers["X-Auth-Token"] = lower["x-auth-token"]
        self.headers = headers
        self.session = urllib.parse.urljoin(self.base + SESSIONS, lower.get("location", ""))

    def logout(self) -> None:
        """Delete the session, if one was opened (failures are ignored: it expires anyway)."""
        if self.session is None or not self.session.startswith(self.base):
            return
        req = urllib.request.Request(self.session, method="DELETE", headers=self.headers)
        with contextlib.suppress(FetchError):
            self._open(req)
        self.session = None
