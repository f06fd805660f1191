"""The benchmark stays runnable without running it: a dry run sets up the copies and the scripts compile, and
the report computes its ratios from the medians. The measuring itself takes minutes and its times depend on
the machine's load: it is run by hand (README, "Prestaties")."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_benchmark():
    spec = importlib.util.spec_from_file_location("run_benchmark", ROOT / "benchmarks" / "run_benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dry_run_sets_up_and_measures_nothing(tmp_path, capsys):
    out = tmp_path / "benchmark.json"
    assert load_benchmark().main(["--dry-run", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    for label in ("(a) analyse run", "(b) nbconvert, een voor een", "(c) ondergrens, een proces", "Niets gemeten"):
        assert label in printed
    assert not out.exists()


def test_report_ratios_come_from_the_medians():
    module = load_benchmark()
    results = {"a_analyse_run": (20.0, [21.0, 20.0, 19.0]), "b_nbconvert_een_voor_een": (80.0, [80.0]),
               "c_ondergrens_een_proces": (25.0, [25.0]), "een_thema_herhaling": (3.0, [3.0])}
    report = module.summarise(results, ["demografie"], 3, 2)
    assert report["verhouding_a_b"] == 0.25 and report["verhouding_a_c"] == 0.8
    assert report["seconden_alle"]["a_analyse_run"] == [21.0, 20.0, 19.0]
    assert report["doel"] == {"a_b_hoogstens": 0.35, "a_c_hoogstens": 1.0, "een_thema_herhaling_onder_s": 4.0}
    assert report["machine"]["cores"] >= 1 and len(report["machine"]["load_1_5_15_min"]) == 3
