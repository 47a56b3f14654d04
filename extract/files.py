"""Outputs written atomically: a temporary beside each file, renamed when the work succeeds (one step for a
whole run with all_or_nothing), and the leftovers of killed runs cleaned up. Shared by every stage that
writes a file (the corpus ingest, the claims writers, the workbook, the report)."""
from __future__ import annotations

import contextlib
import contextvars
import os
import tempfile
from pathlib import Path

from extract.errors import OutputError

# Process-wide umask, read once: mkstemp makes files 0600, finished outputs get the usual mode.
_UMASK = os.umask(0)
os.umask(_UMASK)
# Renames deferred by all_or_nothing(): a list of (temporary, final) paths, or None outside one.
_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar("pending_renames", default=None)


@contextlib.contextmanager
def atomic_path(path: Path):
    """Yield a temporary path beside ``path``; rename it over ``path`` only when the block succeeds.

    The temporary is ``.NAME.PID.XXXX.part``: a killed run leaves only such files, never a
    finished-looking ``NAME``. Inside :func:`all_or_nothing` the rename waits for that block's end.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise OutputError(f"cannot write to {path.parent}: {e.strerror or e}") from e
    handed_on = False
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        pending = _pending.get()
        if pending is None:
            os.replace(tmp, path)
        else:
            pending.append((tmp, path))
        handed_on = True
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        if not handed_on:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


@contextlib.contextmanager
def all_or_nothing():
    """Hold back every atomic_path rename in the block until it ends, then rename them in order.

    A run killed (or failing) while writing leaves no new output, only ``.part`` files; write the
    file that says a run finished (run.json) last.
    """
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
        _pending.reset(token)
        token = None
        while pending:
            tmp, path = pending[0]
            try:
                if os.path.isdir(tmp):
                    _swap_dir(Path(tmp), Path(path))
                else:
                    os.replace(tmp, path)
            except OSError as e:
                raise OutputError(f"cannot write {path}: {e.strerror or e}") from e
            pending.pop(0)
    finally:
        if token is not None:
            _pending.reset(token)
        for tmp, _ in pending:
            _remove(Path(tmp))


def atomic_dir(built: Path, path: Path) -> None:
    """Put the finished directory ``built`` at ``path`` with the other outputs of the all_or_nothing block
    (the validation report with the tables: a kill never leaves a new report beside old tables), or at
    once outside one."""
    pending = _pending.get()
    if pending is None:
        _swap_dir(Path(built), Path(path))
    else:
        pending.append((str(built), Path(path)))


def _swap_dir(built: Path, path: Path) -> None:
    """Replace directory ``path`` by ``built``: the old one is moved aside (a ``.part`` name) and removed."""
    old = None
    if path.exists():
        old = path.with_name(f".{path.name}.{os.getpid()}.old.part")
        os.replace(path, old)
    os.replace(built, path)
    if old is not None:
        _remove(old)


def _remove(p: Path) -> None:
    import shutil

    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)


def prepare_outdir(outdir: Path) -> list[Path]:
    """Create ``outdir`` and check it can be written, before any work is done; remove the ``.part``
    files that killed runs left there (those of live processes are kept). Returns the removed files."""
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe.", dir=outdir)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        reason = "exists and is not a directory" if outdir.exists() and not outdir.is_dir() else e.strerror or e
        raise OutputError(f"cannot write to output directory {outdir}: {reason}") from e
    removed = []
    for part in outdir.glob(".*.part"):  # files and directories (a report built beside)
        pid = part.name.split(".")[-3] if part.name.count(".") >= 4 else ""
        if pid.isdigit() and not _alive(int(pid)):
            _remove(part)
            if not part.exists():
                removed.append(part)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but is not ours
    return True
