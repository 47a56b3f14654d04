"""Attach model, benchmark, baseline and method to each claim (first version: names in the sentence)."""
from __future__ import annotations

from dataclasses import replace

import regex

from .records import Claim, Paper

# A model-like name: letters then digits or a size, hyphenated or CamelCase ("LLaMA-2-7B", "GPT-4").
_MODEL = regex.compile(r"\b[A-Z][A-Za-z]*(?:[-.]?[A-Za-z0-9]+)*-?\d+(?:\.\d+)?[BMK]?\b")


def attach(paper: Paper, claims: list[Claim], sentences) -> list[Claim]:
    out = []
    for c in claims:
        model = ""
        if c.family == "parameters":
            for m in _MODEL.finditer(paper.abstract):
                if m.start() <= c.start and c.end <= m.end() and m.group() != c.value_text:
                    model = m.group()
        out.append(replace(c, model=model))
    return out
