"""Read names out of the registries' distribution files, never installing or importing them.

Each reader takes an opened archive (`Archive`: a wheel or an sdist) and returns plain records:
``{"kind": "benchmark"|"metric"|"model", "name": str, "aliases": [...], ...}`` with, for metrics,
``better`` ("higher", "lower" or None when the registry does not say) and, for benchmarks, the
registry's metric names. The names are cleaned up and merged by tools/build_lexicons.py.
"""
from __future__ import annotations

import ast
import re
import tarfile
import zipfile
from collections import Counter, defaultdict

import yaml


class Archive:
    """Text files of a wheel (zip) or an sdist (tar.gz), by path inside the archive."""

    def __init__(self, path: str):
        self.path = path
        if path.endswith((".whl", ".zip")):
            self._z = zipfile.ZipFile(path)
            self.names = self._z.namelist()
            self._read = lambda n: self._z.read(n)
        else:
            self._t = tarfile.open(path)  # noqa: SIM115 (open while the archive is read)
            members = {m.name: m for m in self._t.getmembers() if m.isfile()}
            self.names = list(members)
            self._read = lambda n: self._t.extractfile(members[n]).read()

    def text(self, name: str) -> str:
        return self._read(name).decode("utf-8", "replace")

    def raw(self, name: str) -> bytes:
        return self._read(name)

    def metadata(self) -> dict:
        """Name, version and licence from the wheel's METADATA (or the sdist's PKG-INFO)."""
        meta = next((n for n in self.names if n.endswith(".dist-info/METADATA")), None) \
            or next(n for n in self.names if n.endswith("PKG-INFO"))
        out: dict = {"classifiers": []}
        for line in self.text(meta).split("\n\n", 1)[0].splitlines():
            key, _, val = line.partition(": ")
            if key in ("Name", "Version", "License", "License-Expression"):
                out[key.lower()] = val.strip()
            elif key == "Classifier" and val.startswith("License ::"):
                out["classifiers"].append(val.split("::")[-1].strip())
        lic = out.get("license-expression") or (out.get("license") if len(out.get("license", "")) < 60 else "")
        out["licence"] = lic or "; ".join(out["classifiers"]) or "see package"
        return out


