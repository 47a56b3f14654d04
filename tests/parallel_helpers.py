"""Functions for worker processes in tests: a module of its own, so a spawned worker imports only this."""
import os
import time


def slow_negate(x: int) -> int:
    """Later items finish first, so results arrive out of order unless put back in order."""
    time.sleep(0.002 * (x % 5))
    return -x


def pid(_) -> int:
    return os.getpid()
