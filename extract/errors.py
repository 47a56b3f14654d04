"""One exception hierarchy. Messages say what was expected, what was found, where, and what to do."""


class ExtractError(Exception):
    """Base of every error this toolkit raises on purpose."""


class InputError(ExtractError):
    """A corpus file or line that cannot be read (names the file and line)."""

    def __init__(self, message: str, path: str = "", line: int | None = None):
        self.path, self.line = path, line
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(where + message)


class RuleError(ExtractError):
    """A rule file that does not load: every problem is listed, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid rules:\n" + "\n".join(f"  {p}" for p in problems))


class OutputError(ExtractError):
    """An output directory or file that cannot be written."""


class ValidationFailed(ExtractError):
    """A claims table that fails plausibility expectations (``extract validate``)."""
