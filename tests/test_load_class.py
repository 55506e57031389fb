"""The short classroom load test (the CI variant of ``./course bench --class N``): 5 students on the
single-machine JupyterHub, each logs in, starts a server and a kernel, runs notebook 03 and moves its sliders
over the widget comm protocol for 30 s. It fails on any failed start or lost message. Timings are printed,
not asserted (benchmarks are scripts, not timed tests)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
STUDENTS, SECONDS = 5, 30


def test_a_small_class_starts_runs_notebook_03_and_loses_no_slider_message(tmp_path):
    result_file = tmp_path / "class.json"
    before = {process.pid for process in psutil.process_iter()}
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "load_class.py"), "--class", str(STUDENTS),
                           "--duration", str(SECONDS), "--work", str(tmp_path / "hub"), "--json", str(result_file)],
                          capture_output=True, text=True, timeout=600)
    print(done.stdout)
    assert result_file.exists(), f"no result:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    result = json.loads(result_file.read_text())
    assert result["failed"] == {}, result["failed"]
    assert result["lost"] == 0
    assert done.returncode == 0, done.stderr[-3000:]
    # every student really moved sliders and got figures back (a run that measured nothing must not pass)
    assert result["moves"] >= STUDENTS * 3, result["moves"]
    students = result["memory_after_notebooks"]["students"]
    assert len(students) == STUDENTS and all(student["kernels"] == 1 for student in students.values())
    # each student's memory is their server's plus their kernel's, each measured (RSS >= PSS >= USS > 0)
    for student in students.values():
        for part in ("server_", "kernel_"):
            assert student[f"{part}rss"] >= student[f"{part}pss"] >= student[f"{part}uss"] > 0, student
        for kind in ("rss", "pss", "uss"):
            assert student[kind] == student[f"server_{kind}"] + student[f"kernel_{kind}"]
    assert result["stages"][0]["kernels_s"] is not None
    # a student who opens the hub without the nbgitpuller link lands in JupyterLab, not on a start-page path
    # that only exists where the course is the server's root (./course lab, Binder)
    assert result["landing"] == ["/user/NAME/lab"]
    # the hub stopped everything it started: no process of the run is left
    left = [process.info for process in psutil.process_iter(["pid", "cmdline", "cwd"])
            if process.pid not in before and str(tmp_path) in (process.info["cwd"] or "")]
    assert not left, left
