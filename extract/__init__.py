"""extract: the numbers that ML paper abstracts report, as a checked, tidy claims table.

>>> from extract import extract_claims
>>> extract_claims("Our 7B model runs 2.5x faster.")[["value", "unit", "family"]].values.tolist()
[[7000000000.0, 'params', 'parameters'], [2.5, 'x', 'speedup']]
"""
__version__ = "0.1.0"


def extract_claims(papers, rules_dir=None):
    """Papers (an iterable of dicts with id/title/abstract) or one string -> a pandas DataFrame of claims."""
    from extract.run.batch import extract_claims as _extract

    return _extract(papers, rules_dir)


def extract_records(papers, rules_dir=None):
    """As extract_claims, but a list of Claim records and a list of the papers that failed: no table, so
    pandas is not imported (what `extract explain` uses to start fast)."""
    from extract.run.batch import extract_records as _records

    return _records(papers, rules_dir, stacklevel=2)


__all__ = ["extract_claims", "extract_records", "__version__"]
