"""The rule set, loaded once per process however it is asked for: ``default_rules()``,
``default_rules(None)`` and ``default_rules(<the bundled rules directory>)`` are one cache entry.

The rules are data in ``rules/numbers/`` (cue words, signs of the number, not-a-claim contexts, kind
words; see numrules.py); ``rules/lexicons/`` holds the shared name and qualifier lexicons.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from extract.match.numrules import NumberRules, number_rules

RuleSet = NumberRules


def rules_dir() -> Path:
    """The bundled rules directory (``rules/`` of the source tree, ``extract/rules`` when installed)."""
    return Path(str(resources.files("extract.rules")))


def default_rules(directory: str | Path | None = None) -> RuleSet:
    """The rule set of ``directory`` (a rules directory, or its ``numbers/`` folder; default: the
    bundled one). Raises RuleError naming every problem of a broken rule file."""
    return number_rules(directory)


load_rules = default_rules
