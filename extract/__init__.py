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


__all__ = ["extract_claims", "__version__"]