class _Tolerant(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Loads lm-eval task YAML, whose `!function` tags name Python code: they become None."""


_Tolerant.add_multi_constructor("!", lambda loader, suffix, node: None)


def _load_yaml(text: str):
    try:
        return yaml.load(text, Loader=_Tolerant)
    except yaml.YAMLError:
        return None


def _clean_title(title: str) -> str | None:
    """A README's first heading as a name: "BLiMP: The Benchmark of ..." -> "BLiMP"."""
    title = re.sub(r"[`*_\[\]]|\(.*?\)|<.*?>", "", title).strip()
    title = re.split(r":| - | — | – |,", title)[0].strip()
    if not title or len(title.split()) > 4 or not re.search(r"[A-Za-z]", title):
        return None
    return title


# `dataset_path: json` loads local files: a format, not a dataset's name
_FILE_FORMATS = {"", "json", "csv", "parquet", "text", "arrow", "imagefolder", "audiofolder", "webdataset"}


def lm_eval(arc: Archive) -> list[dict]:
    """lm-evaluation-harness: one benchmark per task folder (named by its README heading), the
    task names and dataset names of its YAML files as aliases, and the metrics of its
    `metric_list`s with their `higher_is_better`."""
    folders: dict = defaultdict(lambda: {"title": None, "tasks": set(), "datasets": set(), "metrics": Counter()})
    for n in arc.names:
        m = re.match(r"lm_eval/tasks/([^/_][^/]*)/(.+)$", n)
        if not m:
            continue
        f = folders[m.group(1)]
        if m.group(2) == "README.md":
            head = next((ln[2:] for ln in arc.text(n).splitlines() if ln.startswith("# ")), None)
            f["title"] = head and _clean_title(head)
        elif n.endswith(".yaml"):
            doc = _load_yaml(arc.text(n))
            if not isinstance(doc, dict):
                continue
            if isinstance(doc.get("task"), str):
                f["tasks"].add(doc["task"])
            for key in ("dataset_name", "dataset_path"):
                if isinstance(doc.get(key), str):
                    f["datasets"].add((key, doc[key]))
            for met in doc.get("metric_list") or []:
                if isinstance(met, dict) and isinstance(met.get("metric"), str):
                    hib = met.get("higher_is_better")
                    f["metrics"][(met["metric"], hib if isinstance(hib, bool) else None)] += 1
    out = []
    for folder, f in sorted(folders.items()):
        metrics = sorted({name for name, _ in f["metrics"]})
        tasks = sorted(t for t in f["tasks"] if t.count("_") <= 1) if len(f["tasks"]) <= 12 else []
        paths = sorted(p.rsplit("/", 1)[-1] for k, p in f["datasets"] if k == "dataset_path"
                       and p.rsplit("/", 1)[-1].lower() not in _FILE_FORMATS)
        # a heading is the folder's name only if they share a stem ("MATH" for hendrycks_math; not
        # a README copied from another task)
        t, fk = re.sub(r"\W|_", "", (f["title"] or "").lower()), re.sub(r"\W|_", "", folder.lower())
        same = t and (t in fk or fk in t or any(fk[i:i + 4] in t for i in range(len(fk) - 3)))
        name = f["title"] if same else folder
        # task and dataset names are this benchmark's only where they share its stem ("arc_easy"
        # for ARC; not "wmt14-en-fr" in a folder of translation tasks)
        stems = {x[:4] for x in (t, fk) if x}
        own = [a for a in [*tasks, *paths[:3]] if any(st in re.sub(r"\W|_", "", a.lower()) for st in stems)]
        out.append({"kind": "benchmark", "name": name, "aliases": [folder, *own], "metrics": metrics,
                    "folder": folder})
        # Named configurations of a dataset ("ARC-Easy", "ARC-Challenge") are benchmarks of their own.
        for k, dn in sorted(f["datasets"]):
            if k == "dataset_name" and re.fullmatch(r"[A-Z][A-Za-z0-9]*[-][A-Za-z0-9]+", dn):
                out.append({"kind": "benchmark", "name": dn, "aliases": [], "metrics": metrics})
        for met, hib in f["metrics"]:
            out.append({"kind": "metric", "name": met, "aliases": [],
                        "better": None if hib is None else ("higher" if hib else "lower"), "folder": folder})
    return out


def helm(arc: Archive) -> list[dict]:
    """HELM: the scenarios (leaf run groups) of every static schema, with their main metric, and
    the schema's metrics with `lower_is_better`."""
    out = []
    for n in sorted(arc.names):
        if not re.match(r"helm/benchmark/static/schema_\w+\.yaml$", n):
            continue
        doc = _load_yaml(arc.text(n)) or {}
        for met in doc.get("metrics") or []:
            lib = met.get("lower_is_better")
            names = [met.get("display_name"), met.get("short_display_name")]
            names = [x for x in names if isinstance(x, str)]
            if lib is None or not names:
                continue
            out.append({"kind": "metric", "name": names[0], "aliases": names[1:] + [met["name"]],
                        "better": "lower" if lib else "higher", "helm_id": met["name"]})
        for g in doc.get("run_groups") or []:
            if "environment" not in g or g.get("subgroups") or g.get("category"):
                continue
            names = [g.get("short_display_name"), g.get("display_name")]
            names = [_clean_title(x) for x in names if isinstance(x, str)]
            names = [x for x in names if x]
            if not names:
                continue
            main = (g.get("environment") or {}).get("main_name")
            out.append({"kind": "benchmark", "name": names[0], "aliases": names[1:] + [g["name"]],
                        "metrics": [main] if isinstance(main, str) else []})
    return out


def opencompass(arc: Archive) -> list[dict]:
    """OpenCompass: the dataset config folders ("ARC_c", "GaokaoBench", "SuperGLUE_BoolQ")."""
    folders = sorted({m.group(1) for n in arc.names
                      if (m := re.match(r"opencompass/configs/datasets/([^/_.][^/]*)/", n))})
    out = []
    heads = Counter(f.partition("_")[0] for f in folders if "_" in f)
    for f in folders:
        head, _, rest = f.partition("_")
        # "SuperGLUE_BoolQ", "GLUE_CoLA": a collection's prefix (shared by three folders or more)
        # before a cased dataset name
        if rest and re.search(r"[A-Z]", rest) and heads[head] >= 3:
            out.append({"kind": "benchmark", "name": rest, "aliases": [f], "metrics": []})
        else:
            out.append({"kind": "benchmark", "name": f, "aliases": [], "metrics": []})
    return out


def _camel_words(name: str) -> list[str]:
    return re.findall(r"[A-Z]+\d*(?=[A-Z][a-z]|$)|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+", name)


def torchmetrics(arc: Archive) -> list[dict]:
    """torchmetrics: the Metric classes of each domain module, with their `higher_is_better`."""
    out = []
    for n in sorted(arc.names):
        m = re.match(r"torchmetrics/(\w+)/(\w+)\.py$", n)
        if not m or m.group(1) in ("functional", "wrappers", "utilities", "aggregation") or m.group(2).startswith("_"):
            continue
        tree = ast.parse(arc.text(n))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
                continue
            hib = None
            for st in node.body:
                if isinstance(st, (ast.AnnAssign, ast.Assign)):
                    targets = [st.target] if isinstance(st, ast.AnnAssign) else st.targets
                    if any(getattr(t, "id", "") == "higher_is_better" for t in targets) and \
                            isinstance(st.value, ast.Constant) and isinstance(st.value.value, bool):
                        hib = st.value.value
            if hib is None:
                continue  # task wrappers ("BinaryAccuracy") and abstract bases say nothing
            words = _camel_words(re.sub(r"^(Binary|Multiclass|Multilabel|Retrieval)", "", node.name))
            if words and words[-1] in ("Score", "Metric") and len(words) > 1:
                words = words[:-1]
            if "".join(words) != re.sub(r"^(Binary|Multiclass|Multilabel|Retrieval)", "", node.name)[:len(
                    "".join(words))] or any(len(w) <= 2 and not w.isupper() for w in words):
                continue  # "SQuAD" does not split into words
            phrase = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words)
            out.append({"kind": "metric", "name": phrase.lower(), "aliases": [phrase],
                        "better": "higher" if hib else "lower"})
    return out


