"""The workbook's Models sheet: one row per model named in a valid claim, with its parameter count.

:func:`models` builds it from a claims frame; :func:`models_of_rows` builds the same table from
claims.parquet a row group at a time, keeping only what the sheet counts (each model's distinct papers
and spellings, its claim count, its parameter counts), never the rows themselves: a million claims with
a model were ~600 MB as the frame models() groups.
"""
from __future__ import annotations

import pandas as pd

from extract.write import ranking as R

COLUMNS = ["model", "parameters", "other sizes reported", "papers", "claims", "names as written",
           "paper_ids", "evidence"]
READS = ["paper_id", "model", "model_canonical", "family", "kind", "unit", "value", "valid", "evidence"]


def label(df: pd.DataFrame, field: str) -> pd.Series:
    """The canonical name where there is one (merging aliases), else the name as written."""
    canon = df.get(f"{field}_canonical")
    raw = df[field]
    return raw if canon is None else canon.where(canon != "", raw)


def models(df: pd.DataFrame) -> pd.DataFrame:
    """The Models sheet of a conformed claims frame."""
    # Only the columns counted, so a million-row table is not copied whole.
    d = _named(df.loc[df["valid"], ["paper_id", "model", "model_canonical", "family", "kind", "unit", "value"]])
    if d.empty:
        return pd.DataFrame(columns=COLUMNS)
    g = d.groupby("_model", sort=False)
    out = pd.DataFrame({
        "papers": g["paper_id"].nunique(),
        "claims": g.size(),
        "names as written": g["model"].agg(lambda s: join_some(s.unique())),
        "paper_ids": g["paper_id"].agg(lambda s: join_some(s.unique())),
    })
    p = d[_sizes(d)]
    size, others, evidence = {}, {}, {}
    for model, grp in p.groupby("_model", sort=False):
        counts = grp["value"].value_counts()
        best = counts[counts == counts.max()].index.min()   # most reported size; ties: the smallest
        size[model] = best
        others[model] = join_some(short_size(v) for v in sorted(counts.index) if v != best)
        evidence[model] = df.at[grp.index[grp["value"] == best][0], "evidence"]
    return _finish(out, size, others, evidence)


def models_of_rows(rows) -> pd.DataFrame:
    """The Models sheet of the claims in ``rows`` (ParquetRows), read a row group at a time: the same
    table as models() of the whole frame."""
    pairs, names, sizes, firsts, claims = [], [], [], [], []
    for _, g in rows.groups(READS):
        d = _named(g[g["valid"].to_numpy(dtype=bool) & ((g["model"] != "") | (g["model_canonical"] != ""))])
        if d.empty:
            continue
        claims.append(d.groupby("_model", sort=False).size())
        pairs.append(d[["_model", "paper_id"]].drop_duplicates())
        names.append(d[["_model", "model"]].drop_duplicates())
        p = d[_sizes(d)]
        sizes.append(p.groupby(["_model", "value"], sort=False).size())
        firsts.append(p[["_model", "value", "evidence"]].drop_duplicates(["_model", "value"]))
    if not claims:
        return pd.DataFrame(columns=COLUMNS)
    # first appearances across row groups are first appearances in the table: the order groupby keeps
    pairs = pd.concat(pairs, ignore_index=True).drop_duplicates()
    names = pd.concat(names, ignore_index=True).drop_duplicates()
    order = pd.unique(pairs["_model"].to_numpy(dtype=object))
    by_paper = pairs.groupby("_model", sort=False)["paper_id"]
    out = pd.DataFrame({
        "papers": by_paper.size(),
        "claims": pd.concat(claims).groupby(level=0, sort=False).sum(),
        "names as written": names.groupby("_model", sort=False)["model"].agg(lambda s: join_some(s)),
        "paper_ids": by_paper.agg(lambda s: join_some(s)),
    }).reindex(order)
    size, others, evidence = {}, {}, {}
    if sizes:
        counted = pd.concat(sizes).groupby(level=[0, 1], sort=False).sum()
        first = pd.concat(firsts, ignore_index=True).drop_duplicates(["_model", "value"])
        first = dict(zip(zip(first["_model"], first["value"]), first["evidence"]))
        for model, counts in counted.groupby(level=0, sort=False):
            counts = counts.droplevel(0)
            best = counts[counts == counts.max()].index.min()
            size[model] = best
            others[model] = join_some(short_size(v) for v in sorted(counts.index) if v != best)
            evidence[model] = first[(model, best)]
    return _finish(out, size, others, evidence)


def _named(d: pd.DataFrame) -> pd.DataFrame:
    """The rows that name one model, with its label in ``_model``: "our model", "a 7B-parameter LLM",
    "GPT-4; Claude" do not name one."""
    d = d.assign(_model=label(d, "model"))
    return d[d["_model"].map(R.names_one_system)]


def _sizes(d: pd.DataFrame):
    return (d["family"] == "parameters") & (d["kind"] == "absolute") & (d["unit"] == "params") & d["value"].notna()


def _finish(out: pd.DataFrame, size: dict, others: dict, evidence: dict) -> pd.DataFrame:
    out["parameters"] = pd.Series(size, dtype="float64")
    out["other sizes reported"] = pd.Series(others, dtype=object)
    out["evidence"] = pd.Series(evidence, dtype=object)
    out = out.rename_axis("model").reset_index()
    out["_name"] = out["model"].str.casefold()
    out = out.sort_values(["papers", "claims", "_name"], ascending=[False, False, True], kind="stable")
    return out[COLUMNS].fillna({"other sizes reported": "", "evidence": ""}).reset_index(drop=True)


def join_some(values, most: int = 20) -> str:
    """The first ``most`` values joined with "; ", then how many more there are."""
    values = [str(v) for v in values if str(v)]
    more = len(values) - most
    return "; ".join(values[:most]) + (f"; … {more} more" if more > 0 else "")


def short_size(v: float) -> str:
    """7000000000 -> 7B, 1300000 -> 1.3M: how people write model sizes."""
    for scale, letter in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(v) >= scale:
            return f"{v / scale:.4g}{letter}"
    return f"{v:g}"


def start_models(helper, rows):
    """models_of_rows(rows) given to ``helper`` (a process pool) to make beside this process's work; None
    without one (or if it refuses)."""
    if helper is None:
        return None
    try:
        return helper.submit(models_of_rows, rows)
    except Exception:  # noqa: BLE001 -- a broken or shut pool: made here instead
        return None


def finish_models(job, rows) -> pd.DataFrame:
    """The Models sheet: what ``job`` (start_models) made, or made here (no helper, a lost helper)."""
    if job is not None:
        try:
            return job.result()
        except Exception:  # noqa: BLE001
            pass
    return models_of_rows(rows)
