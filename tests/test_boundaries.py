"""Tests for analyse.boundaries: the municipal boundaries of the overview maps, read and checked (constructed
GeoJSON files; one test reads the shipped file)."""

import json
from pathlib import Path

import pytest

from analyse import boundaries
from analyse.schema import DataError

ROOT = Path(__file__).resolve().parents[1]
SQUARE = [[4.0, 52.0], [4.1, 52.0], [4.1, 52.1], [4.0, 52.1], [4.0, 52.0]]  # counter-clockwise
HOLE = [[4.02, 52.02], [4.02, 52.05], [4.05, 52.05], [4.05, 52.02], [4.02, 52.02]]  # also counter-clockwise


def _feature(code="GM0556", name="Maassluis", coordinates=None, kind="Polygon"):
    return {"type": "Feature", "properties": {"gemeentecode": code, "gemeentenaam": name},
            "geometry": {"type": kind, "coordinates": coordinates if coordinates is not None else [SQUARE]}}


def _write(tmp_path, features, name="gemeentegrenzen_2023.geojson", **extra):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}), encoding="utf-8")
    return path


def test_rings_are_read_with_holes_turned_against_their_outer_ring(tmp_path):
    path = _write(tmp_path, [_feature(coordinates=[SQUARE, HOLE]),
                             _feature("GM0606", "Schiedam", [[SQUARE[::-1]]], kind="MultiPolygon")])
    shapes = boundaries.read(path)
    assert list(shapes.columns) == ["gemeentecode", "gemeentenaam", "ring", "lon", "lat"]
    assert shapes.groupby("ring")["gemeentecode"].first().tolist() == ["GM0556", "GM0556", "GM0606"]

    def area(ring):
        rows = shapes[shapes["ring"] == ring][["lon", "lat"]].to_numpy()
        return boundaries._signed_area(rows)

    assert area(0) > 0 and area(1) < 0 and area(2) > 0  # outer counter-clockwise, hole clockwise
    assert boundaries.find(tmp_path) == (path, 2023)
    assert boundaries.find(tmp_path / "leeg") is None


@pytest.mark.parametrize("features, place, expected", [
    ([_feature(code="0556")], "features[0].properties.gemeentecode", "CBS-gemeentecode"),
    ([_feature(), _feature(name="Dubbel")], "features[1].properties.gemeentecode", "één keer; ook in features[0]"),
    ([_feature(name=" ")], "features[0].properties.gemeentenaam", "naam van de gemeente"),
    ([_feature(coordinates=[SQUARE[:-1]])], "features[0].geometry.coordinates", "gesloten ring"),
    ([_feature(coordinates=[[[52.0, 4.0], [52.1, 4.0], [52.1, 4.1], [52.0, 4.0]]])],
     "features[0].geometry.coordinates", "binnen Nederland"),  # latitude and longitude swapped
    ([_feature(kind="Point", coordinates=[4.0, 52.0])], "features[0].geometry.type", "Polygon of MultiPolygon"),
])
def test_a_wrong_boundary_is_refused_naming_file_and_place(tmp_path, features, place, expected):
    path = _write(tmp_path, features)
    with pytest.raises(DataError) as caught:
        boundaries.read(path)
    problem = caught.value.problems[0]
    assert problem.file == "gemeentegrenzen_2023.geojson" and problem.column == place and expected in problem.expected
    assert "gemeentegrenzen_2023.geojson" in str(caught.value) and place in str(caught.value)


def test_a_file_that_is_not_geojson_is_refused(tmp_path):
    path = tmp_path / "gemeentegrenzen_2023.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(DataError, match="geldige JSON"):
        boundaries.read(path)
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(DataError, match="FeatureCollection"):
        boundaries.read(path)


def test_the_shipped_boundaries_are_every_municipality_of_2023():
    path, year = boundaries.find(ROOT / "data" / "raw")
    shapes = boundaries.read(path)
    assert year == 2023 and shapes["gemeentecode"].nunique() == 343  # 342 municipalities and 'Buitenland'
    assert "GM0556" in set(shapes["gemeentecode"])
    bronnen = (ROOT / "data" / "raw" / "bronnen.csv").read_text(encoding="utf-8")
    line = next(row for row in bronnen.splitlines() if row.startswith(f"{path.stem},"))
    assert "CBS/Kadaster" in line and "CC BY 4.0" in line
