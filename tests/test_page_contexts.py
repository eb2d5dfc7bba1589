"""The page contexts: every field documented, every field used by its template, every catalogue key present.

Contexts are the frozen dataclasses of ``qmdoc.views``. A template's use of a field is read from the
template's syntax tree (and those it includes): a page context's field must be one of the template's
free variables, a nested context's field must be read as an attribute somewhere in it. Catalogue keys
are read from the views' and the chart stage's syntax trees and from the templates; a key built at run
time (``f"status_{...}"``) must have a known set of suffixes, taken from the code's own constants.
"""

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import types
import typing
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta, nodes

import qmdoc
import qmdoc.views
from qmdoc.i18n import LANGUAGES, Catalogue, catalogue
from qmdoc.render import make_environment
from qmdoc.views.context import documented_fields, field
from qmdoc.views.labels import IMPORTANCE_KINDS, ITEM_ROLES, QUADRANT_KEYS

TEMPLATES = Path(qmdoc.__file__).parent / "templates"


def view_modules() -> list[types.ModuleType]:
    found = pkgutil.walk_packages(qmdoc.views.__path__, prefix="qmdoc.views.")
    return [qmdoc.views] + [importlib.import_module(m.name) for m in found]


def context_classes() -> list[type]:
    """Every dataclass the views define."""
    return [cls for module in view_modules() for _, cls in inspect.getmembers(module, inspect.isclass)
            if dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__]


# ---------------------------------------------------------------------------------- descriptions


def undocumented(cls: type) -> list[str]:
    return [name for name, text in documented_fields(cls).items() if not text.strip()]


def test_every_context_field_has_a_description():
    classes = context_classes()
    assert len(classes) > 40  # the pages and the satisfaction page's sections, with their rows
    assert {c.__name__: undocumented(c) for c in classes if undocumented(c)} == {}


def test_every_context_is_frozen():
    assert [c.__name__ for c in context_classes() if not c.__dataclass_params__.frozen] == []


def test_an_undocumented_field_is_reported():
    @dataclasses.dataclass(frozen=True)
    class Partly:
        title: str = field("page heading")
        rows: tuple = ()

    assert documented_fields(Partly) == {"title": "page heading", "rows": ""}
    assert undocumented(Partly) == ["rows"]


# ------------------------------------------------------------------------- use by the templates


def template_trees(name: str, env: jinja2.Environment) -> list[nodes.Template]:
    """The syntax tree of a template and of every template it includes, recursively."""
    tree = env.parse(env.loader.get_source(env, name)[0])
    out = [tree]
    for include in tree.find_all(nodes.Include):
        assert isinstance(include.template, nodes.Const), f"{name}: include of a computed name"
        out += template_trees(include.template.value, env)
    return out


def template_use(name: str) -> tuple[set[str], set[str]]:
    """(free variables, attribute names read) of a template and its includes."""
    env = make_environment()
    free: set[str] = set()
    attributes: set[str] = set()
    for tree in template_trees(name, env):
        free |= meta.find_undeclared_variables(tree)
        attributes |= {n.attr for n in tree.find_all(nodes.Getattr)}
        attributes |= {n.arg.value for n in tree.find_all(nodes.Getitem) if isinstance(n.arg, nodes.Const)}
    return free, attributes


def nested_contexts(cls: type, views: set[type], seen: set[type] | None = None) -> set[type]:
    """The view dataclasses a context holds (in fields, tuples, optionals), recursively."""
    seen = set() if seen is None else seen
    hints = typing.get_type_hints(cls)

    def walk(tp: object) -> None:
        if tp in views and tp not in seen:
            seen.add(tp)
            nested_contexts(tp, views, seen)
        for arg in typing.get_args(tp):
            walk(arg)

    for f in dataclasses.fields(cls):
        walk(hints[f.name])
    return seen


def unused_fields(cls: type, template: str, views: set[type] | None = None) -> dict[str, list[str]]:
    """Fields of ``cls`` (and the view dataclasses it holds) that ``template`` never reads."""
    free, attributes = template_use(template)
    out = {cls.__name__: [f.name for f in dataclasses.fields(cls) if f.name not in free]}
    for inner in nested_contexts(cls, set(context_classes()) if views is None else views):
        out[inner.__name__] = [f.name for f in dataclasses.fields(inner) if f.name not in attributes]
    return {k: v for k, v in out.items() if v}


def page_contexts() -> dict[str, type]:
    """Template -> the context class its view returns (read from the view functions' return annotations)."""
    from qmdoc.views import changes, clauses, complaints, customers, documents, objectives, policy, provenance, review
    from qmdoc.views.satisfaction import page

    views = {
        "home.md.j2": policy.home_view, "policy.md.j2": policy.policy_view,
        "objectives.md.j2": objectives.objectives_view, "procedures.md.j2": documents.procedures_view,
        "procedure.md.j2": documents.procedure_view, "documents.md.j2": documents.documents_view,
        "clauses.md.j2": clauses.clauses_view, "changes.md.j2": changes.changes_view,
        "complaints.md.j2": complaints.complaints_view, "provenance.md.j2": provenance.provenance_view,
        "review.md.j2": review.review_view, "satisfaction.md.j2": page.satisfaction_view,
        "customers.md.j2": customers.customers_view,
    }
    return {name: typing.get_type_hints(fn)["return"] for name, fn in views.items()}


