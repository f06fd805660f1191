"""A stand-in for CBS open data in the fetch tests: serves the constructed tables in tests/fixtures/cbs.

:class:`FakeCbs` has the interface of :class:`analyse.cbs_http.ODataClient` (``rows``, ``url``) and honours
the OData filter the fetch sends, as the CBS server does: a record comes back only when, for every dimension
named in the filter, its key is one of the keys asked for. :func:`raw_dir` makes a ``data/raw`` with the
project's catalogues, so that the fetch's own validation runs as in the project.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

from analyse.cbs_mapping import FetchError

FIXTURES = Path(__file__).parent / "fixtures" / "cbs"
REPO_RAW = Path(__file__).parents[1] / "data" / "raw"
CATALOGUES = ("indicatoren.csv", "groepen.csv", "reeksen.csv", "bronnen.csv", "regios.csv", "beweringen.csv")
# bronnen that a fetch of these tables writes and the project's bronnen.csv does not (yet) list
EXTRA_BRONNEN = ("cbs_statline_37713", "cbs_statline_85458NED", "cbs_statline_83747NED")


def fixture(table: str) -> dict:
    content = json.loads((FIXTURES / f"{table}.json").read_text(encoding="utf-8"))
    content.pop("_toelichting", None)
    return content


def make_raw_dir(folder: Path, *, full: bool = False) -> Path:
    """A data/raw with the project's catalogues (``full``: every file of the project's data/raw)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in REPO_RAW.iterdir():
        if path.is_file() and (full or path.name in CATALOGUES):
            shutil.copyfile(path, folder / path.name)
    with (folder / "bronnen.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    with (folder / "bronnen.csv").open("a", encoding="utf-8") as handle:
        for bron in EXTRA_BRONNEN:
            row = {"bron": bron, "naam": f"CBS StatLine {bron[13:]}", "uitgever": "Centraal Bureau voor de Statistiek",
                   "adres": "https://opendata.cbs.nl", "licentie": "CC BY 4.0", "producent": "CBS", "soort": "primair"}
            handle.write(",".join(row.get(column, "") for column in header) + "\n")
    return folder


class FakeCbs:
    """Serves one constructed table; records every call as (name, query)."""

    def __init__(self, table: str, content: dict | None = None):
        self.table = table
        self.content = content if content is not None else fixture(table)
        self.calls: list[tuple[str, dict | None]] = []

    def url(self, catalogue, table, name, query=None) -> str:
        return f"fake://{catalogue}/{table}/{name}?{query}"

    def rows(self, catalogue, table, name, query=None) -> list[dict]:
        assert table == self.table
        self.calls.append((name, query))
        if name == "TypedDataSet":
            wanted = _parse_filter(query["$filter"])
            columns = query["$select"].split(",")
            out = []
            for record in self.content["TypedDataSet"]:
                if all(record.get(dim) in keys for dim, keys in wanted.items()):
                    out.append({k: v for k, v in record.items() if k in columns})
            return copy.deepcopy(out)
        if name not in self.content:
            raise FetchError(f"CBS gaf HTTP 404 Not Found voor tabel {table} op {self.url(catalogue, table, name)}")
        return copy.deepcopy(self.content[name])

    def data_queries(self) -> list[dict]:
        return [query for name, query in self.calls if name == "TypedDataSet"]


def _parse_filter(text: str) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {}
    for dim, key in re.findall(r"(\w+) eq '([^']*)'", text):
        wanted.setdefault(dim, set()).add(key)
    return wanted
