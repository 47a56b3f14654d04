"""The claims table, CSV/Parquet writers, the workbook and its sheets."""
