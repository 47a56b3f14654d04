"""The `extract` command line. Thin: parse options, call the core, turn our errors into exit codes.

Heavy libraries (pandas, Great Expectations, openpyxl) are imported inside commands so that
`extract --help` answers at once.
"""
from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path

import click

from extract import __version__

DEFAULT_CORPUS = "data/papers.jsonl"


class ExitError(click.ClickException):
    """`Error: ...` on stderr, no traceback; exit code 2 for input/output problems."""

    exit_code = 2


def _fail(e: Exception) -> None:
    raise ExitError(str(e)) from e


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extract")
def cli() -> None:
    """Turn the numbers that ML paper abstracts report into a checked claims table and an Excel leaderboard.

    Example:

        extract run data/papers.jsonl -o output
    """


@cli.command()
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--out", "outdir", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Directory for claims.csv, claims.parquet, leaderboard.xlsx, run.json, errors.jsonl "
                   "and the validation report (validation/index.html).")
@click.option("--on-error", type=click.Choice(["skip", "fail"]), default="skip", show_default=True,
              help="skip: report bad lines in errors.jsonl and go on; fail: stop at the first bad line (exit 2).")
@click.option("-q", "--quiet", is_flag=True,
              help="Print nothing (no progress, no summary); errors still go to stderr.")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (or Dask workers of a local cluster). Default: the machine's cores.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes on this machine; dask: a Dask cluster (pip install 'extract[dask]').")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="With --engine dask: join this running cluster instead of starting a local one.")
def run(corpus: Path | None, outdir: Path, on_error: str, quiet: bool, workers: int | None, engine: str,
        scheduler: str | None) -> None:
    """Extract, validate and write the claims of CORPUS (JSON Lines: id, title, abstract).

    CORPUS may also be any one file `extract ingest` reads (an arXiv metadata dump, a Hugging Face
    daily-papers page, CSV/TSV, plain text, gzip-compressed or not); its papers are taken as they are.
    CORPUS defaults to the bundled sample corpus (data/papers.jsonl). With --engine dask it may be
    a glob of several files ("parts/*.jsonl.gz"); plain files are split into partitions.

    Example:

        extract run data/papers.jsonl -o output --workers 2
    """
    from extract.errors import ExtractError
    from extract.run.pipeline import run as run_pipeline

    corpus = corpus or _default_corpus()
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    display = _progress(quiet)
    try:
        with _sigterm_stops():
            summary = run_pipeline(corpus, outdir, on_error=on_error, workers=workers, engine=engine,
                                   scheduler=scheduler, progress=display)
    except ExtractError as e:
        _fail(e)
    except Terminated:
        # the with-blocks have run, as after Ctrl-C: workers stopped, temporary files removed
        click.echo(f"Stopped by SIGTERM: no output written to {outdir} (temporary files removed).", err=True)
        sys.exit(143)
    finally:
        if display is not None:
            display.close()
    if not quiet:
        fam = ", ".join(f"{k} {v}" for k, v in sorted(summary["claims_per_family"].items()))
        click.echo(_accounting(summary, outdir), err=True)
        click.echo(f"{summary['claims']} claims ({fam}); {summary['rows_invalid']} flagged invalid.", err=True)
        click.echo(f"Wrote {outdir}/{', '.join(written(summary, outdir))}", err=True)


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the run unwinds as it does after Ctrl-C."""


@contextlib.contextmanager
def _sigterm_stops():
    def stop(signum, frame):
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (an embedding caller): leave its handler alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


OUTPUTS = ("claims.csv", "claims.parquet", "leaderboard.xlsx", "run.json", "errors.jsonl")


def written(summary: dict, outdir: Path) -> list[str]:
    """Every file a run writes, relative to ``outdir``: the tables, the workbook, run.json, errors.jsonl
    and the validation report's index page."""
    docs = Path(summary.get("validation_docs") or outdir / "validation" / "index.html")
    try:
        docs = docs.resolve().relative_to(Path(outdir).resolve())
    except ValueError:
        pass
    return [*OUTPUTS, docs.as_posix()]


