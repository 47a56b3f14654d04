"""`python -m extract ...`: the same command line as the `extract` script."""
from extract.cli import main

if __name__ == "__main__":
    main()
