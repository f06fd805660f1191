"""The benchmark stays runnable: a quick run writes its report (timings are not judged here: too noisy)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quick_benchmark_writes_ratios(tmp_path):
    spec = importlib.util.spec_from_file_location("run_benchmark", ROOT / "benchmarks" / "run_benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "benchmark.json"
    assert module.main(["--quick", "--output", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    seconds = report["seconden_mediaan"]
    assert set(seconds) == {"a_analyse_run", "b_nbconvert_een_voor_een", "c_ondergrens_een_proces",
                            "a_herhaling_zonder_wijziging", "een_thema_herhaling", "analyse_validate"}
    assert all(value > 0 for value in seconds.values())
    ratio = seconds["a_analyse_run"] / seconds["b_nbconvert_een_voor_een"]
    assert abs(report["verhouding_a_b"] - ratio) < 0.01
    assert report["themas"] == ["basisvaardigheden"] and report["machine"]["cores"] >= 1
