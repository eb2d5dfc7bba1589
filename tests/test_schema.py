"""Editor schemas and the key reference: generated from the models, complete, and true to the examples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from qmdoc.cli import main
from qmdoc.schema import KINDS, json_schema, key_rows, reference_markdown, vscode_settings
from qmdoc.yamlfile import load_yaml

from conftest import FIXTURES, ROOT

PROJECTS = [ROOT, ROOT / "examples" / "zh", FIXTURES / "mini"]


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_every_key_has_a_description_and_an_example(kind) -> None:
    rows = key_rows(kind)
    assert len(rows) >= 3
    undocumented = [r.path for r in rows if not r.description or not r.example]
    assert undocumented == []


def test_the_reference_is_generated_from_the_models() -> None:
    written = (ROOT / "REFERENCE.md").read_text(encoding="utf-8")
    assert written == reference_markdown() + "\n", "run: qmdoc schema --reference REFERENCE.md"


def _as_json(value: object) -> object:
    """YAML data as an editor's language server sees it: dates are text."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _files(project: Path) -> list[tuple[object, Path]]:
    return [(kind, path) for kind in KINDS for path in sorted(project.glob(kind.pattern))]


@pytest.mark.parametrize("project", PROJECTS, ids=["example", "example-zh", "fixture"])
def test_every_example_file_validates_against_its_schema(project: Path) -> None:
    files = _files(project)
    assert len(files) >= 5
    for kind, path in files:
        validator = jsonschema.Draft202012Validator(json_schema(kind), format_checker=jsonschema.FormatChecker())
        errors = [f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(_as_json(load_yaml(path, project).data))]
        assert errors == []


def test_the_schema_refuses_what_check_refuses() -> None:
    survey = next(k for k in KINDS if k.name == "survey")
    validator = jsonschema.Draft202012Validator(json_schema(survey))
    data = _as_json(load_yaml(FIXTURES / "mini" / "policy/surveys/css.yml", FIXTURES / "mini").data)
    assert list(validator.iter_errors(data)) == []
    messages = sorted(e.message for e in validator.iter_errors({**data, "scael": {"min": 1}, "min_cell_n": 0}))
    assert messages == ["0 is less than the minimum of 1",
                        "Additional properties are not allowed ('scael' was unexpected)"]


def test_schema_command_writes_one_valid_schema_per_file_kind(tmp_path: Path, capsys) -> None:
    assert main(["--root", str(tmp_path), "schema"]) == 0
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted(f"{k.name}.schema.json" for k in KINDS)
    for name in written:
        schema = json.loads((tmp_path / "schemas" / name).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
    assert capsys.readouterr().out.splitlines()[0] == f"schema: {tmp_path / 'schemas' / 'organization.schema.json'}"


def test_vscode_settings_map_each_schema_to_its_files() -> None:
    assert vscode_settings("schemas") == {"yaml.schemas": {
        "./schemas/organization.schema.json": "policy/organization.yml",
        "./schemas/quality-policy.schema.json": "policy/quality-policy.yml",
        "./schemas/objectives.schema.json": "policy/objectives.yml",
        "./schemas/procedure.schema.json": "policy/procedures/*.yml",
        "./schemas/survey.schema.json": "policy/surveys/*.yml",
    }}


def test_pre_commit_hook_runs_check() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [(h["id"], h["entry"], h["pass_filenames"]) for h in hooks] == [("qmdoc-check", "qmdoc check", False)]