def evaluate(arc: Archive) -> list[dict]:
    """Hugging Face evaluate: the default metric of each evaluator task (the metric modules
    themselves live on the Hub, not in the package)."""
    text = arc.text(next(n for n in arc.names if n.endswith("evaluate/evaluator/__init__.py")))
    names = sorted(set(re.findall(r'"default_metric_name":\s*"([^"]+)"', text)))
    return [{"kind": "metric", "name": x, "aliases": [], "better": None} for x in names]


def _module_all(text: str) -> list[str]:
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            try:
                return [x for x in ast.literal_eval(node.value) if isinstance(x, str)]
            except ValueError:
                return []
    return []


def transformers(arc: Archive) -> list[dict]:
    """transformers: the model types of CONFIG_MAPPING_NAMES, named by their configuration class
    ("LlamaConfig" -> "Llama"), without the text/vision sub-configurations."""
    n = next(x for x in arc.names if x.endswith("models/auto/auto_mappings.py"))
    tree = ast.parse(arc.text(n))
    maps = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and node.value.args:
            try:
                maps[node.targets[0].id] = dict(ast.literal_eval(node.value.args[0]))
            except (ValueError, AttributeError):
                pass
    special = maps.get("SPECIAL_MODEL_TYPE_TO_MODULE_NAME", {})
    out = []
    for mtype, cls in maps["CONFIG_MAPPING_NAMES"].items():
        if mtype in special and special[mtype] != mtype.replace("-", "_"):
            continue
        if re.search(r"encoder.decoder|dual.encoder|_text|_vision|_audio", mtype):
            continue
        stem = re.sub(r"Config$", "", cls)
        out.append({"kind": "model", "name": stem, "aliases": [mtype]})
    return out


