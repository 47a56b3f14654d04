"""`extract eval` on hostile inputs: infinities score as the team's scorer does, bad gold files are one-line
errors naming file and line (exit 2), a BOM is fine, an empty gold file says so (issue 14)."""
import importlib.util
import math
import re

import pytest
from click.testing import CliRunner

from conftest import SHARED
from extract.cli import cli
from extract.errors import InputError
from extract.evaluate import close, read_gold


def _team_scorer():
    """../shared/eval/score.py, the team's scorer (the test that compares with it skips without it)."""
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        pytest.skip("../shared/eval/score.py is not here")
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VALUES = [0.0, 1.0, 12.2, 12.2001, -3.0, 1e300, math.inf, -math.inf, math.nan]


def test_close_is_score_py_close_and_infinity_is_close_to_nothing_else():
    score = _team_scorer()
    for a in VALUES:
        for b in VALUES:
            assert close(a, b) == score.close(a, b), (a, b)
    assert not close(math.inf, 12.2) and not close(12.2, math.inf)


@pytest.mark.parametrize("line, says", [
    ('{"id": "a", "claims": [{"family": ["score"], "value": 1}]}', "needs a 'family' (text)"),
    ('{"id": "a", "claims": [{"family": "score", "value": ' + "9" * 5000 + '}]}', "not valid JSON"),
    ('{"id": "a", "claims": [{"family": "score", "value": "' + "9" * 5000 + '"}]}', "finite numeric 'value'"),
    ('{"id": "a", "claims": [{"family": "score", "value": "Infinity"}]}', "finite numeric 'value'"),
    ('[' * 100_000 + ']' * 100_000, "nested too deeply"),
])
def test_a_bad_gold_line_is_one_error_naming_file_and_line(tmp_path, line, says):
    g = tmp_path / "gold.jsonl"
    g.write_text('{"id": "ok", "claims": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"gold.jsonl:2: .*{re.escape(says)}"):
        read_gold(g)


def test_latin1_gold_and_empty_gold_are_errors_with_exit_2(tmp_path):
    g = tmp_path / "gold.jsonl"
    g.write_bytes(b'{"id": "a", "claims": []}\n{"id": "caf\xe9", "claims": []}\n')
    res = CliRunner().invoke(cli, ["eval", str(g), "--claims", str(g)])
    assert res.exit_code == 2 and f"{g}:2: not UTF-8 (byte 0xe9)" in res.output
    g.write_text("\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["eval", str(g), "--claims", str(g)])
    assert res.exit_code == 2 and "no gold papers in this file" in res.output
    assert "Traceback" not in res.output


def test_a_bom_is_accepted(tmp_path):
    g = tmp_path / "gold.jsonl"
    g.write_bytes(b'\xef\xbb\xbf{"id": "a", "claims": [{"family": "score", "value": 1}]}\n')
    assert list(read_gold(g)) == ["a"]
