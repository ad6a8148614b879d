"""identify_columns gives, per row, what identify_device gives."""

from __future__ import annotations

import numpy as np

from cleanpath.domain import DeviceRecord
from cleanpath.identify import identify_device
from cleanpath.identify.batch import identify_columns
from cleanpath.kb import load_kb

ROWS = [
    (
        "1.3.6.1.4.1.2011.2.23.294",
        "Huawei Versatile Routing Platform Software",
        "00:e0:fc:00:00:01",
    ),
    (
        "1.3.6.1.4.1.2011.2.23.294",
        "Huawei Versatile Routing Platform Software",
        "00:00:0c:00:00:01",
    ),
    (None, "Cisco IOS Software, C2960", "00:e0:fc:12:34:56"),
    ("1.3.6.1.4.1.39165.1", None, "00:bc:99:00:00:01"),
    ("1.3.6.1.4.1.8072.3.2.10", "Linux host", None),
    (None, None, "not-a-mac"),
    ("1.3.6.1.4.1.25506.11.1.24", "HP Comware Platform Software", "00:1b:c5:00:00:07"),
]


def test_same_answer_as_row_by_row() -> None:
    kb = load_kb()
    rows = ROWS * 3
    res = identify_columns(
        kb,
        sys_object_ids=[r[0] for r in rows],
        sys_descrs=[r[1] for r in rows],
        macs=[r[2] for r in rows],
    )
    assert res.groups == len(ROWS)
    for i, (oid, descr, mac) in enumerate(rows):
        ident = identify_device(DeviceRecord("x", mac=mac, sys_object_id=oid, sys_descr=descr), kb)
        assert res.manufacturers[i] == ident.manufacturer
        assert np.isclose(res.confidence[i], ident.confidence)
