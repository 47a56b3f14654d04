"""The Excel workbook people open: Leaderboard, Claims, Models, Compute, Validation, About."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .writers import atomic_path, defuse

LOWER_IS_BETTER = ("perplexity", "latency", "error", "wer", "cer", "memory", "cost", "loss", "time")


def write_workbook(df: pd.DataFrame, run: dict, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _sheet(wb, "Leaderboard", leaderboard(df[df["valid"]]))
    _sheet(wb, "Claims", df)
    _sheet(wb, "Validation", df[~df["valid"]])
    about = wb.create_sheet("About")
    for k, v in run.items():
        about.append([k, defuse(str(v))])
    with atomic_path(path) as tmp:
        wb.save(tmp)


def leaderboard(df: pd.DataFrame) -> pd.DataFrame:
    """Absolute results per benchmark and metric, best first."""
    d = df[(df["kind"] == "absolute") & (df["benchmark"] != "") & df["family"].isin(["score", "perplexity"])]
    cols = ["benchmark", "metric", "value", "unit", "model", "method", "paper_id", "title", "evidence"]
    parts = []
    for (_, metric), g in d.groupby(["benchmark", "metric"], sort=True):
        lower = any(w in metric for w in LOWER_IS_BETTER)
        parts.append(g.sort_values("value", ascending=lower)[cols])
    return pd.concat(parts) if parts else pd.DataFrame(columns=cols)


def _sheet(wb, name: str, df: pd.DataFrame) -> None:
    ws = wb.create_sheet(name)
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([defuse(v) if isinstance(v, str) else v for v in row])
