"""Command line: ``analyse validate | run | list | lab | fetch cbs``."""

from __future__ import annotations

import argparse
import ast
import os
import sys
from pathlib import Path

from analyse import data


def _parse_param(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"parameter '{text}' heeft de vorm NAAM=WAARDE")
    key, value = text.split("=", 1)
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        parsed = value
    return key.strip(), parsed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analyse", description="Analyse integratie-indicatoren Maassluis.")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("validate", help="controleer data/raw en toon de inhoud per thema, indicator en bron")

    run = sub.add_parser("run", help="valideer, schrijf data/processed en voer de notebooks uit naar reports/")
    run.add_argument("--thema", action="append", default=None, metavar="NAAM",
                     help="alleen dit thema (herhaalbaar); standaard alle")
    run.add_argument("--eind-jaar", type=int, default=None, help="laatste jaar van het venster")
    run.add_argument("-p", "--parameter", action="append", type=_parse_param, default=[], metavar="NAAM=WAARDE",
                     help="notebookparameter, bijv. -p start_jaar=2012 of -p \"vergelijk_regios=['Schiedam']\"")
    run.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="notebooks tegelijk (standaard: cores)")

    sub.add_parser("list", help="toon de thema's en hun parameters")

    sub.add_parser("lab", help="start JupyterLab in de projectmap, met de kernel van het project; verdere "
                              "opties gaan naar JupyterLab, bijv. analyse lab --no-browser --port 8899")

    fetch = sub.add_parser("fetch", help="haal cijfers op bij een externe bron")
    fetch_sub = fetch.add_subparsers(dest="source", required=True)
    cbs = fetch_sub.add_parser("cbs", help="CBS open data (StatLine) via cbsodata")
    cbs.add_argument("--tabel", required=True,
                     help="CBS-tabelnummer: 37713 (tot en met 2022) of 85458NED (vanaf 2022)")
    cbs.add_argument("--regio", action="append", required=True,
                     help="regiocode uit regios.csv, bijv. GM0556 of WK055601 (herhaalbaar)")
    cbs.add_argument("--jaren", default=None, help="bijv. 2019-2023")
    return parser


def _validate(root: Path) -> int:
    dataset = data.load_raw(root / "data" / "raw")
    counts = data.summary(dataset)
    obs = dataset.observations
    print(f"Data in orde: {len(obs)} waarnemingen, {obs['indicator'].nunique()} indicatoren, "
          f"{obs['bron'].nunique()} bronnen, {len(dataset.beweringen)} beweringen in het register.")
    for title, table in (("Per thema", counts["thema"]), ("Per bron", counts["bron"]),
                         ("Per indicator", counts["indicator"])):
        print(f"\n{title}:")
        print(table.to_string(index=False))
    return 0


def _list(root: Path) -> int:
    from analyse import runner

    for thema in runner.available_notebooks(root / "notebooks"):
        params = runner.notebook_parameters(root / "notebooks" / f"{thema}.ipynb")
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        print(f"{thema}\n    {shown}")
    return 0


def _run(root: Path, args: argparse.Namespace) -> int:
    from analyse import pipeline

    parameters = dict(args.parameter)
    if args.eind_jaar is not None:
        parameters["eind_jaar"] = args.eind_jaar
    return 0 if pipeline.run(root, themes=args.thema, parameters=parameters, jobs=args.jobs) else 1


def _lab(root: Path, jupyter_args: list[str]) -> int:
    """Replace this process by JupyterLab on the project folder, opened at ``notebooks/``."""
    from analyse import runner

    if not data.is_project_root(root):
        raise data.ParameterError(f"{root} is geen projectmap: daar staan geen data/raw/ en notebooks/.")
    runner.ensure_kernel()
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
               "--FileContentsManager.preferred_dir=notebooks",
               f"--MappingKernelManager.default_kernel_name={runner.KERNEL_NAME}", *jupyter_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container usually runs as root; JupyterLab refuses that
        command.append("--allow-root")
    print(f"JupyterLab starten in {root} met de kernel '{runner.KERNEL_NAME}'. Stoppen: Ctrl+C (twee keer) "
          "in dit venster.", flush=True)
    os.execv(sys.executable, command)


def _fetch(root: Path, args: argparse.Namespace) -> int:
    from analyse import cbs

    result = cbs.fetch_cbs(args.tabel, args.regio, cbs.parse_jaren(args.jaren) if args.jaren else None,
                           root / "data" / "raw")
    print(result.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"onbekende argumenten: {' '.join(extra)}")
    try:
        root = data.project_root()
        if args.command == "validate":
            return _validate(root)
        if args.command == "list":
            return _list(root)
        if args.command == "run":
            return _run(root, args)
        if args.command == "lab":
            return _lab(root, extra)
        return _fetch(root, args)
    except data.AnalyseError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