def test_every_page_template_has_a_context():
    pages = {p.name for p in TEMPLATES.glob("*.md.j2") if not p.name.startswith("_")}
    assert set(page_contexts()) == pages


@pytest.mark.parametrize("template", sorted(page_contexts()))
def test_every_context_field_is_used_by_its_template(template):
    assert unused_fields(page_contexts()[template], template) == {}


def test_an_unused_field_is_reported():
    from qmdoc.views.clauses import ClauseMatrixRow, ClausesContext

    @dataclasses.dataclass(frozen=True)
    class Row(ClauseMatrixRow):
        footnote: str = field("a field no template prints", default="")

    @dataclasses.dataclass(frozen=True)
    class Page(ClausesContext):
        rows: tuple[Row, ...] = field("the clauses")
        legend: str = field("another field no template prints", default="")

    assert unused_fields(Page, "clauses.md.j2", set(context_classes()) | {Row}) == {"Page": ["legend"],
                                                                                   "Row": ["footnote"]}


# ------------------------------------------------------------------------------- catalogue keys


def constant_strings(node: ast.expr) -> set[str] | None:
    """The strings an expression can be when it is a literal or a choice between literals, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        a, b = constant_strings(node.body), constant_strings(node.orelse)
        return a | b if a is not None and b is not None else None
    return None


def catalogue_uses(source: str) -> tuple[set[str], set[str], set[str]]:
    """(keys, prefixes of built keys, other key expressions) of ``t[...]`` and ``t(...)`` in Python source."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    others: set[str] = set()

    def is_t(node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id == "t" or isinstance(node, ast.Attribute) and node.attr == "t"

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and is_t(node.value):
            arg = node.slice
        elif isinstance(node, ast.Call) and is_t(node.func) and node.args:
            arg = node.args[0]
        else:
            continue
        if constant_strings(arg) is not None:
            keys |= constant_strings(arg)
        elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
            prefixes.add(arg.values[0].value)
        else:
            others.add(ast.unparse(arg))
    return keys, prefixes, others


def stage_sources() -> dict[str, str]:
    """The code that reads the catalogue for the pages: the views, the chart stage, the page assembly."""
    modules = view_modules() + [importlib.import_module("qmdoc.manual_charts"), importlib.import_module("qmdoc.pages")]
    return {m.__name__: inspect.getsource(m) for m in modules}


def template_keys() -> set[str]:
    env = make_environment()
    keys = set()
    for path in TEMPLATES.glob("*.j2"):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "t":
                assert isinstance(call.args[0], nodes.Const), f"{path.name}: a catalogue key computed in a template"
                keys.add(call.args[0].value)
    return keys


def call_constants(module: str, callee: str, position: int) -> set[str]:
    """The literal strings passed as argument ``position`` to ``callee(...)`` anywhere in ``module``."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(importlib.import_module(module)))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == callee:
            found = constant_strings(node.args[position]) if len(node.args) > position else None
            assert found is not None, f"{module}: {callee}(...) with a computed argument {position}"
            out |= found
    assert out, f"no call of {callee} in {module}"
    return out


def literal(model: type, name: str) -> set[str]:
    return set(typing.get_args(model.model_fields[name].annotation))


def built_key_suffixes() -> dict[str, set[str]]:
    """Prefix of a key built at run time -> every suffix it can take, from the code's constants."""
    from qmdoc.compute.objectives import Status
    from qmdoc.compute.improvements import VERDICTS
    from qmdoc.models import DocumentControl, PathModel
    from qmdoc.views.satisfaction.gaps import GAP_DIRECTIONS
    from qmdoc.views.satisfaction.improvements import verdict_key

    quadrants = set(QUADRANT_KEYS.values())
    return {
        "status_": literal(DocumentControl, "status") | set(typing.get_args(Status)),
        "kind_": call_constants("qmdoc.project", "SourcedDocument", 0),
        "change_": call_constants("qmdoc.compute.changes", "DocumentChange", 3),
        "decision_": call_constants("qmdoc.compute.review", "Decision", 0),
        "quadrant_": quadrants,
        "action_": quadrants,
        "ipa_intro_": set(IMPORTANCE_KINDS),
        "axis_importance_": set(IMPORTANCE_KINDS),
        "item_role_": set(ITEM_ROLES),
        "drivers_unavailable_": call_constants("qmdoc.compute.drivers", "DriversNotEstimable", 1),
        "pls_unavailable_": (call_constants("qmdoc.compute.pls", "NotEstimable", 1)
                             | call_constants("qmdoc.compute.pls_model", "NotEstimable", 1)),
        "pls_scheme_": literal(PathModel, "scheme"),
        "gap_": set(GAP_DIRECTIONS),
        "verdict_": {verdict_key(v) for v in (*VERDICTS, None)},
    }


# keys chosen by a value of the project's files: the value's possible strings
VALUE_KEYS = {"obj.direction", "r.objective.direction"}
OPTIONAL_PREFIXES = {"segment_"}  # looked up only when present (``segment_title`` falls back to the column name)


def used_keys() -> set[str]:
    from qmdoc.models import Objective

    keys, prefixes, others = set(template_keys()), set(), set()
    for source in stage_sources().values():
        k, p, o = catalogue_uses(source)
        keys, prefixes, others = keys | k, prefixes | p, others | o
    built = built_key_suffixes()
    assert prefixes - OPTIONAL_PREFIXES <= set(built), f"built keys with unknown suffixes: {prefixes - set(built)}"
    assert others <= VALUE_KEYS, f"catalogue keys from expressions the test does not know: {others - VALUE_KEYS}"
    keys |= {p + s for p in prefixes - OPTIONAL_PREFIXES for s in built[p]}
    if others:
        keys |= literal(Objective, "direction")
    return keys


def test_built_keys_take_their_suffixes_from_the_code():
    built = built_key_suffixes()
    assert built["status_"] == {"draft", "approved", "obsolete", "met", "not_met", "no_data"}
    assert built["kind_"] == {"manual", "policy", "objectives", "procedure", "survey"}
    assert built["change_"] == {"added", "removed", "revised", "changed"}
    assert built["decision_"] == {"significant_decline", "objective_not_met", "overdue_complaints", "review_due",
                                  "clause_gap"}
    assert built["quadrant_"] == {"keep_up", "concentrate", "low_priority", "overkill"}
    assert built["pls_unavailable_"] == {"too_few_rows", "constant_item", "degenerate", "collinear"}
    assert built["drivers_unavailable_"] >= {"too_few_rows", "constant", "singular", "no_association"}
    assert built["pls_scheme_"] == {"path", "centroid", "factorial"}


def test_key_reading_finds_literal_built_and_computed_keys():
    source = 'x = t["a"] + t("b", n=1) + page.t["c" if y else "d"] + t[f"status_{s}"] + t[obj.direction]'
    assert catalogue_uses(source) == ({"a", "b", "c", "d"}, {"status_"}, {"obj.direction"})


def missing_keys(cat: Catalogue) -> list[str]:
    return sorted(used_keys() - cat.keys())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_the_pages_use_is_in_the_catalogue(language):
    assert len(used_keys()) > 200
    assert missing_keys(catalogue(language)) == []


def test_a_missing_key_is_reported():
    """A built key (``quadrant_<suffix>``) and a template's key, each dropped from a copy of the catalogue."""
    zh = catalogue("zh")
    strings = {k: zh[k] for k in zh.keys() if k not in ("quadrant_keep_up", "instrument_heading")}
    assert missing_keys(Catalogue("zh", strings)) == ["instrument_heading", "quadrant_keep_up"]


# ------------------------------------------------------------------------------------ chart stage


def test_the_pages_show_exactly_the_charts_the_chart_stage_drew():
    """Rendering draws nothing: every image of the fixture's pages is a chart of the chart stage, and back."""
    import datetime as dt
    import posixpath
    import re

    from qmdoc.compute.control import ControlResults, clause_matrix
    from qmdoc.compute.manual import compute_manual
    from qmdoc.compute.review import review_pack
    from qmdoc.load import load_project
    from qmdoc.manual_charts import draw_manual_charts
    from qmdoc.pages import BuildInfo, render_manual

    from conftest import FIXTURES

    project = load_project(FIXTURES / "mini")
    results = compute_manual(project)
    t = catalogue("en")
    drawn = draw_manual_charts(project, results, t)
    control = ControlResults({}, clause_matrix(project, "en"), None)
    today = dt.date(2026, 11, 1)
    pack = review_pack(results.surveys, results.objectives, results.complaints, project.documents(), control.matrix,
                       today)
    rendered = render_manual(project, results, t, BuildInfo(today), control, drawn, pack)
    shown = {posixpath.normpath(posixpath.join(posixpath.dirname(p.path), src))
             for p in rendered.pages for src in re.findall(r"!\[[^\]]*\]\(([^)]+\.svg)\)", p.markdown)}
    assert shown == set(rendered.charts) == set(drawn.files())
    assert {"charts/css-index.svg", "charts/objectives-status.svg", "charts/complaints-pareto.svg"} <= shown
    assert all(svg.startswith(b"<?xml") or svg.lstrip().startswith(b"<svg") for svg in rendered.charts.values())