def timm(arc: Archive) -> list[dict]:
    """timm: each model module's architecture class (its `__all__`) and the entrypoints that
    `@register_model` adds, kept where they start with the module's main prefix ("resnet50")."""
    out = []
    for n in sorted(arc.names):
        if not re.match(r"timm/models/[a-z]\w*\.py$", n):
            continue
        text = arc.text(n)
        classes = [c for c in _module_all(text) if c[:1].isupper()]
        if not classes or "@register_model" not in text:
            continue
        fns = [node.name for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)
               and any(getattr(d, "id", "") == "register_model" for d in node.decorator_list)]
        prefixes = Counter(re.match(r"[a-z]+(?:v\d+)?", f).group(0) for f in fns if re.match(r"[a-z]", f))
        if not prefixes:
            continue
        prefix = prefixes.most_common(1)[0][0]
        keep = [f for f in fns if re.match(prefix + r"(?![a-z])", f) and f.count("_") <= 1]
        # the prefix names the family only where it is the class's name ("resnet" for ResNet, not
        # "qwen" for Qwen3VitEncoder)
        lead = [prefix] if classes[0].lower() == prefix else []
        out.append({"kind": "model", "name": classes[0], "aliases": [*lead, *keep[:20]]})
    return out


def _datasets_all(arc: Archive, init: str) -> list[str]:
    n = next((x for x in arc.names if x.endswith(init)), None)
    return _module_all(arc.text(n)) if n else []


def torchvision(arc: Archive) -> list[dict]:
    """torchvision: the dataset classes of torchvision.datasets and the model classes of
    torchvision.models."""
    out = [{"kind": "benchmark", "name": d, "aliases": [], "metrics": []}
           for d in _datasets_all(arc, "torchvision/datasets/__init__.py")
           if not re.search(r"Folder|Dataset$|^Fake|Class$", d)]
    for n in sorted(arc.names):
        if re.match(r"torchvision/models/[a-z]\w*\.py$", n):
            for c in _module_all(arc.text(n)):
                if c[:1].isupper() and not re.search(r"Weights$|Outputs?$|Config$", c):
                    out.append({"kind": "model", "name": c, "aliases": []})
    return out


def torchaudio(arc: Archive) -> list[dict]:
    """torchaudio: the dataset classes of torchaudio.datasets and the model classes of
    torchaudio.models."""
    out = [{"kind": "benchmark", "name": d, "aliases": [], "metrics": []}
           for d in _datasets_all(arc, "torchaudio/datasets/__init__.py")]
    for c in _datasets_all(arc, "torchaudio/models/__init__.py"):
        if c[:1].isupper():
            out.append({"kind": "model", "name": re.sub(r"(Pretrain)?Model$", "", c) or c, "aliases": []})
    return out


def english_words(arc: Archive) -> set[str]:
    """The GCIDE dictionary's lower-case words, from the english-words wheel's pickled set (read
    with an unpickler that builds nothing but sets and strings)."""
    import io
    import pickle

    class _Only(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "builtins" and name in ("set", "frozenset"):
                return getattr(__import__("builtins"), name)
            raise pickle.UnpicklingError(f"refused {module}.{name}")

    n = next(x for x in arc.names if x.endswith("data/gcide_alpha_lower.pickle"))
    words = _Only(io.BytesIO(arc.raw(n))).load()
    return {w for w in words if isinstance(w, str)}


READERS = {"lm-eval": lm_eval, "crfm-helm": helm, "opencompass": opencompass, "torchmetrics": torchmetrics,
           "evaluate": evaluate, "transformers": transformers, "timm": timm, "torchvision": torchvision,
           "torchaudio": torchaudio}
