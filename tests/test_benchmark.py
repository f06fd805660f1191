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
    for label in ("(a) analyse run", "(b) nbconvert, een voor een", "(c) ondergrens, een proces", "Niets gemeten",
                  "batch van 1 gemeenten: GM0556\n", "batch van 10 gemeenten: GM0556, GM0014, GM0034 ..."):
        assert label in printed
    assert not out.exists()


def test_report_ratios_come_from_the_medians():
    module = load_benchmark()
    results = {"a_analyse_run": (20.0, [21.0, 20.0, 19.0]), "b_nbconvert_een_voor_een": (80.0, [80.0]),
               "c_ondergrens_een_proces": (25.0, [25.0]), "een_thema_herhaling": (3.0, [3.0])}
    report = module.summarise(results, ["demografie"], 3, 2)
    assert report["verhouding_a_b"] == 0.25 and report["verhouding_a_c"] == 0.8
    assert report["seconden_alle"]["a_analyse_run"] == [21.0, 20.0, 19.0]
    assert report["doel"] == {"a_b_hoogstens": 0.38, "a_c_hoogstens": 1.0}
    assert report["machine"]["cores"] >= 1 and len(report["machine"]["load_1_5_15_min"]) == 3


def test_batches_give_seconds_per_municipality_a_projection_and_the_memory_ratio():
    module = load_benchmark()
    report = module.summarise_batches({1: (60.0, 800 * 2**20), 10: (300.0, 1000 * 2**20),
                                       50: (1250.0, 1400 * 2**20)}, every=342)
    assert report["batches"]["10"] == {"seconden": 300.0, "seconden_per_gemeente": 30.0, "piekgeheugen_mb": 1000}
    assert report["projectie_alle_gemeenten_minuten"] == round(25.0 * 342 / 60, 1)  # the rate of the largest batch
    assert report["geheugen_grootste_gedeeld_door_vorige"] == 1.4
    assert report["doel_projectie_hoogstens_minuten"] == 30 and report["doel_geheugen_verhouding_hoogstens"] == 1.5


def test_the_memory_of_a_process_tree_counts_its_children():
    import os
    import subprocess
    import sys
    import time

    module = load_benchmark()
    alone = module._tree_rss(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "x = bytearray(200 * 2**20); import time; time.sleep(5)"])
    try:
        time.sleep(1.5)
        assert module._tree_rss(os.getpid()) - alone > 150 * 2**20
    finally:
        child.kill()
        child.wait()
