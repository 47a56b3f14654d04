#!/usr/bin/env python3
"""Build rules/lexicons/registry/*.yaml from the field's own registries (`make lexicons`).

Downloads the pinned distributions with `pip download --no-deps` (into build/registry-wheels/,
checked against the sha256 pinned here), opens them as archives without installing or importing
them, reads benchmark, metric and model names out of their files (tools/registry_readers.py),
merges them with the hand-kept metric aliases and casing table (tools/lexicon_curated.yaml), drops
names that collide with ordinary English words, and writes benchmarks.yaml, metrics.yaml,
models.yaml and SOURCES.md. Standard library and PyYAML only. Without network (and no cached
files) it says so in one line and exits 2; the committed lexicons stay as they are.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import registry_readers as R

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "registry-wheels"
OUT = ROOT / "rules" / "lexicons" / "registry"
CURATED = Path(__file__).resolve().parent / "lexicon_curated.yaml"
SOURCES_MD = Path(__file__).resolve().parent / "lexicon_sources.md.in"
# The platform-specific wheels (torchvision, torchaudio) are asked for one fixed platform so
# every machine reads the same files.
PLATFORM = ["--platform", "manylinux_2_28_x86_64", "--python-version", "3.11", "--implementation", "cp",
            "--abi", "cp311", "--only-binary=:all:"]
# package, version, file, sha256: the output depends on nothing else.
PINS = [
    ("lm-eval", "0.4.13", "lm_eval-0.4.13-py3-none-any.whl",
     "5daaa1973bf874005f64f28d3834b875f6886f0d6475878e6a6c821994a5286a"),
    ("crfm-helm", "0.5.16", "crfm_helm-0.5.16-py3-none-any.whl",
     "e15190fc43ed61c648c6b3844eb4f3e434728630fb28184d2dc00f4607febe7d"),
    ("opencompass", "0.5.4", "opencompass-0.5.4-py3-none-any.whl",
     "362aafb77b264d9eb51e4a8f6730d22c98ea93a8d73f5f1be56928ed3141474a"),
    ("torchmetrics", "1.9.0", "torchmetrics-1.9.0-py3-none-any.whl",
     "bfdcbff3dd1d96b3374bb2496eb39f23c4b28b8a845b6a18c313688e0d2d9ca1"),
    ("evaluate", "0.4.6", "evaluate-0.4.6-py3-none-any.whl",
     "bca85bc294f338377b7ac2f861e21c308b11b2a285f510d7d5394d5df437db29"),
    ("transformers", "5.25.0", "transformers-5.25.0-py3-none-any.whl",
     "8ca7a96cc329e5a053c9e770711e73d7bd9d77240ff62049fca6d253965cda52"),
    ("timm", "1.0.31", "timm-1.0.31-py3-none-any.whl",
     "5bd50f7d0fe6d09bf9285ac2523234a1b7e6bf075c0be3e7aed09139fcb617c7"),
    ("torchvision", "0.29.1", "torchvision-0.29.1-cp311-cp311-manylinux_2_28_x86_64.whl",
     "2cb678029a5dd45afbbfa662fce49736827d52be33242b5a8a731e0db02ccdf5"),
    ("torchaudio", "2.11.1", "torchaudio-2.11.1-py3-none-manylinux_2_28_x86_64.whl",
     "0173b5b51e1368aa88de3cbe4e98508b5e9df4d8d59356c4e1fbc830c96191ef"),
    # not a registry: the English word list that keeps ordinary words out
    ("english-words", "2.0.2", "english_words-2.0.2-py3-none-any.whl",
     "a65b900b17201526d8ab2d414f45e5a37afc714a1857377b30182c754ae6e0d6"),
]
# Which kind of name wins a spelling two kinds share: the hand-kept metric aliases, then
# benchmarks, models, and metrics read from the registries.
MAX_TOKENS = 6  # the matcher (extract/lexicon.py) looks at names of at most this many pieces


def key(s: str) -> str:
    """The spelling-free form names are compared in ("ARC-Challenge" = "arc_challenge")."""
    return re.sub(r"[^\w+@]|_", "", s.lower())


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch() -> dict[str, Path]:
    """The pinned files, downloaded where the cache lacks them; exits 2 without network."""
    CACHE.mkdir(parents=True, exist_ok=True)
    files = {}
    for pkg, ver, fname, digest in PINS:
        path = CACHE / fname
        if not (path.exists() and sha256(path) == digest):
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--timeout", "20",
                   "--retries", "1", "-d", str(CACHE), *PLATFORM, f"{pkg}=={ver}"]
            run = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if run.returncode != 0 or not path.exists():
                last = (run.stderr.strip().splitlines() or ["no file"])[-1][:160]
                print(f"build_lexicons: cannot download {pkg}=={ver} (no network?): {last}; "
                      "the committed lexicons are kept", file=sys.stderr)
                sys.exit(2)
            if sha256(path) != digest:
                print(f"build_lexicons: {fname} does not have the pinned sha256; nothing written", file=sys.stderr)
                sys.exit(1)
        files[pkg] = path
    return files


def collides(surface: str, words: set[str]) -> bool:
    """Is this spelling an ordinary English word or phrase as prose writes it ("time",
    "Mean", "sentiment analysis")? Digits, capitals inside a word or all-capitals make a name."""
    parts = re.findall(r"[^\W\d_]+|\d+", surface)
    if not parts or any(p.isdigit() for p in parts):
        return False
    ordinary = all(p.islower() or (p[0].isupper() and p[1:].islower()) for p in parts)
    if len(parts) == 1 and len(parts[0]) <= 3 and parts[0].islower():
        return True
    # in a phrase, a word of one or two letters ("a", "of") is ordinary too
    return ordinary and all(is_word(p.lower(), words) or (len(parts) > 1 and len(p) <= 2) for p in parts)


def is_word(w: str, words: set[str]) -> bool:
    """In the word list, as written or as a plain inflection of a listed word (the list has
    lemmas: "stories" -> "story", "accounting" -> "account", "relations" -> "relation")."""
    forms = {w}
    for end, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e")):
        if w.endswith(end) and len(w) - len(end) >= 3:
            forms.add(w[: -len(end)] + repl)
    return any(f in words for f in forms)


def recase(stem: str, pieces: dict[str, str]) -> str:
    """A configuration class stem with its acronyms written as the model's authors write them
    ("DistilBert" -> "DistilBERT", "BioGpt" -> "BioGPT"): a piece changes only where it is a whole
    CamelCase piece after a lower-case letter or digit, or at the start."""
    for piece, written in pieces.items():
        stem = re.sub(rf"(?:(?<=[a-z0-9])|^){piece}(?=[A-Z0-9_]|$)", written, stem)
    return stem


def usable(alias: str) -> bool:
    """Only spellings the matcher can see: pieces joined by single separators."""
    return bool(alias) and not re.search(r"[^\w\s\-./'+@’]|\s{2}", alias) and \
        len(re.findall(r"[^\W_]+", alias)) <= MAX_TOKENS and bool(re.search(r"[^\W\d_]", alias))


class Lexicon:
    """Entries of one kind, merged by the key of their name."""

    def __init__(self, kind: str):
        self.kind, self.entries = kind, {}

    def add(self, name: str, aliases, src: str, **extra):
        name = " ".join(name.split())
        k = key(name)
        if not k:
            return None
        e = self.entries.get(k)
        if e is None:
            e = self.entries[k] = {"name": name, "aliases": [], "src": [], "votes": Counter(), "metrics": []}
        elif e["name"].islower() and not name.islower():
            e["name"] = name  # a registry that writes the name with capitals gives its casing
        for a in [name, *aliases]:
            a = " ".join(str(a).split())
            if a and a not in e["aliases"]:
                e["aliases"].append(a)
        if src not in e["src"]:
            e["src"].append(src)
        if extra.get("better"):
            e["votes"][extra["better"]] += 1
        for m in extra.get("metrics") or []:
            if m not in e["metrics"]:
                e["metrics"].append(m)
        return e


def build(files: dict[str, Path]) -> tuple[dict, list[dict]]:
    cur = yaml.safe_load(CURATED.read_text())
    casing, generic = cur["casing"], {key(g) for g in cur["generic_metrics"]}
    skip = cur.get("skip") or {}
    words = R.english_words(R.Archive(str(files["english-words"]))) | {w.lower() for w in cur["ordinary_words"]}
    bench, model, metric = Lexicon("benchmark"), Lexicon("model"), Lexicon("metric")
    curated_keys = {}
    for m in cur["metrics"]:
        e = metric.add(m["name"], m["aliases"], "curated", better=m["better"])
        if m["name"] not in m["aliases"]:
            e["aliases"].remove(m["name"])  # "map" is mAP's id, not how prose writes it
        e["curated"], e["any_case"], e["better"] = True, m.get("any_case", True), m["better"]
        for a in [m["name"], *m["aliases"]]:
            curated_keys[key(a)] = e
    sources, records = [], {}
    for pkg, ver, fname, digest in PINS:
        arc = R.Archive(str(files[pkg]))
        meta = arc.metadata()
        if pkg in R.READERS:
            records[pkg] = R.READERS[pkg](arc)
        sources.append({"package": pkg, "version": meta.get("version", ver), "licence": meta["licence"],
                        "file": fname, "sha256": digest})
    helm_metric_names = {}
    lm_folders = Counter()
    for pkg, recs in records.items():
        for r in recs:
            if r["kind"] == "metric" and pkg == "lm-eval":
                lm_folders[key(r["name"])] += 1
    for pkg, recs in records.items():  # metrics first: benchmarks name theirs by the canonical name
        for r in recs:
            if r["kind"] != "metric":
                continue
            k = key(r["name"])
            hit = curated_keys.get(k) or next((curated_keys[key(a)] for a in r["aliases"]
                                               if key(a) in curated_keys), None)
            if pkg == "crfm-helm":
                helm_metric_names[r["helm_id"]] = hit["name"] if hit else r["name"].lower()
            if hit:  # the registry knows a curated metric: it is one more source of it
                if pkg not in hit["src"]:
                    hit["src"].append(pkg)
                continue
            if k in generic or (pkg == "lm-eval" and lm_folders[k] < 5) or not r["better"]:
                continue
            # HELM's own metric names are mostly scenario-specific ("MedDialog Jury Score", "Security
            # Risks"): keep the @k ones and single names written as names ("BLEU-1", "SummaC").
            if pkg == "crfm-helm" and not (re.fullmatch(r"[\w-]+@\d+", r["name"]) or re.fullmatch(
                    r"[\w-]*(?:[a-z][A-Z]|[A-Z]{2}|\d)[\w-]*", r["name"])):
                continue
            name = r["name"].replace("_", " ").lower()
            aliases = [a for a in [r["name"], *r["aliases"]] if "_" not in a or pkg == "lm-eval"]
            metric.add(name, aliases, pkg, better=r["better"])
    for pkg, recs in records.items():
        for r in recs:
            if r["name"] in skip.get(r["kind"], ()):
                continue
            if r["kind"] == "benchmark":
                if "_" in r["name"] and r["name"].islower():
                    continue  # a config or task id ("mmlu_astronomy"), not a name papers write
                mets = [helm_metric_names.get(m, m) if pkg == "crfm-helm" else
                        (curated_keys[key(m)]["name"] if key(m) in curated_keys else m) for m in r["metrics"]]
                mets = [m for m in mets if key(m) not in generic]
                name = casing.get(r["name"], r["name"]).replace("_", "-")  # "ARC_c" is written "ARC-c"
                bench.add(name, [r["name"], *r["aliases"]], pkg, metrics=mets)
            elif r["kind"] == "model":
                name = casing.get(r["name"]) or (recase(r["name"], cur["casing_pieces"]) if pkg == "transformers"
                                                 else r["name"])
                model.add(name, [r["name"], *r["aliases"]], pkg)
    # "aime2024", "math401": a lower-case name made of a known benchmark and a number takes that
    # benchmark's casing ("AIME2024")
    cased = {k: e["name"] for k, e in bench.entries.items() if not e["name"].islower()}
    for e in bench.entries.values():
        m = re.fullmatch(r"([a-z]+)(\d[\w.-]*)", e["name"])
        if m and m.group(1) in cased:
            e["name"] = cased[m.group(1)] + m.group(2)
            e["aliases"].insert(0, e["name"])
    return {"benchmark": bench, "model": model, "metric": metric}, sources, words


def finish(lexes: dict, words: set[str]) -> dict[str, list[dict]]:
    """Drop colliding spellings, give every spelling (key) one owner, and shape the entries."""
    order = [e for e in lexes["metric"].entries.values() if e.get("curated")] + \
        list(lexes["benchmark"].entries.values()) + list(lexes["model"].entries.values()) + \
        [e for e in lexes["metric"].entries.values() if not e.get("curated")]
    kinds = {id(e): kind for kind, lex in lexes.items() for e in lex.entries.values()}
    owner = {}
    for e in order:  # a name's own key first ...
        owner.setdefault(key(e["name"]), e)
    out = {"benchmark": [], "model": [], "metric": []}
    for e in order:  # ... then its other spellings, in priority order
        kind = kinds[id(e)]
        if owner.get(key(e["name"])) is not e:
            continue
        keep, suffix = [], []
        for a in e["aliases"]:
            if not usable(a) or owner.setdefault(key(a), e) is not e:
                continue
            if e.get("curated"):
                keep.append(a)
            elif not collides(a, words) or (kind == "metric" and len(a.split()) > 1):
                keep.append(a)  # a registry metric of several words is a name ("mean squared error")
            elif kind == "model" and re.fullmatch(r"[A-Z][a-z]{3,}", a):
                suffix.append(a)  # "Falcon", "Llama": a model only with a version or size after it
                continue
            if kind == "model" and re.fullmatch(r"[A-Z]{2,3}", a) and keep and keep[-1] == a:
                suffix.append(keep.pop())  # "AST", "OPT": acronyms of other things too, unless "OPT-175B"
        if not keep and not suffix:
            continue
        # One spelling per key is enough where any casing matches; elsewhere one per distinct casing.
        seen, slim = set(), []
        for a in keep:
            k = key(a) if e.get("any_case", True) and not is_word(key(a), words) and len(key(a)) >= 4 \
                else re.sub(r"[^\w+@]|_", "", a)
            if k not in seen:
                seen.add(k)
                slim.append(a)
        keep = slim
        name = e["name"] if e["name"] in keep + suffix or e.get("curated") else (keep or suffix)[0]
        if kind != "metric" and "_" in name and name.islower():
            continue  # only an id is left ("mmlu_philosophy": its display name is ordinary words)
        ordinary = any(is_word(key(a), words) for a in keep + suffix)
        row = {"name": name, "aliases": keep}
        if suffix:
            row["suffix_only"] = suffix
        # names written only in capitals ("MARCO") or only Capitalised ("Cityscapes") keep their casing
        plain = [a for a in keep if "_" not in a and not a.islower()]
        shaped = bool(plain) and all(a.isupper() or re.fullmatch(r"[A-Z][a-z]+", a) for a in plain) and \
            len(plain) == len([a for a in keep if "_" not in a])
        if not (e.get("any_case", True) and not ordinary and not suffix and not (shaped and kind != "metric")):
            row["any_case"] = False  # written only when false: the default is true
        if kind == "metric":
            row["better"] = e.get("better") or e["votes"].most_common(1)[0][0]
        if kind == "benchmark" and e["metrics"]:
            row["metrics"] = e["metrics"]  # kept to the metrics of the lexicon in main()
        row["src"] = " ".join(e["src"])
        out[kind].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: key(r["name"]))
    return out


HEADER = """# Generated by tools/build_lexicons.py (`make lexicons`) from the registries listed in SOURCES.md:
# do not edit by hand. Data for extract/lexicon.py.
#   {plural}: canonical name -> the spellings it is written with (the name counts only if listed)
#   exact_case: names whose spellings match only as written (a lower-case one also in capitals or
#     capitalised) or in mixed case ("LLaMA"): ordinary words, names written only in capitals or
#     only Capitalised; every other name matches in any casing (spellings of 4+ characters)
#   suffix_only: spellings that are ordinary words or short acronyms, matched only with a version
#     or size after them ("Falcon-40B", "OPT-175B")
#   (sources.yaml says which registries know each name){extra}
"""
SOURCES_HEADER = """# Generated by tools/build_lexicons.py (`make lexicons`): do not edit by hand.
# For each kind, registry -> the canonical names (of benchmarks.yaml, models.yaml, metrics.yaml) it
# knows; `curated` marks what tools/lexicon_curated.yaml adds. Versions and licences: SOURCES.md.
"""


def _flow(obj) -> str:
    return yaml.safe_dump(obj, default_flow_style=True, width=10_000, allow_unicode=True, sort_keys=False).strip()


def write(out: dict, sources: list[dict]) -> None:
    """One small mapping per property, so that the files load fast: a canonical name's
    spellings, then which names are exact-case, suffix-only, their direction, their sources."""
    OUT.mkdir(parents=True, exist_ok=True)
    extra = {"benchmark": "\n#   benchmark_metrics: the registries' metrics for a benchmark (names of metrics.yaml)",
             "model": "", "metric": "\n#   better: higher or lower, from the registry or the curated table"}
    for kind, plural in (("benchmark", "benchmarks"), ("model", "models"), ("metric", "metrics")):
        rows = out[kind]
        lines = [HEADER.format(plural=plural, extra=extra[kind]), f"{plural}:"]
        lines += ["  " + _flow({r["name"]: r["aliases"]})[1:-1] for r in rows]
        lines.append("exact_case: " + _flow([r["name"] for r in rows if r.get("any_case") is False]))
        lines.append("suffix_only:")
        lines += ["  " + _flow({r["name"]: r["suffix_only"]})[1:-1] for r in rows if r.get("suffix_only")]
        if kind == "metric":
            lines.append("better:")
            lines += ["  " + _flow({r["name"]: r["better"]})[1:-1] for r in rows]
        if kind == "benchmark":
            lines.append("benchmark_metrics:")
            lines += ["  " + _flow({r["name"]: r["metrics"]})[1:-1] for r in rows if r.get("metrics")]
        (OUT / f"{plural}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Which registry knows which name: not needed to match names, so kept out of the files above.
    lines = [SOURCES_HEADER]
    for kind, plural in (("benchmark", "benchmarks"), ("model", "models"), ("metric", "metrics")):
        lines.append(f"{plural}:")
        rows = out[kind]
        for src in dict.fromkeys(x for r in rows for x in r["src"].split()):
            lines.append(f"  {src}: " + _flow([r["name"] for r in rows if src in r["src"].split()]))
    (OUT / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = Counter(s for rows in out.values() for r in rows for s in r["src"].split())
    rows = "\n".join(f"| {s['package']} | {s['version']} | {s['licence']} | `{s['file']}` | `{s['sha256']}` | "
                     f"{counts.get(s['package'], 0)} |" for s in sources)
    (OUT / "SOURCES.md").write_text(SOURCES_MD.read_text(encoding="utf-8").format(
        date=datetime.date.today().isoformat(), rows=rows, nb=len(out["benchmark"]), nm=len(out["metric"]),
        nmo=len(out["model"]), curated=counts.get("curated", 0)), encoding="utf-8")


def main(argv=None) -> int:
    global CACHE, OUT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=CACHE, help="where the downloaded files are kept")
    ap.add_argument("--out", type=Path, default=OUT, help="where the lexicons are written")
    args = ap.parse_args(argv)
    CACHE, OUT = args.cache.resolve(), args.out.resolve()
    files = fetch()
    lexes, sources, words = build(files)
    out = finish(lexes, words)
    known = {r["name"] for r in out["metric"]}
    for row in out["benchmark"]:
        mets = [m for m in row.pop("metrics", []) if m in known][:6]
        if mets:
            row["metrics"] = mets
    write(out, sources)
    print(f"build_lexicons: {len(out['benchmark'])} benchmarks, {len(out['metric'])} metrics, "
          f"{len(out['model'])} models -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
