"""The web dashboard: FastAPI pages over the results store, each with a JSON twin under /api.

``create_app(db_path, token=...)`` builds the app; ``serve(...)`` runs it with uvicorn and
refuses to listen beyond loopback without a token.
"""

from __future__ import annotations

from pathlib import Path

from cleanpath.web.app import create_app, is_loopback, require_token_for

__all__ = ["create_app", "is_loopback", "require_token_for", "serve"]


def serve(
    db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None
) -> None:
    """Serve the dashboard until interrupted (token required off loopback)."""
    import uvicorn

    require_token_for(host, token)
    app = create_app(db_path, token=token)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_keep_alive=30)  # fmt: skip
