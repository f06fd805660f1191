"""Command line: ``analyse validate | run | list | lab | fetch cbs``.

Every command ends with one Dutch line on failure, never a traceback: a refused request or bad data
(:class:`~analyse.data.AnalyseError`), a system error (full disk, no permission), Ctrl+C or SIGTERM, and a
closed pipe (``analyse validate | head``, which ends quietly with exit code 0, as Unix tools do). Set
``ANALYSE_DEBUG=1`` to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

EXIT_ERROR = 2  # a refused request, bad data or a failed step
EXIT_FAILED = 1  # a notebook failed

_ARGPARSE_DUTCH = (
    (r"^the following arguments are required: (.*)$", r"deze argumenten ontbreken: \1"),
    (r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$", r"\1: ongeldige keuze \2 (kies uit \3)"),
    (r"^argument (\S+): invalid (\w+) value: (.*)$", r"\1: ongeldige waarde \3"),
    (r"^argument (\S+): expected one argument$", r"\1 verwacht een waarde"),
    (r"^argument (\S+): (.*)$", r"\1: \2"),
    (r"^unrecognized arguments: (.*)$", r"onbekende argumenten: \1"),
    (r"^ambiguous option: (.*)$", r"dubbelzinnige optie: \1"),
)


class _Parser(argparse.ArgumentParser):
    """argparse with its error messages in Dutch, on one line after the usage."""

    def error(self, message: str):
        for pattern, replacement in _ARGPARSE_DUTCH:
            if re.match(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"Fout: {self.prog}: {' '.join(message.split())}\n")


def _parse_param(text: str) -> tuple[str, object]:
    from analyse.parameters import parse_value

    if "=" not in text:
        raise argparse.ArgumentTypeError(f"parameter {text!r} heeft de vorm NAAM=WAARDE, bijv. -p start_jaar=2012")
    key, value = text.split("=", 1)
    return key.strip(), parse_value(value)


def _year(text: str) -> int:
    if not re.fullmatch(r"[0-9]{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is geen jaartal; gebruik vier cijfers, bijv. 2018")
    return int(text)


def _jobs(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,3}", text.strip()) or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"{text!r} is geen aantal; gebruik een geheel getal van 1 tot 256")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="analyse", description="Analyse van integratie-indicatoren voor een gemeente, naast "
                                                 "gemeenten van dezelfde grootte.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="OPDRACHT",
                                title="opdrachten")

    sub.add_parser("validate", help="controleer data/raw en toon de inhoud per thema, indicator en bron")

    run = sub.add_parser("run", help="valideer, schrijf data/processed en voer de notebooks uit naar reports/")
    run.add_argument("--gemeente", action="append", default=None, metavar="CODE",
                     help="de gemeente: CBS-code (GM0606) of naam; herhaalbaar voor meer gemeenten tegelijk. "
                          "Standaard de gemeente uit instellingen.toml")
    run.add_argument("--alle-gemeenten", action="store_true",
                     help="alle gemeenten met cijfers in het nieuwste jaar, elk in een eigen map onder reports/")
    run.add_argument("--thema", action="append", default=None, metavar="NAAM",
                     help="alleen dit thema (herhaalbaar); standaard alle")
    run.add_argument("--eind-jaar", type=_year, default=None, metavar="JAAR",
                     help="laatste jaar van het venster")
    run.add_argument("-p", "--parameter", action="append", type=_parse_param, default=[], metavar="NAAM=WAARDE",
                     help="notebookparameter, bijv. -p start_jaar=2012 of -p \"vergelijk_regios=['Schiedam']\"")
    run.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 2, metavar="AANTAL",
                     help="notebooks tegelijk (standaard: cores)")
    run.add_argument("--opnieuw", action="store_true",
                     help="voer de notebooks ook uit als niets veranderd is (standaard worden thema's waarvan data, "
                          "notebook, parameters, instellingen en code gelijk bleven overgenomen)")

    sub.add_parser("list", help="toon de thema's en hun parameters")

    sub.add_parser("lab", help="start JupyterLab in de projectmap, met de kernel van het project; verdere "
                              "opties gaan naar JupyterLab, bijv. analyse lab --no-browser --port 8899")

    fetch = sub.add_parser("fetch", help="haal cijfers op bij een externe bron")
    fetch_sub = fetch.add_subparsers(dest="source", required=True, parser_class=_Parser)
    cbs = fetch_sub.add_parser("cbs", help="CBS open data (StatLine) met een mapping per tabel, of CBS-cijfers uit "
                                           "een gedeeld bestand (--bestand)")
    cbs.add_argument("--tabel", help="CBS-tabelnummer met een mapping in src/analyse/cbs_mappings, bijv. 85458NED of "
                                     "47018NED")
    where = cbs.add_mutually_exclusive_group()
    where.add_argument("--regio", action="append", metavar="CODE",
                       help="regiocode uit regios.csv, bijv. GM0556 of WK055601 (herhaalbaar)")
    where.add_argument("--alle-gemeenten", action="store_true",
                       help="alle gemeenten in de tabel; ontbreken er in regios.csv, dan worden de regels getoond")
    cbs.add_argument("--met-wijken", action="store_true",
                     help="ook de wijken en buurten van de gevraagde gemeenten (als de tabel ze heeft)")
    cbs.add_argument("--jaren", default=None, help="bijv. 2019-2023")
    cbs.add_argument("--bestand", action="append", type=Path, metavar="PAD",
                     help="een bestand met CBS-cijfers die elders herpubliceerd zijn, bijv. "
                          "../shared/data/cbs_kerncijfers_2012_2024.csv (herhaalbaar); in plaats van --tabel")
    return parser


def _validate(root: Path) -> int:
    from analyse import data

    dataset = data.load_raw(root / "data" / "raw")
    counts = data.summary(dataset)
    obs = dataset.observations
    print(f"Data in orde: {len(obs)} waarnemingen, {obs['indicator'].nunique()} indicatoren, "
          f"{obs['bron'].nunique()} bronnen, {len(dataset.beweringen)} beweringen in het register.")
    for title, table in (("Per thema", counts["thema"]), ("Per bron", counts["bron"]),
                         ("Per indicator", counts["indicator"])):
        print(f"\n{title}:")
        print(table.to_string(index=False))
    notes = [str(w) for w in dataset.warnings] + _outside_reports(root, dataset)
    if notes:  # findings that do not stop the analysis: after the summary, one line each
        print("\nWaarschuwingen:")
        for note in notes:
            print(f"  - {note}")
    return 0


def _outside_reports(root: Path, dataset) -> list[str]:
    """One line per theme and region whose rows no notebook shows with its default parameters.

    A notebook whose parameters cannot be read is named in a line of its own and its theme is left out of
    the check: a broken notebook is the business of ``analyse run``, not a reason to refuse the data.
    """
    from analyse import context, parameters, runner
    from analyse.schema import visible
    from analyse.text.progress import outside_reports_line

    notebooks = root / "notebooks"
    defaults, unread, lines = {}, set(), []
    for theme in runner.available_notebooks(notebooks):
        path = notebooks / f"{theme}.ipynb"
        reason = None if path.is_file() else "het is geen gewoon bestand"  # a pipe or folder is never opened
        if reason is None:
            try:
                defaults[theme] = parameters.declared(path)
            except Exception as error:  # whatever is wrong with the notebook: named, the data check goes on
                reason = " ".join(str(error).split())[:300] or type(error).__name__
        if reason is not None:
            unread.add(theme)
            lines.append(visible(f"notebooks/{path.name}: de parameters zijn niet te lezen ({reason}); of de rijen "
                                 f"van thema '{theme}' in een rapport komen, is niet gecontroleerd. Herstel het "
                                 "notebook voor analyse run."))
    return lines + [outside_reports_line(theme, region, count, indicators)
                    for theme, region, count, indicators in context.outside_reports(dataset, defaults,
                                                                                    context.load_settings(root))
                    if theme not in unread]


def _list(root: Path) -> int:
    from analyse import parameters, runner

    for thema in runner.available_notebooks(root / "notebooks"):
        declared = parameters.declared(root / "notebooks" / f"{thema}.ipynb")
        shown = ", ".join(f"{k}={v!r}" + (" (zet analyse run zelf)" if k in parameters.RUN_MANAGED else "")
                          for k, v in declared.items())
        print(f"{thema}\n    {shown}")
    return 0


def _echo(line: str) -> None:
    """Print a progress line; a closed pipe (``analyse run | head``) does not stop the run."""
    try:
        print(line, flush=True)
    except BrokenPipeError:
        _silence_stdout()


def _run(root: Path, args: argparse.Namespace) -> int:
    from analyse import pipeline

    parameters = dict(args.parameter)
    if args.eind_jaar is not None:
        parameters["eind_jaar"] = args.eind_jaar
    if args.gemeente and args.alle_gemeenten:
        raise pipeline.data.ParameterError("kies --gemeente of --alle-gemeenten, niet allebei.")
    ok = pipeline.run(root, themes=args.thema, parameters=parameters, jobs=args.jobs, again=args.opnieuw,
                      regions=args.gemeente, every_municipality=args.alle_gemeenten, echo=_echo)
    return 0 if ok else EXIT_FAILED


def _lab(root: Path, jupyter_args: list[str]) -> int:
    """Replace this process by JupyterLab on the project folder, opened at ``notebooks/``."""
    from analyse import data, runner

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
    from analyse import cbs, cbs_file

    raw = root / "data" / "raw"
    if args.bestand:
        if args.tabel or args.regio or args.alle_gemeenten or args.met_wijken or args.jaren:
            raise cbs.FetchError("--bestand gaat niet samen met --tabel, --regio, --alle-gemeenten, --met-wijken of "
                                 "--jaren: het bestand noemt zelf tabellen, regio's en jaren.")
        print(cbs_file.import_files(args.bestand, raw).summary())
        return 0
    if not args.tabel or not (args.regio or args.alle_gemeenten):
        raise cbs.FetchError("Geef --tabel met --regio CODE (herhaalbaar) of --alle-gemeenten, of --bestand PAD; "
                             "bijv. analyse fetch cbs --tabel 85458NED --regio GM0556.")
    request = cbs.Request(codes=tuple(args.regio or ()), all_municipalities=args.alle_gemeenten,
                          with_areas=args.met_wijken)
    result = cbs.fetch_cbs(args.tabel, request, cbs.parse_years(args.jaren) if args.jaren else None, raw)
    print(result.summary())
    return 0


def _silence_stdout() -> None:
    """After a closed pipe: send further output (and Python's final flush) nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _error(text: str) -> None:
    try:
        print(f"Fout: {text}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _dispatch(args: argparse.Namespace, extra: list[str]) -> int:
    from analyse import data

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


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"onbekende argumenten: {' '.join(extra)}")
    try:
        return _dispatch(args, extra)
    except BrokenPipeError:  # the reader went away (analyse validate | head): stop quietly
        _silence_stdout()
        return 0
    except KeyboardInterrupt as interrupt:
        import signal

        try:  # a second Ctrl+C while saying so: no traceback
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        except ValueError:  # not the main thread
            previous = None
        signum = getattr(interrupt, "signum", 2)
        what = "Afgebroken" if signum == 2 else f"Gestopt (signaal {signum})"
        tail = (": er is niets gepubliceerd; de rapporten van de vorige run staan er nog."
                if args.command == "run" else ".")
        try:
            print(f"\n{what}{tail}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        return 128 + signum  # the shell's convention: 130 for Ctrl+C, 143 for SIGTERM
    except Exception as error:  # one line, never a traceback
        from analyse import data, pipeline

        if isinstance(error, data.AnalyseError):
            _error(str(error))
        elif isinstance(error, OSError):
            _error(pipeline.describe_os_error(error) + ".")
        else:
            if os.environ.get("ANALYSE_DEBUG"):
                raise
            _error(f"onverwachte fout: {type(error).__name__}: {pipeline.one_line(str(error))} "
                   "(ANALYSE_DEBUG=1 toont de details).")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
