"""Off loopback the server needs a token; with a token every request needs the bearer."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from cleanpath.errors import InputError
from cleanpath.web import is_loopback, require_token_for

from .conftest import TOKEN, running_server


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("::", False), ("10.1.2.3", False),
     ("192.168.0.7", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_token_is_required_off_loopback() -> None:
    with pytest.raises(InputError, match="--token or set CLEANPATH_TOKEN"):
        require_token_for("0.0.0.0", None)
    require_token_for("0.0.0.0", "secret")
    require_token_for("127.0.0.1", None)


def test_serve_refuses_to_start_off_loopback_without_a_token(
    ring_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import cleanpath.cli.runs  # noqa: F401  (registers `serve`)
    from cleanpath.cli import main

    monkeypatch.delenv("CLEANPATH_TOKEN", raising=False)
    with pytest.raises(SystemExit) as exc:  # refused before anything is bound
        main(["serve", "--db", str(ring_db), "--host", "0.0.0.0", "--port", "1"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "would expose the dashboard" in err
    assert "Traceback" not in err


def test_bearer_token_is_checked(ring_db: Path) -> None:
    with running_server(ring_db, token=TOKEN) as url:
        assert httpx.get(f"{url}/api/runs").status_code == 401
        bad = httpx.get(f"{url}/api/runs", headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
        assert bad.headers["www-authenticate"] == "Bearer"
        ok = httpx.get(f"{url}/api/runs", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        assert ok.json()["total"] == 2
        assert httpx.get(f"{url}/runs/1").status_code == 401
