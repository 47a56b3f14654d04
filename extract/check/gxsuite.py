"""The plausibility suite as a Great Expectations 1.x ExpectationSuite; running it; its Data Docs.

Imports Great Expectations (about 2-4 s), so only the validation step imports this module.
Each expectation carries ``meta = {"name", "reason", "source"}``: ``name`` is the Spec's name,
which is how results are mapped back to the row flags of :mod:`extract.expectations`.
"""
from __future__ import annotations

import os

# No usage statistics, no network: set before GX is imported.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from pathlib import Path  # noqa: E402
from typing import Literal  # noqa: E402

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import (  # noqa: E402
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.execution_engine import PandasExecutionEngine  # noqa: E402
from great_expectations.expectations.expectation import (  # noqa: E402
    ColumnPairMapExpectation,
    MulticolumnMapExpectation,
)
from great_expectations.expectations.metrics.map_metric_provider import (  # noqa: E402
    ColumnPairMapMetricProvider,
    MulticolumnMapMetricProvider,
    column_pair_condition_partial,
    multicolumn_condition_partial,
)
from great_expectations.expectations.row_conditions import Column  # noqa: E402
from great_expectations.render.renderer_configuration import RendererValueType  # noqa: E402

from extract.check import readback  # noqa: E402
from extract.check.expectations import Spec, load, near_hit, text_dtype  # noqa: E402

SUITE_NAME = "claims_plausibility"


# --- one custom expectation: GX has no "A occurs inside B" for a column pair --------------------


class ColumnPairValuesAInB(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.a_in_b"
    condition_domain_keys = ("batch_id", "table", "column_A", "column_B", "row_condition",
                             "condition_parser", "ignore_row_if")
    condition_value_keys = ()

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, **kwargs):
        # plain Python objects: iterating an Arrow-backed column directly is 6x slower
        return pd.Series([isinstance(a, str) and isinstance(b, str) and a in b
                          for a, b in zip(column_A.to_numpy(dtype=object), column_B.to_numpy(dtype=object))],
                         index=column_A.index, dtype=bool)


class ColumnPairValuesANotNearB(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.a_not_near_b"
    condition_domain_keys = ("batch_id", "table", "column_A", "column_B", "row_condition",
                             "condition_parser", "ignore_row_if")
    condition_value_keys = ("near",)

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A, column_B, near, **kwargs):
        return pd.Series([not near_hit(near, a, b)
                          for a, b in zip(column_A.to_numpy(dtype=object), column_B.to_numpy(dtype=object))],
                         index=column_A.index, dtype=bool)


class ExpectColumnPairValuesANotNearB(ColumnPairMapExpectation):
    """Expect column B not to match a pattern around column A as written ("95%" then "confidence")."""

    near: str
    map_metric = "column_pair_values.a_not_near_b"
    success_keys = ("column_A", "column_B", "near", "ignore_row_if", "mostly")
    args_keys = ("column_A", "column_B", "near")
    ignore_row_if: Literal["both_values_are_missing", "either_value_is_missing", "neither"] = \
        "both_values_are_missing"

    @classmethod
    def _prescriptive_template(cls, renderer_configuration):
        renderer_configuration.add_param(name="column_A", param_type=RendererValueType.STRING)
        renderer_configuration.add_param(name="column_B", param_type=RendererValueType.STRING)
        renderer_configuration.add_param(name="near", param_type=RendererValueType.STRING)
        renderer_configuration.template_str = "$column_B must not match $near around $column_A."
        return renderer_configuration


class ExpectColumnPairValuesAToBeSubstringOfB(ColumnPairMapExpectation):
    """Expect each value of column A to occur, as written, inside column B of the same row."""

    map_metric = "column_pair_values.a_in_b"
    success_keys = ("column_A", "column_B", "ignore_row_if", "mostly")
    args_keys = ("column_A", "column_B")
    ignore_row_if: Literal["both_values_are_missing", "either_value_is_missing", "neither"] = \
        "both_values_are_missing"

    @classmethod
    def _prescriptive_template(cls, renderer_configuration):
        renderer_configuration.add_param(name="column_A", param_type=RendererValueType.STRING)
        renderer_configuration.add_param(name="column_B", param_type=RendererValueType.STRING)
        renderer_configuration.template_str = "Values in $column_A must occur inside $column_B."
        return renderer_configuration


class MulticolumnValuesReadBack(MulticolumnMapMetricProvider):
    condition_metric_name = "multicolumn_values.read_back"
    condition_domain_keys = ("batch_id", "table", "column_list", "row_condition", "condition_parser",
                             "ignore_row_if")
    condition_value_keys = ()

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list, **kwargs):
        text, value, unit = (column_list.iloc[:, i] for i in range(3))
        return pd.Series(~readback.disagreeing(text, value, unit), index=column_list.index, dtype=bool)


class ExpectMulticolumnValuesToReadBack(MulticolumnMapExpectation):
    """Expect each value to be what quantulum3 reads in its text (columns: text, value, unit)."""

    map_metric = "multicolumn_values.read_back"
    success_keys = ("column_list", "ignore_row_if", "mostly")
    args_keys = ("column_list",)

    @classmethod
    def _prescriptive_template(cls, renderer_configuration):
        renderer_configuration.add_param(name="column_list", param_type=RendererValueType.ARRAY)
        renderer_configuration.template_str = "Values must be what quantulum3 reads in the text: $column_list."
        return renderer_configuration


# --- the suite ---------------------------------------------------------------------------------


