"""The shape of the package: small modules and functions, and imports that run from the earlier stages of
the pipeline to the later ones, never back (load -> compute -> charts -> render -> site / pdf / build / cli);
the pure stages (compute, charts) take only data from the load stage, never its readers."""

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generators" / "qmdoc"
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 80

# the pipeline's stages in order, each by the top-level modules and packages of qmdoc it holds
STAGES = (
    ("load", {"load", "yamlfile", "models", "project", "validate", "gitrepo"}),
    ("compute", {"compute"}),
    ("charts", {"charts"}),
    ("render", {"pages", "manual_charts", "views", "render", "markdown"}),
    ("output", {"site", "site_tables", "pdf", "pdf_fonts", "build", "cli", "buildcache", "stagecache", "history", "schema", "scaffold",
                "serve"}),
)
# shared by every stage (errors, message catalogues, the ISO 9001 clause list, metric names): they import no stage
SHARED = {"", "errors", "i18n", "clauses", "metric"}
# the load stage's data modules; the rest of it reads files (the loader, CSV and export readers, YAML)
LOAD_DATA = {"models", "project"}
# the pure stages take data from the load stage, never its readers
PURE = {"compute", "charts"}
# known exceptions, with the names they take (none: compute takes Project from its own module)
ALLOWED_FROM_READERS: dict[tuple[str, str], set[str]] = {}

def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name_of(path: Path) -> str:
    """``compute/survey.py`` -> ``compute.survey``; a package's ``__init__.py`` -> the package's name."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def size_problems(path: Path) -> list[str]:
    """What in ``path`` breaks the size rule: the module's length, and every function longer than the
    limit whose first line (its first decorator, else its ``def``) does not follow a ``# long:`` comment."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    problems = [f"{len(lines)} lines"] if len(lines) > MAX_MODULE_LINES else []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        length = node.end_lineno - node.lineno + 1
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        reasoned = first >= 2 and lines[first - 2].strip().startswith("# long:")
        if length > MAX_FUNCTION_LINES and not reasoned:
            problems.append(f"{node.name}() {length} lines")
    return problems


def imports(source: str, module: str, package: bool = False) -> list[tuple[str, set[str], int]]:
    """Every import of a qmdoc module in ``source`` (the text of qmdoc's ``module``, a package's
    ``__init__`` when ``package``), also inside functions: (the module imported, the names taken from
    it, line). ``from . import charts`` imports the module ``charts``."""
    parts = module.split(".") if module else []
    base_package = parts if package else parts[:-1]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(a.name.removeprefix("qmdoc").lstrip("."), set(), node.lineno) for a in node.names
                    if a.name == "qmdoc" or a.name.startswith("qmdoc.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = base_package[:len(base_package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module == "qmdoc" or (node.module or "").startswith("qmdoc."):
                target = node.module.removeprefix("qmdoc").lstrip(".")
            else:
                continue
            names = {a.name for a in node.names}
            if node.module is None:  # from . import a, b: the modules a and b
                out += [(".".join(filter(None, [target, name])), set(), node.lineno) for name in sorted(names)]
            else:
                out.append((target, names, node.lineno))
    return sorted(out, key=lambda found: (found[2], found[0]))


def imports_of(path: Path) -> list[tuple[str, set[str], int]]:
    return imports(path.read_text(encoding="utf-8"), name_of(path), path.name == "__init__.py")


def stage_of(module: str) -> int | None:
    """The position of ``module``'s stage, ``None`` for a shared module."""
    top = module.split(".")[0]
    if top in SHARED:
        return None
    for position, (_, members) in enumerate(STAGES):
        if top in members:
            return position
    raise AssertionError(f"qmdoc.{module}: in no stage of the pipeline and not shared; add it to STAGES or SHARED")


def test_no_module_over_450_lines_and_no_function_over_80_without_a_reason():
    problems = {str(p.relative_to(PACKAGE)): size_problems(p) for p in modules()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_size_rule_counts_lines_and_honours_a_long_reason(tmp_path):
    body = "".join(f"    x{k} = {k}\n" for k in range(79))
    path = tmp_path / "sample.py"
    path.write_text(f"def fits():\n{body}\n\ndef too_long():\n{body}    x = 0\n\n\n"
                    f"# long: one table of cases, easier to read in one piece\n@staticmethod\ndef reasoned():\n{body}"
                    f"    x = 0\n", encoding="utf-8")
    assert size_problems(path) == ["too_long() 81 lines"]
    path.write_text("x = 1\n" * 451, encoding="utf-8")
    assert size_problems(path) == ["451 lines"]


def test_imports_run_from_earlier_stages_to_later_ones():
    """No module imports one of a later stage; the shared modules import no stage at all."""
    backward = []
    for path in modules():
        here = stage_of(name_of(path))
        for target, _, line in imports_of(path):
            there = stage_of(target)
            if there is None:
                continue
            if here is None:
                backward.append(f"{path.relative_to(PACKAGE)}:{line}: a shared module imports qmdoc.{target}")
            elif there > here:
                backward.append(f"{path.relative_to(PACKAGE)}:{line}: {STAGES[here][0]} imports qmdoc.{target} "
                                f"({STAGES[there][0]})")
    assert backward == []


def test_compute_and_charts_take_only_data_from_the_load_stage():
    found, used = [], set()
    for path in modules():
        importer = name_of(path)
        if importer.split(".")[0] not in PURE:
            continue
        for target, names, line in imports_of(path):
            top = target.split(".")[0]
            if stage_of(target) != 0 or top in LOAD_DATA:
                continue
            allowed = ALLOWED_FROM_READERS.get((importer, top))
            if allowed is not None and names and names <= allowed:
                used.add((importer, top))
                continue
            found.append(f"{path.relative_to(PACKAGE)}:{line}: imports {sorted(names)} from qmdoc.{target}")
    assert found == []
    assert used == set(ALLOWED_FROM_READERS)  # an exception no longer needed comes off the list


def test_imports_are_found_inside_functions_and_resolved_relative_to_the_module():
    source = ("from ..load import Project\n\n\ndef later():\n    from . import survey, stats\n"
              "    from .pls import fit\n    import qmdoc.site\n    from qmdoc.charts import trend\n    import numpy\n")
    assert imports(source, "compute.manual") == [
        ("load", {"Project"}, 1), ("compute.stats", set(), 5), ("compute.survey", set(), 5),
        ("compute.pls", {"fit"}, 6), ("site", set(), 7), ("charts", {"trend"}, 8)]
    # in a package's __init__, "." is the package itself
    assert imports("from .style import to_svg\nfrom .. import errors\n", "charts", package=True) == [
        ("charts.style", {"to_svg"}, 1), ("errors", set(), 2)]
    assert "project" in [target for target, _, _ in imports_of(PACKAGE / "compute" / "manual.py")]  # a real module


def test_the_readme_architecture_map_names_modules_that_exist():
    """Every module the README's architecture section names exists, and every room of the survey package is named."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture: where each figure is made", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`((?:[a-z_]+/)*[a-z_]+\.py)`", section))
    assert named, "the architecture section names no module"
    missing = sorted(n for n in named if not (PACKAGE / n).is_file())
    assert missing == []
    rooms = {f"compute/survey/{p.name}" for p in (PACKAGE / "compute" / "survey").glob("*.py") if p.name != "__init__.py"}
    assert sorted(rooms - named) == []
