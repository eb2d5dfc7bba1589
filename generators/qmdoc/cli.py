"""The ``qmdoc`` command: check, build, serve, figures."""

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
    import atexit
    import gc
    import threading
    from concurrent.futures import Future

    def read_ahead(instrument: Path, paths: list[Path]) -> dict:
        """Start reading the data files ``paths`` of ``instrument`` in a thread, as
        ``load_survey_standalone(prefetched=...)`` takes them.

        polars reads without the interpreter lock, so the file is read while pandas,
        pydantic and scipy are imported. The instrument is only skimmed here (plain
        YAML) to name the columns the loader will ask for; the loader checks
        everything itself and uses a read only when it makes exactly the same call:
        a wrong guess costs time, never a result.
        """
        import polars as pl
        import yaml

        try:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            spec = yaml.load(instrument.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader

            def ids(entries: list | None) -> list[str]:
                return [str(e["id"]).strip() for e in entries or []]

            items = [i for d in spec["dimensions"] for i in ids(d["items"])] + ids(spec.get("items"))
            text = [spec["respondent"], spec.get("wave"), *(spec.get("segments") or [])]
            text += [(spec.get("internal") or {}).get(key) for key in ("supplier", "customer")]
            text.append((spec.get("competitors") or {}).get("column"))
            columns = list(dict.fromkeys([str(c).strip() for c in text if c is not None] + items))
            reads = {}
            for path in paths:
                names = {n.lstrip("\ufeff"): n for n in pl.read_csv(path, n_rows=0, infer_schema=False).columns}
                reads[(path, tuple(names[c] for c in columns), tuple(names[c] for c in items), "Int16")] = Future()
        except Exception:  # noqa: BLE001 - no guess: the loader reads (and reports) as usual
            return {}

        def run() -> None:
            for (path, wanted, typed, dtype), future in reads.items():
                try:
                    future.set_result(pl.read_csv(path, columns=list(wanted), infer_schema=False,
                                                  schema_overrides={c: getattr(pl, dtype) for c in typed}))
                except BaseException as exc:  # noqa: BLE001 - handed to the loader, which reports it
                    future.set_exception(exc)

        threading.Thread(target=run, name="qmdoc-read-ahead", daemon=True).start()
        return reads

    # One pass over possibly a million responses, in a short-lived process: the cyclic garbage
    # collector would only re-scan the objects of the imports (pandas, polars, scipy) while they
    # load, and Python's collections at exit take 0.1 s. Off for the command, frozen at exit.
    collecting = gc.isenabled()
    gc.disable()
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    set_hugepage = hugepage = None
    try:
        instrument, paths = Path(args.survey), [Path(p) for p in args.data]
        prefetched = read_ahead(instrument, paths)
        # Nor transparent huge pages for numpy's large arrays (the 160 MB answer matrix, each wave's
        # 40 MB design): on the 2-core test machine (a VM) a fresh huge page sometimes costs far more
        # than the small-page faults it saves (12 runs each: median 1.77 s with, 1.68 s without).
        import numpy as np

        set_hugepage = getattr(getattr(getattr(np, "_core", None), "multiarray", None), "_set_madvise_hugepage", None)
        hugepage = set_hugepage(False) if set_hugepage else None
        from .compute.survey import compute_survey_figures, figures_as_json
        from .load import load_survey_standalone

        # the files' checksums are for the manual's provenance page, not for the figures
        data = load_survey_standalone(instrument, paths, Path.cwd(), checksums=False, prefetched=prefetched)
        doc = figures_as_json(compute_survey_figures(data.survey, data.responses))
    finally:
        if collecting:
            gc.enable()
        if set_hugepage:
            set_hugepage(hugepage)
    if args.json:
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    else:
        for wave in doc["waves"]:
            idx = wave["index"]["value"]
            print(f"{wave['wave']}: n={wave['n']} index={idx:.1f}" if idx is not None else f"{wave['wave']}: n={wave['n']}")
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
