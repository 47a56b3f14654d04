"""The validation suite: pandas row flags, the Great Expectations suite and its Data Docs."""
