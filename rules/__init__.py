"""Rule sets and lexicons, as data. Shipped in the wheel as ``extract.rules``."""
