import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests derandomised (HYPOTHESIS_PROFILE=ci in .ci/run), so a landing never
# depends on the luck of the draw; locally they search anew each run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def tiny_corpus(tmp_path):
    """Three papers: two with claims, one without."""
    papers = [
        {"id": "p1", "title": "A", "abstract": "Our 7B model improves accuracy by 3.2% over GPT-4. It runs 2.5x faster."},
        {"id": "p2", "title": "B", "abstract": "We fine-tune LLaMA-2-13B on 52K instructions."},
        {"id": "p3", "title": "C", "abstract": "We study why models fail."},
    ]
    p = tmp_path / "corpus.jsonl"
    p.write_text("".join(json.dumps(x) + "\n" for x in papers), encoding="utf-8")
    return p
