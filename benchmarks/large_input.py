"""Write a synthetic project with a large observation file, to measure ``analyse validate`` on it.

    python benchmarks/large_input.py /tmp/groot --rows 1000000
    ANALYSE_ROOT=/tmp/groot /usr/bin/time -v analyse validate > /dev/null
    python benchmarks/large_input.py /tmp/groot_xlsx --rows 1000000 --xlsx   # the same rows as a workbook

The folder gets ``data/raw`` (small catalogues plus ``groot.csv``: 100 indicators x 100 regions x 10
groups x up to 100 years, about 85 bytes a row; with ``--xlsx`` the same rows in ``groot.xlsx``, numbers as
numbers) and an empty ``notebooks/``. Never point it at the project's own ``data/raw``: the target folder
must not exist yet.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HEADER = "indicator,regio,groep,jaar,waarde,eenheid,bron,periode,teller,noemer,vindplaats,opmerking\n"


def write_project(target: Path, rows: int, seed: int = 1, xlsx: bool = False) -> Path:
    raw = target / "data" / "raw"
    raw.mkdir(parents=True)
    (target / "notebooks").mkdir()
    indicators = [(f"indicator_{i:03d}", "procent" if i % 2 else "aantal") for i in range(100)]
    regions = [f"Regio_{r:03d}" for r in range(100)]
    groups = [f"groep_{g:02d}" for g in range(10)]
    years = max(1, -(-rows // (len(indicators) * len(regions) * len(groups))))
    (raw / "indicatoren.csv").write_text(
        "indicator,thema,label,eenheid,richting\n"
        + "".join(f"{code},demografie,Indicator {code},{unit},neutraal\n" for code, unit in indicators),
        encoding="utf-8")
    (raw / "bronnen.csv").write_text("bron,naam,uitgever,producent,soort,datum\n"
                                     "synthetisch,Synthetische bron,Test,Test,primair,2024\n", encoding="utf-8")
    (raw / "reeksen.csv").write_text("reeks,naam,producent,definitie,vervolg_van\n", encoding="utf-8")
    (raw / "regios.csv").write_text("regio,code,niveau,label\n"
                                    + "".join(f"{r},,gemeente,{r}\n" for r in regions), encoding="utf-8")
    (raw / "groepen.csv").write_text("groep,soort,label\n" + "".join(f"{g},herkomst,{g}\n" for g in groups),
                                     encoding="utf-8")
    (raw / "beweringen.csv").write_text(
        "id,thema,citaat,verwacht,eenheid,decimalen,berekening,indicator,regio,groep\n", encoding="utf-8")
    rng = random.Random(seed)
    written = 0
    with (raw / "groot.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        for code, unit in indicators:
            for region in regions:
                for group in groups:
                    base = rng.uniform(10, 90) if unit == "procent" else rng.randint(1000, 50000)
                    lines = []
                    for year in range(2100 - years, 2100):
                        if written == rows:
                            break
                        if unit == "procent":
                            value = f"{min(100.0, base * rng.uniform(0.9, 1.1)):.1f}"
                        else:
                            value = str(round(base * rng.uniform(0.9, 1.1)))
                        lines.append(f"{code},{region},{group},{year},{value},{unit},synthetisch,,,,"
                                     f"\"tabel {year % 7}, blz. {year % 89}\",\n")
                        written += 1
                    handle.write("".join(lines))
    if xlsx:
        return _as_workbook(raw / "groot.csv")
    return raw / "groot.csv"


def _as_workbook(path: Path) -> Path:
    """``path`` rewritten as ``groot.xlsx`` (streamed, one sheet, numbers as numbers); the CSV removed."""
    import csv

    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Waarnemingen")
    numeric = {"jaar", "waarde"}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        sheet.append(header)
        columns = [name in numeric for name in header]
        for row in rows:
            sheet.append([float(v) if number and "." in v else int(v) if number and v else v
                          for number, v in zip(columns, row)])
    target = path.with_suffix(".xlsx")
    book.save(target)
    path.unlink()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="a folder that does not exist yet")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx", action="store_true", help="write the observations as a workbook (groot.xlsx)")
    args = parser.parse_args(argv)
    if args.target.exists():
        parser.error(f"{args.target} bestaat al")
    path = write_project(args.target, args.rows, xlsx=args.xlsx)
    print(f"{path}: {args.rows} rijen, {path.stat().st_size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