def _condition(spec: Spec):
    cond = None
    for col, want in spec.where:
        c = Column(col).is_in(list(want)) if isinstance(want, tuple) else Column(col) == want
        cond = c if cond is None else cond & c
    return cond


def expectation(spec: Spec):
    """The GX expectation for one Spec."""
    common = {"meta": {"name": spec.name, "reason": spec.reason, "source": spec.source},
              "description": f"{spec.name}: {spec.describe()} -- {spec.reason}"}
    cond = _condition(spec)
    if cond is not None:
        common["row_condition"] = cond
    c = spec.check
    if c == "columns_exist":
        return gxe.ExpectTableColumnsToMatchSet(column_set=list(spec.columns), exact_match=False, **common)
    if c == "dtype":
        return gxe.ExpectColumnTypeToBe(column=spec.column,
                                        type_=text_dtype() if spec.dtype == "text" else spec.dtype, **common)
    if c == "in_set":
        return gxe.ExpectColumnValuesToBeInSet(column=spec.column, value_set=list(spec.values), **common)
    if c == "not_blank":
        return gxe.ExpectColumnValuesToMatchRegex(column=spec.column, regex=r"\S", **common)
    if c == "not_null":
        return gxe.ExpectColumnValuesToNotBeNull(column=spec.column, **common)
    if c == "between":
        return gxe.ExpectColumnValuesToBeBetween(column=spec.column, min_value=spec.min, max_value=spec.max,
                                                 strict_min=spec.strict_min, strict_max=spec.strict_max, **common)
    if c == "a_greater_than_b":
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=spec.column_a, column_B=spec.column_b,
                                                           or_equal=False, **common)
    if c == "a_in_b":
        return ExpectColumnPairValuesAToBeSubstringOfB(column_A=spec.column_a, column_B=spec.column_b, **common)
    if c == "a_not_near_b":
        return ExpectColumnPairValuesANotNearB(column_A=spec.column_a, column_B=spec.column_b, near=spec.near,
                                               **common)
    if c == "reads_back":
        return ExpectMulticolumnValuesToReadBack(column_list=list(spec.columns), **common)
    if c == "unique":
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(spec.columns), **common)
    raise ValueError(f"no GX expectation for check {c!r}")  # pragma: no cover


def build_suite(specs=None) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(name=SUITE_NAME)
    for spec in specs or load():
        suite.add_expectation(expectation(spec))
    return suite


def _context(docs_dir: Path | None):
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                               analytics_enabled=False, progress_bars=ProgressBarsConfig(globally=False))
    ctx = gx.get_context(mode="ephemeral", project_config=config)
    if docs_dir is not None:
        ctx.add_data_docs_site(site_name="claims", site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(Path(docs_dir).resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
    return ctx


# What the report lists for each failed row: the paper and the value as written (GX would list
# bare values). The index query (every failing row's position) would fill the page on a big run.
DOCS_RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["paper_id", "value_text"],
                      "return_unexpected_index_query": False}


def run(df: pd.DataFrame, docs_dir: Path | None = None, result_format: str = "SUMMARY", specs=None,
        asset: str = "claims_table", run_name: str | None = None, run_time=None):
    """Validate ``df`` with the suite; write Data Docs to ``docs_dir`` when given.

    ``asset`` names the data in the report (the corpus), ``run_name`` and ``run_time`` the run.
    Returns (the GX suite validation result, the path of the Data Docs index or "").
    """
    from great_expectations.core.run_identifier import RunIdentifier

    ctx = _context(docs_dir)
    bd = (ctx.data_sources.add_pandas("claims").add_dataframe_asset(asset)
          .add_batch_definition_whole_dataframe("whole_table"))
    suite = ctx.suites.add(build_suite(specs))
    vd = ctx.validation_definitions.add(gx.ValidationDefinition(name="claims_validation", data=bd, suite=suite))
    if docs_dir is None:
        return vd.run(batch_parameters={"dataframe": df}, result_format={"result_format": result_format}), ""
    Path(docs_dir).mkdir(parents=True, exist_ok=True)
    # Run directly, not through a checkpoint whose docs action would build the site a second time.
    result = vd.run(batch_parameters={"dataframe": df}, result_format=DOCS_RESULT_FORMAT,
                    run_id=RunIdentifier(run_name=run_name, run_time=run_time))
    _name_the_asset(ctx, asset)
    ctx.build_data_docs(site_names=["claims"])
    return result, str(Path(docs_dir).resolve() / "index.html")


def _name_the_asset(ctx, asset: str) -> None:
    """A result page's header reads the asset's name from the batch spec, which a dataframe batch
    lacks ("Data asset: None"): write it into the stored results."""
    store = ctx.validation_results_store
    for key in store.list_keys():
        stored = store.get(key)
        stored.meta.setdefault("batch_spec", {})["data_asset_name"] = asset
        store.set(key, stored)


def unexpected_counts(result, n_rows: int) -> dict[str, int]:
    """{expectation name: rows GX found unexpected}; a failed table-level expectation counts every row."""
    out = {}
    for r in result.results:
        name = r.expectation_config.meta["name"]
        if raised(r):
            out[name] = n_rows
        elif "unexpected_count" in r.result:
            out[name] = int(r.result["unexpected_count"])
        else:
            out[name] = 0 if r.success else n_rows
    return out


def raised(r) -> bool:
    """Did computing this expectation raise (GX nests exception info per metric)?"""
    info = r.exception_info or {}
    if info.get("raised_exception"):
        return True
    return any(isinstance(v, dict) and v.get("raised_exception") for v in info.values())
