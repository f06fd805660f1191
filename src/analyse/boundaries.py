"""Municipal boundaries for overview maps: ``data/raw/gemeentegrenzen_<jaar>.geojson`` read and checked.

The file is data like any other in ``data/raw`` (CBS/Kadaster wijk- en buurtkaart, simplified, WGS84 longitude
and latitude; its line in ``bronnen.csv`` names the source and licence). It is checked as it is read: a
FeatureCollection of Polygon or MultiPolygon features, each with a ``gemeentecode`` (``GM`` and four digits,
once) and a ``gemeentenaam``, every ring closed, with at least four positions, inside the box around the
Netherlands. Whatever does not fit is a :class:`~analyse.schema.Problem` that names the file and the place in it
(``features[12].properties.gemeentecode``); nothing is repaired or guessed. The boundaries are returned as
one row per ring position (:func:`read`), holes turned against their outer ring so a filled polygon leaves
them open.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analyse.schema import DataError, Problem

PATTERN = "gemeentegrenzen_*.geojson"
"""The boundary files of ``data/raw``: one per year of the municipal division (``gemeentegrenzen_2023``)."""
BOX = (3.0, 50.5, 7.5, 53.8)
"""Longitude and latitude (WGS84) around the Netherlands: a position outside it is not a Dutch boundary (or the
coordinates are swapped or projected)."""
MAX_BYTES = 50_000_000
"""A larger file is refused: the simplified boundaries of all municipalities take well under a megabyte."""
_CODE = re.compile(r"GM\d{4}")


def find(raw_dir: Path) -> tuple[Path, int] | None:
    """The newest boundary file in ``raw_dir`` and the year of its division; None when there is none."""
    found = []
    for path in Path(raw_dir).glob(PATTERN):
        year = path.stem.rsplit("_", 1)[-1]
        if year.isdigit():
            found.append((int(year), path))
    if not found:
        return None
    year, path = max(found)
    return path, year


def read(path: Path) -> pd.DataFrame:
    """The boundaries in ``path``: columns ``gemeentecode``, ``gemeentenaam``, ``ring`` (one number per ring,
    over the whole file), ``lon``, ``lat``; outer rings counter-clockwise, holes clockwise.

    Raises :class:`~analyse.schema.DataError` listing every problem found (file and place in it)."""
    path = Path(path)
    problems: list[Problem] = []

    def problem(where: str, value, expected: str) -> None:
        problems.append(Problem(path.name, None, where, None if value is None else str(value)[:60], expected))

    document = _load(path, problem)
    if document is None:
        raise DataError(problems)
    rows, seen, ring = [], {}, 0
    for i, feature in enumerate(document["features"]):
        where = f"features[{i}]"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            problem(where, None, "een Feature met properties")
            continue
        code, name = feature["properties"].get("gemeentecode"), feature["properties"].get("gemeentenaam")
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            problem(f"{where}.properties.gemeentecode", code, "een CBS-gemeentecode als GM0556")
            continue
        if code in seen:
            problem(f"{where}.properties.gemeentecode", code, f"één keer; ook in features[{seen[code]}]")
            continue
        seen[code] = i
        if not isinstance(name, str) or not name.strip():
            problem(f"{where}.properties.gemeentenaam", name, "de naam van de gemeente")
            continue
        for polygon in _polygons(feature.get("geometry"), f"{where}.geometry", problem):
            for hole, positions in enumerate(polygon):
                xy = _ring(positions, f"{where}.geometry", problem)
                if xy is None:
                    continue
                clockwise = _signed_area(xy) < 0
                if clockwise != bool(hole):  # outer rings counter-clockwise, holes clockwise
                    xy = xy[::-1]
                rows.append((code, name.strip(), ring, xy))
                ring += 1
    if problems:
        raise DataError(problems)
    if not rows:
        problem("features", None, "ten minste één gemeente met een grens")
        raise DataError(problems)
    sizes = [len(xy) for *_, xy in rows]
    return pd.DataFrame({"gemeentecode": np.repeat([r[0] for r in rows], sizes),
                         "gemeentenaam": np.repeat([r[1] for r in rows], sizes),
                         "ring": np.repeat([r[2] for r in rows], sizes),
                         "lon": np.concatenate([xy[:, 0] for *_, xy in rows]),
                         "lat": np.concatenate([xy[:, 1] for *_, xy in rows])})


def _load(path: Path, problem) -> dict | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            problem("bestand", f"{path.stat().st_size} bytes", f"ten hoogste {MAX_BYTES} bytes")
            return None
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        problem("bestand", None, f"een leesbaar bestand ({error.strerror or error})")
        return None
    except UnicodeDecodeError:
        problem("bestand", None, "tekst in UTF-8")
        return None
    except json.JSONDecodeError as error:
        problem(f"regel {error.lineno}, teken {error.colno}", None, f"geldige JSON ({error.msg})")
        return None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" \
            or not isinstance(document.get("features"), list):
        problem("type", document.get("type") if isinstance(document, dict) else None,
                "een GeoJSON FeatureCollection met een lijst features")
        return None
    return document


def _polygons(geometry, where: str, problem) -> list:
    """The polygons of a Polygon or MultiPolygon geometry (each a list of rings)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon") \
            or not isinstance(geometry.get("coordinates"), list):
        problem(f"{where}.type", geometry.get("type") if isinstance(geometry, dict) else None,
                "Polygon of MultiPolygon met coördinaten")
        return []
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    if not polygons or not all(isinstance(p, list) and p for p in polygons):
        problem(f"{where}.coordinates", None, "ten minste één polygoon met een buitenrand")
        return []
    return polygons


def _ring(positions, where: str, problem) -> np.ndarray | None:
    """One ring as an (n, 2) array, checked: numbers, closed, four positions or more, inside :data:`BOX`."""
    try:
        xy = np.asarray(positions, dtype=float)
    except (TypeError, ValueError):
        problem(f"{where}.coordinates", None, "posities van twee getallen (lengte, breedte)")
        return None
    if xy.ndim != 2 or xy.shape[1] != 2 or len(xy) < 4 or not np.isfinite(xy).all():
        problem(f"{where}.coordinates", None, "een ring van ten minste vier posities van twee getallen")
        return None
    if not np.array_equal(xy[0], xy[-1]):
        problem(f"{where}.coordinates", f"{xy[0].tolist()} .. {xy[-1].tolist()}", "een gesloten ring (eerste "
                "positie gelijk aan de laatste)")
        return None
    west, south, east, north = BOX
    if xy[:, 0].min() < west or xy[:, 0].max() > east or xy[:, 1].min() < south or xy[:, 1].max() > north:
        problem(f"{where}.coordinates", f"{xy[:, 0].min():.2f}..{xy[:, 0].max():.2f}, "
                f"{xy[:, 1].min():.2f}..{xy[:, 1].max():.2f}", "lengte en breedte (WGS84) binnen Nederland")
        return None
    return xy


def _signed_area(xy: np.ndarray) -> float:
    """Twice the signed area of a ring (positive: counter-clockwise)."""
    x, y = xy[:, 0], xy[:, 1]
    return float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def aspect(lat: float) -> float:
    """The height-to-width ratio of a degree at latitude ``lat``: a map in degrees drawn with it keeps its shape."""
    return 1 / math.cos(math.radians(lat))
