"""Corpus readers and sources (JSON Lines, raw lines, arXiv, HF pages, CSV, text) and `extract ingest`."""