def _accounting(summary: dict, outdir: Path) -> str:
    """Where every input line went: lines read = papers + rejected + blank, and what to look at."""
    papers, rejected, blank = (summary.get(k, 0) for k in ("papers_read", "lines_rejected", "blank_lines"))
    lines = summary.get("lines_read", papers + rejected + blank)
    ok = lines == papers + rejected + blank
    text = (f"{lines} lines read = {papers} papers + {rejected} rejected + {blank} blank"
            + ("" if ok else f" -- DO NOT ADD UP ({papers + rejected + blank})") + ".")
    notes = [f"{n} {one if n == 1 else many}" for n, one, many in (
        (summary.get("duplicate_ids", 0), "duplicate id renamed (id#2)", "duplicate ids renamed (id#2)"),
        (summary.get("papers_failed", 0), "paper failed (rule time limit)", "papers failed (rule time limit)"),
        (summary.get("warnings", 0), "warning", "warnings")) if n]
    if rejected or notes:
        text += f" {'; '.join(([f'{rejected} rejected'] if rejected else []) + notes)}: see {outdir / 'errors.jsonl'}"
    return text


def _progress(quiet: bool):
    """The run's progress on stderr: a bar with percentage and time left on a terminal, a log line
    every so many papers and one per phase when piped or logged (CI, cluster jobs); nothing with -q."""
    if quiet:
        return None
    from extract.run.progress import Display

    return Display(bar=sys.stderr.isatty())


def _default_corpus() -> Path:
    p = Path(DEFAULT_CORPUS)
    if p.exists():
        return p
    bundled = Path(__file__).resolve().parent.parent / DEFAULT_CORPUS
    return bundled


@cli.command()
@click.argument("text")
@click.option("--rules", "rules_dir", type=click.Path(exists=True, file_okay=False), help="Another rules directory.")
def explain(text: str, rules_dir: str | None) -> None:
    """Print the claims found in TEXT, with the rule that produced each and its context.

    Example:

        extract explain "Our 7B model is 2.5x faster than LLaMA-2-13B."
    """
    from extract.errors import ExtractError
    from extract.explain import explain as run_explain

    try:
        click.echo(run_explain(text, rules_dir))
    except ExtractError as e:  # a broken --rules file: its problems, not a traceback
        _fail(e)


@cli.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--claims", "claims_csv", type=click.Path(path_type=Path),
              help="A claims.csv to score. Without it, the gold papers are extracted now.")
@click.option("--corpus", type=click.Path(path_type=Path),
              help="Where the gold papers' abstracts are (default: the bundled data/papers.jsonl).")
@click.option("--rules", "rules_dir", type=click.Path(exists=True, file_okay=False), help="Another rules directory.")
@click.option("--ids", "ids_spec", metavar="SPLIT.json:NAME", help="Score only the papers SPLIT.json maps to NAME.")
@click.option("--show", type=click.Choice(["none", "misses", "false", "context", "all"]), default="none",
              show_default=True, help="List, per paper with evidence: missed gold claims, false hits, "
                                      "matched claims with the wrong kind/qualifier/model/benchmark, or all.")
@click.option("--json", "as_json", is_flag=True, help="Figures and evidence as JSON on stdout.")
def eval_(gold: Path, claims_csv: Path | None, corpus: Path | None, rules_dir: str | None, ids_spec: str | None,
          show: str, as_json: bool) -> None:
    """Score claims against GOLD (JSON Lines: id, claims), as the team's scorer does.

    GOLD's claims follow the claim specification, docs/claims.md in the repository. Matching is per
    paper, one to one, on family and value (relative 1e-4); figures are P/R/F1 for claims, numbers
    and each family, kind/qualifier/model/benchmark agreement on matched claims, and strict F1.

    Example (the dev gold bundled with the repository):

        extract eval tests/data/dev_gold.jsonl --show misses
    """
    import json

    from extract.errors import ExtractError
    from extract.eval_report import format_details, format_summary
    from extract.evaluate import evaluate

    try:
        rep = evaluate(gold, claims_csv, corpus or _default_corpus(), rules_dir, ids_spec)
    except ExtractError as e:
        _fail(e)
    if as_json:
        click.echo(json.dumps(rep.as_dict(), indent=1, ensure_ascii=False))
        return
    if show != "none":
        click.echo(format_details(rep, show))
        click.echo()
    click.echo(format_summary(rep))


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The corpus to write (JSON Lines: id, title, abstract, then what the source adds).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "arxiv", "hf-pages", "csv", "tsv", "text"]),
              help="Read every SOURCE as this format (default: told by name and first lines).")
