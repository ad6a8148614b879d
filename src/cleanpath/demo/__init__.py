"""Bundled demo inputs: three Topology Zoo networks, sites, hubs and an illustrative catalogue.

Re-exports the demo data helpers; ``run_demo`` (the demo builder) is added by the pipeline.
"""

from __future__ import annotations

from cleanpath.demo.catalog import Catalog, CatalogEntry, Profile, parse_catalog, read_catalog
from cleanpath.demo.inventory import (
    INVENTORY_COLUMNS,
    eligible_nodes,
    illustrative_inventory,
    inventory_csv_text,
    write_inventory_csv,
)
from cleanpath.demo.scenario import DemoScenario, data_file, demo_scenarios, parse_sites, read_sites

__all__ = [
    "INVENTORY_COLUMNS",
    "Catalog",
    "CatalogEntry",
    "DemoScenario",
    "Profile",
    "data_file",
    "demo_scenarios",
    "eligible_nodes",
    "illustrative_inventory",
    "inventory_csv_text",
    "parse_catalog",
    "parse_sites",
    "read_catalog",
    "read_sites",
    "write_inventory_csv",
]
