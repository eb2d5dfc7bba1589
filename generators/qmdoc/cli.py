"""The ``qmdoc`` command: check, build, release, serve, figures, init."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import QmdocError


def _check(args: argparse.Namespace) -> int:
    from .compute.control import clause_matrix
    from .load import load_project

    project = load_project(Path(args.root))
    if args.strict:
        gaps = [r for r in clause_matrix(project, project.organization.language) if r.gap]
        if gaps:
            for r in gaps:
                print(f"clause {r.clause} ({r.title}): expected a document that addresses it, got none",
                      file=sys.stderr)
            return 1
    n_docs = len(project.documents())
    n_rows = sum(len(s.responses) for s in project.surveys)
    print(f"ok: {n_docs} documents, {len(project.surveys)} surveys ({n_rows} responses), "
          f"{len(project.complaints)} complaints")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import PDF_NAME, build

    out = Path(args.out) if args.out else None
    manual = build(Path(args.root), out, with_site=not args.pdf_only, with_pdf=not args.site_only,
                   release=args.release, since=args.since)
    where = out or Path(args.root) / "site"
    if not args.pdf_only:
        print(f"site: {where}/index.html")
    if not args.site_only:
        print(f"pdf:  {where}/{PDF_NAME}")
    print(f"{len(manual.rendered.pages)} pages, {len(manual.rendered.charts)} charts")
    return 0


def _release(args: argparse.Namespace) -> int:
    from .build import release

    manual = release(Path(args.root), args.version, alias=args.alias, branch=args.branch, since=args.since)
    print(f"release {args.version}: deployed to branch {args.branch} as {args.version} (alias {args.alias}); "
          f"{len(manual.rendered.pages)} pages")
    print(f"publish with: git push origin {args.branch}")
    return 0


def _inputs_stamp(root: Path) -> tuple:
    files = []
    for folder in ("policy", "data", "docs"):
        base = root / folder
        if base.is_dir():
            files += [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(base.rglob("*")) if p.is_file()]
    return tuple(files)


def _serve(args: argparse.Namespace) -> int:
    from . import site
    from .build import prepare, write_generated

    root = Path(args.root).resolve()
    config = write_generated(root, prepare(root))
    server = site.serve(config, args.address)
    stamp = _inputs_stamp(root)
    print(f"watching policy/, data/ and docs/; preview at http://{args.address}/", flush=True)
    try:
        while server.poll() is None:
            time.sleep(1.0)
            now = _inputs_stamp(root)
            if now == stamp:
                continue
            stamp = now
            try:
                write_generated(root, prepare(root))
                print("regenerated", flush=True)
            except QmdocError as exc:
                print(exc, file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        server.terminate()
    return 0


def _figures(args: argparse.Namespace) -> int:
    import gc

    # A short-lived process over possibly a million responses: the cyclic garbage collector would
    # only re-scan the imported modules' objects (measured: about 0.15 s of 2.2 s); nothing here forms
    # reference cycles worth collecting before the process ends.
    gc.disable()
    from .compute.survey import compute_survey_figures, figures_as_json
    from .load import load_survey_standalone

    # the files' checksums are for the manual's provenance page, not for the figures
    data = load_survey_standalone(Path(args.survey), [Path(p) for p in args.data], Path.cwd(), checksums=False)
    doc = figures_as_json(compute_survey_figures(data.survey, data.responses))
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    else:
        for wave in doc["waves"]:
            idx = wave["index"]["value"]
            print(f"{wave['wave']}: n={wave['n']} index={idx:.1f}" if idx is not None else f"{wave['wave']}: n={wave['n']}")
    return 0


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init_project

    written = init_project(Path(args.dir), args.language, args.name, example=args.example)
    if args.example:
        print(f"{args.dir}: {len(written)} files of the example written; build it with: qmdoc --root {args.dir} build")
    else:
        print(f"{args.dir}: {len(written)} files written; read {Path(args.dir) / 'README.md'} first, then "
              f"run: qmdoc --root {args.dir} check")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qmdoc", description="The customer-focus quality manual, kept as code.")
    parser.add_argument("--root", default=".", help="the project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate policy/ and data/ and report every problem")
    p.add_argument("--strict", action="store_true", help="also fail on customer-focus clauses no document addresses")
    p.set_defaults(func=_check)

    p = sub.add_parser("build", help="build the site and the PDF manual")
    p.add_argument("--out", help="output folder (default: site/)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--site-only", action="store_true", help="build the site without the PDF")
    g.add_argument("--pdf-only", action="store_true", help="build only the PDF")
    p.add_argument("--release", metavar="VERSION", help="a release build: refuse unless every document is releasable")
    p.add_argument("--since", metavar="REF", help="compare with this git ref (default: the previous release tag)")
    p.set_defaults(func=_build)

    p = sub.add_parser("release", help="release build, deployed with mike to the gh-pages branch (no push)")
    p.add_argument("version", help="the release version, e.g. 2026.2")
    p.add_argument("--alias", default="latest", help="alias updated to this version (default: latest)")
    p.add_argument("--branch", default="gh-pages", help="the branch mike deploys to (default: gh-pages)")
    p.add_argument("--since", metavar="REF", help="compare with this git ref (default: the previous release tag)")
    p.set_defaults(func=_release)

    p = sub.add_parser("serve", help="preview the site, regenerating when policy/, data/ or docs/ change")
    p.add_argument("--address", default="127.0.0.1:8000")
    p.set_defaults(func=_serve)

    p = sub.add_parser("figures", help="print every satisfaction figure of a survey")
    p.add_argument("survey", help="the survey instrument (policy/surveys/ID.yml)")
    p.add_argument("data", nargs="*", help="response CSV files (default: data/surveys/ID/*.csv)")
    p.add_argument("--json", action="store_true", help="print JSON (documented in the README)")
    p.set_defaults(func=_figures)

    p = sub.add_parser("init", help="start a new project (draft documents, data folders, site and CI setup)")
    p.add_argument("dir", help="the new project's folder: a new or empty one")
    p.add_argument("--language", choices=("en", "zh"), default="en", help="language of the texts (default: en)")
    p.add_argument("--name", help='the organization\'s name (default: "Example Organization" / "示例公司")')
    p.add_argument("--example", action="store_true", help="copy the complete example organization instead")
    p.set_defaults(func=_init)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except QmdocError as exc:
        print(exc, file=sys.stderr)
        return 1
    except BrokenPipeError:  # output cut short by the reader (e.g. `| head`): not an error of ours
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