@click.option("--category", metavar="CATS", help="arXiv: keep only these categories, e.g. cs.CL,cs.LG (cs = all cs.*).")
@click.option("--title-col", metavar="NAME", help="CSV/TSV: the title column (default: title).")
@click.option("--abstract-col", metavar="NAME", help="CSV/TSV: the abstract column (default: abstract or summary).")
@click.option("--id-col", metavar="NAME", help="CSV/TSV: the id column (default: id; absent = hash of the title).")
@click.option("--encoding", metavar="NAME", help="CSV/TSV: the text encoding (default: UTF-8, else detected and said).")
@click.option("--dedupe", type=click.Choice(["id+title", "id", "none"]), default="id+title", show_default=True,
              help="Merge papers seen twice: same id or same normalised title, same id only, or never.")
@click.option("--on-error", type=click.Choice(["skip", "fail"]), default="skip", show_default=True,
              help="skip: list bad records in OUT's .rejected.jsonl and go on; fail: stop at the first (exit 2).")
@click.option("-q", "--quiet", is_flag=True, help="No summary.")
def ingest(sources: tuple[Path, ...], out: Path, fmt: str | None, category: str | None, title_col: str | None,
           abstract_col: str | None, id_col: str | None, encoding: str | None, dedupe: str, on_error: str,
           quiet: bool) -> None:
    """Convert SOURCES (files or directories) into one JSON Lines corpus for `extract run`.

    Reads the arXiv metadata snapshot, Hugging Face daily-papers pages saved as text, CSV/TSV tables
    with title and abstract columns, plain text files (first line the title), and any of these
    gzip-compressed. Papers seen twice are merged, keeping the first.

    Example:

    \b
        extract ingest arxiv.json.gz --category cs.CL,cs.LG -o corpus.jsonl
        extract ingest pages/*.txt -o corpus.jsonl && extract run corpus.jsonl
    """
    from extract.errors import ExtractError
    from extract.read.ingest import ingest as run_ingest

    bar = None
    if not quiet and sys.stderr.isatty():  # a multi-GB dump takes minutes: show it moving
        from tqdm import tqdm

        bar = tqdm(unit=" papers", file=sys.stderr, leave=False)
    try:
        s = run_ingest(sources, out, fmt=fmt, category=category, title_col=title_col, abstract_col=abstract_col,
                       id_col=id_col, encoding=encoding, dedupe=dedupe, on_error=on_error,
                       progress=(lambda n: bar.update(n - bar.n)) if bar is not None else None)
    except ExtractError as e:
        _fail(e)
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        formats = ", ".join(f"{n} {k}" for k, n in sorted(s["formats"].items()))
        click.echo(f"{s['files']} files ({formats}): {s['papers']} papers written to {s['out']}; "
                   f"{s['merged']} duplicates merged ({s['merged_by_id']} by id, {s['merged_by_title']} by title); "
                   f"{s['rejected']} records rejected" + (f" (see {s['rejected_file']})" if s["rejected"] else "")
                   + (f"; {s['filtered']} outside --category" if category else "") + ".", err=True)
    for w in s.get("warnings", []):  # choices made for the reader: encodings, columns, files skipped
        click.echo(f"Warning: {w['file']}" + (f":{w['line']}" if w["line"] else "") + f": {w['reason']}", err=True)


@cli.command()
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--docs", type=click.Path(file_okay=False, path_type=Path),
              help="Also run the Great Expectations suite and write its Data Docs (HTML) here.")
@click.option("--max-rows", default=20, show_default=True, help="Rows listed per failed expectation (0: all).")
def validate(table: Path, docs: Path | None, max_rows: int) -> None:
    """Check TABLE (a claims.csv or .parquet) against the plausibility suite in validation/.

    Prints each failed expectation with its reason and rows (paper_id, start, value_text).
    Exit status: 0 all rows pass, 1 some expectation fails, 2 the file cannot be read.

    Example:

        extract validate output/claims.csv
    """
    from extract.errors import ExtractError
    from extract.check.validate import check_file

    try:
        report, ok = check_file(table, docs=docs, max_rows=max_rows)
    except ExtractError as e:
        _fail(e)
    click.echo(report)
    if not ok:
        sys.exit(1)


def main() -> None:
    cli(prog_name="extract")


if __name__ == "__main__":
    main()
