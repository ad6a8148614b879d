"""The FastAPI app factory: error mapping, bearer token, strict query parameters.

Every error is an answer with a clear message: an unknown run or demand is 404, a bad or
unknown query parameter is 400, a missing or wrong bearer token is 401.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from cleanpath.errors import InputError, StoreError
from cleanpath.store import NotFoundError, Store

__all__ = ["create_app", "is_loopback", "require_token_for"]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_token_for(host: str, token: str | None) -> None:
    """Refuse to serve beyond this machine without a token (raises InputError)."""
    if not is_loopback(host) and not token:
        raise InputError(
            f"binding to {host} would expose the dashboard to the network; "
            "pass --token or set CLEANPATH_TOKEN (clients then send it as a bearer token)",
            field="host",
        )


def _message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid parameter: " + "; ".join(parts)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"detail": message}, status_code=status)
    from cleanpath.web.pages import render

    html = render("error.html.j2", title=f"Error {status}", status=status, message=message)
    return HTMLResponse(html, status_code=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _bad_params(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 400, _message(exc))

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, exc.message)

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError) -> Response:
        field = f"{exc.field}: " if exc.field else ""
        return _error(request, 400, field + exc.message)

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> Response:
        return _error(request, 503, f"the results database cannot answer: {exc.message}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))


def _install_token(app: FastAPI, token: str) -> None:
    want = f"Bearer {token}".encode()

    @app.middleware("http")
    async def _bearer(request: Request, call_next: Any) -> Response:
        got = request.headers.get("authorization", "").encode()
        if not secrets.compare_digest(got, want):
            return JSONResponse({"detail": "missing or wrong bearer token"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        response: Response = await call_next(request)
        return response


async def _reject_unknown_query(request: Request) -> None:
    """Every route declares its query parameters; anything else is a 400."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known: set[str] = set()
    todo = [dependant]
    while todo:
        d = todo.pop()
        known |= {p.alias for p in d.query_params}
        todo += d.dependencies
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        allowed = f"; allowed: {', '.join(sorted(known))}" if known else ""
        raise InputError(f"unknown query parameter(s): {', '.join(unknown)}{allowed}")


def create_app(db_path: str | Path, *, token: str | None = None) -> FastAPI:
    """The dashboard and its JSON API over the results database at ``db_path``.

    The database is opened read-only (upgraded first if it is older); with ``token`` every
    request must carry ``Authorization: Bearer <token>``.
    """
    from fastapi import Depends

    from cleanpath import __version__
    from cleanpath.web.api import router as api_router
    from cleanpath.web.pages import router as page_router

    store = Store.open(db_path, read_only=True)
    app = FastAPI(
        title="cleanpath",
        version=__version__,
        description="Saved cleanpath audit runs: verdicts, exposure, flows, plans and diffs.",
        dependencies=[Depends(_reject_unknown_query)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    _install_handlers(app)
    if token:
        _install_token(app, token)
    app.include_router(api_router)
    app.include_router(page_router)
    return app
