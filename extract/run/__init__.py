"""The drivers: `extract run` (pipeline), the local worker pool and the Dask engine. May import every stage."""
