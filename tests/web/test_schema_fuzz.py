"""Schemathesis drives every operation of /openapi.json (a bounded number of examples each,
valid and invalid) against a real server on loopback: no answer may be a 5xx."""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

EXAMPLES = 12


@pytest.mark.slow
def test_no_server_errors(ring_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{ring_url}/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 8
    calls: list[int] = []
    for op, mode in itertools.product(operations, schemathesis.GenerationMode):

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case: schemathesis.Case) -> None:
            response = case.call(timeout=30)
            calls.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])

        run()
    assert len(calls) >= 8 * 10
    assert 400 in calls
