"""The plausibility suite's data (bounds). Shipped in the wheel as ``extract.validation``."""
