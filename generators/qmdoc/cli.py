"""The ``qmdoc`` command: check, build, release, serve, figures, init."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import QmdocError


def _check(args: argparse.Namespace) -> int:
    from .compute.control import clause_matrix
    from .load import load_project

    project = load_project(Path(args.root))
    for sd in project.surveys:  # the weights a build computes: raking that cannot converge fails here as there
        if sd.survey.weighting is not None:
            from .compute.survey import survey_weighting

            survey_weighting(sd.survey, sd.responses)
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

    from .buildcache import PDF_NAME, check_up_to_date

    out = Path(args.out) if args.out else None
    options = {"with_site": not args.pdf_only, "with_pdf": not args.site_only, "release": args.release,
               "since": args.since, "engine": args.engine}
    summary = check_up_to_date(Path(args.root), out, **options)  # without loading the build stages
    if summary is None:
        from .build import build

        summary = build(Path(args.root), out, **options)
    where = out or Path(args.root) / "site"
    if not summary.under_version_control:
        print(f"note: {args.root} is not under version control (git): the build date "
              f"{summary.build_date} is {_DATE_ORIGIN[summary.date_origin]}, "
              "and no commit is shown on the cover", file=sys.stderr)
    if summary.reused:
        print("up to date: nothing the manual is made from changed since the last build")
    if not args.pdf_only:
        print(f"site: {where}/index.html")
    if not args.site_only:
        print(f"pdf:  {where}/{PDF_NAME}")
    print(f"{summary.pages} pages, {summary.charts} charts")
    return 0


_DATE_ORIGIN = {"epoch": "SOURCE_DATE_EPOCH", "commit": "the last commit's",
                "files": "the modification date of the newest input file"}


def _release(args: argparse.Namespace) -> int:
    from .build import release

    manual = release(Path(args.root), args.version, alias=args.alias, branch=args.branch, since=args.since)
    print(f"release {args.version}: deployed to branch {args.branch} as {args.version} (alias {args.alias}); "
          f"{len(manual.rendered.pages)} pages")
    print(f"publish with: git push origin {args.branch}")
    return 0


def _address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise QmdocError(f"--address: expected HOST:PORT such as 127.0.0.1:8000, got {text!r}")
    return host, int(port)


def _port_free(host: str, port: int) -> bool:
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
            sock.bind((host, port))
    except OSError:
        return False
    return True


def _serve(args: argparse.Namespace) -> int:
    from . import serve

    host, port = _address(args.address)
    if not _port_free(host, port):
        raise QmdocError(f"serve: {host}:{port} is already in use (another server?); "
                         "choose a free one with --address HOST:PORT")
    return serve.run(Path(args.root).resolve(), host, port, with_pdf=args.pdf)


def _figures(args: argparse.Namespace) -> int:
    import gc

    # A short-lived process over possibly a million responses: the cyclic garbage collector would
    # only re-scan the imported modules' objects (measured: about 0.15 s of 2.2 s); nothing here forms
    # reference cycles worth collecting before the command ends. Switched back on afterwards, for a
    # caller that runs the command inside its own process.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _print_figures(args)
    finally:
        if collecting:
            gc.enable()


def _print_figures(args: argparse.Namespace) -> int:
    # numpy asks the kernel for transparent huge pages for its large arrays; where the kernel defragments
    # on such a request (defrag=madvise), the first touch of the answer matrix and of the waves' buffers
    # stalls in compaction (measured on a million responses: 0.25 to 0.5 s of system time, against
    # 0.07 s in ordinary pages). Set before numpy is imported; the user's own setting wins.
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    from .compute.survey import compute_survey_figures, figures_as_json
    from .load import load_survey_standalone

    # the files' checksums are for the manual's provenance page, not for the figures
    data = load_survey_standalone(Path(args.survey), [Path(p) for p in args.data], Path.cwd(), checksums=False)
    doc = figures_as_json(compute_survey_figures(data.survey, data.responses, excluded=data.excluded))
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    else:
        for wave in doc["waves"]:
            idx = wave["index"]["value"]
            print(f"{wave['wave']}: n={wave['n']} index={idx:.1f}" if idx is not None else f"{wave['wave']}: n={wave['n']}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .schema import reference_markdown, write_schemas

    if args.reference:
        Path(args.reference).write_text(reference_markdown() + "\n", encoding="utf-8")
        print(f"reference: {args.reference}")
        return 0
    out = Path(args.out) if args.out else Path(args.root) / "schemas"
    for path in write_schemas(out):
        print(f"schema: {path}")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qmdoc")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "(not installed)"


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init_project

    written = init_project(Path(args.dir), args.language, args.name, example=args.example, servqual=args.servqual)
    if args.example:
        print(f"{args.dir}: {len(written)} files of the example written; build it with: qmdoc --root {args.dir} build")
    else:
        print(f"{args.dir}: {len(written)} files written; read {Path(args.dir) / 'README.md'} first, then "
              f"run: qmdoc --root {args.dir} check")
    return 0


class _VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (the lookup imports the package
    metadata machinery, a noticeable part of the start-up of a short command)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parser._print_message(f"qmdoc {_version()}\n", sys.stdout)
        parser.exit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qmdoc", description="The customer-focus quality manual, kept as code.")
    parser.add_argument("--version", action=_VersionAction)
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
    p.add_argument("--engine", choices=("mkdocs", "zensical"),
                   help="the site engine (default: site.engine in organization.yml, else mkdocs)")
    p.set_defaults(func=_build)

    p = sub.add_parser("release", help="release build, deployed with mike to the gh-pages branch (no push)")
    p.add_argument("version", help="the release version, e.g. 2026.2")
    p.add_argument("--alias", default="latest", help="alias updated to this version (default: latest)")
    p.add_argument("--branch", default="gh-pages", help="the branch mike deploys to (default: gh-pages)")
    p.add_argument("--since", metavar="REF", help="compare with this git ref (default: the previous release tag)")
    p.set_defaults(func=_release)

    p = sub.add_parser("serve", help="preview the site, regenerating when policy/, data/ or docs/ change")
    p.add_argument("--address", default="127.0.0.1:8000")
    p.add_argument("--pdf", action="store_true",
                   help="also rebuild the PDF in the background after each change, served at /quality-manual.pdf")
    p.set_defaults(func=_serve)

    p = sub.add_parser("figures", help="print every satisfaction figure of a survey")
    p.add_argument("survey", help="the survey instrument (policy/surveys/ID.yml)")
    p.add_argument("data", nargs="*", help="response CSV files (default: data/surveys/ID/*.csv)")
    p.add_argument("--json", action="store_true", help="print JSON (documented in the README)")
    p.set_defaults(func=_figures)

    p = sub.add_parser("schema", help="write the JSON Schemas of the policy files (for editors) or the key reference")
    p.add_argument("--out", help="folder for the schemas (default: schemas/ in the project)")
    p.add_argument("--reference", metavar="FILE", help="write the reference of every key as Markdown instead")
    p.set_defaults(func=_schema)
    p = sub.add_parser("init", help="start a new project (draft documents, data folders, site and CI setup)")
    p.add_argument("dir", help="the new project's folder: a new or empty one")
    p.add_argument("--language", choices=("en", "zh"), default="en", help="language of the texts (default: en)")
    p.add_argument("--name", help='the organization\'s name (default: "Example Organization" / "示例公司")')
    p.add_argument("--example", action="store_true", help="copy the complete example organization instead")
    p.add_argument("--servqual", action="store_true",
                   help="also add a service-quality gap survey: SERVQUAL's five dimensions, expectation and "
                        "perception per question")
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
    except Exception as exc:  # a bug of ours: one line, no traceback, no value from the user's files
        import os
        import traceback

        if os.environ.get("QMDOC_DEBUG"):
            raise
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "qmdoc" in Path(f.filename).parts]
        where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
        print(f"qmdoc: internal error ({type(exc).__name__}{where}): this is a bug in qmdoc, not in your files; "
              "please report it (QMDOC_DEBUG=1 shows the details)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
