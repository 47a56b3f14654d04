"""Name the model, benchmark, baseline and method of each claim: names, the abstract scan, per-claim fields, attach."""
