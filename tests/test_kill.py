"""Fault injection: kill the main process of `extract run` while its workers extract. No worker may
survive it, and no mixed output set is left (issue 14). Linux only (it reads /proc)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            pass
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _corpus(tmp_path: Path) -> Path:
    lines = (ROOT / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    papers = [json.loads(x) for x in lines if x.strip()]
    out = tmp_path / "big.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for k in range(max(1, 6000 // len(papers))):
            for p in papers:
                f.write(json.dumps({**p, "id": f"{p['id']}-{k}"}) + "\n")
    return out


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_killing_the_run_leaves_no_worker_and_no_mixed_outputs(tmp_path, sig):
    corpus, out = _corpus(tmp_path), tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "extract", "run", str(corpus), "-o", str(out), "-w", "2", "-q"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert len(workers) >= 2, "the run never started its workers"
    time.sleep(0.5)  # mid-batch
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)  # a worker holding the pipes would hang this
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the caller's pipes stay open after the run was killed")
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)], "a worker outlived the run"
    names = {p.name for p in out.iterdir()} if out.exists() else set()
    finished = names & {"claims.csv", "claims.parquet", "leaderboard.xlsx", "run.json", "errors.jsonl", "validation"}
    assert not finished, f"outputs of a killed run: {finished}"
    if sig == signal.SIGTERM:
        assert proc.returncode == 143
        assert b"Stopped by SIGTERM" in err
        assert not [n for n in names if n.endswith(".part")]  # cleaned up as after Ctrl-C
