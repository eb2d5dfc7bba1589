"""Speed benchmark: `qmdoc figures` on a million survey responses vs. a polars baseline.

Generates (once, seeded) a survey of 1,000,000 responses — 20 items (19 on
1..5 in five dimensions, one 0..10 recommend item), 8 waves, 3 segment
columns — then measures in one run:

* the baseline: polars' lazy ``scan_csv`` and one group-by mean per wave,
  the least any tool must do with that file;
* ``qmdoc figures SURVEY.yml DATA.csv --json`` (output to /dev/null).

Both run as separate processes; wall time and peak resident memory of each
are measured with ``os.wait4``. Targets: ratio <= 3, peak memory <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROWS = 1_000_000
WAVES = [f"{y}-Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
DIMENSIONS = {"quality": 4, "delivery": 4, "support": 4, "communication": 4, "commercial": 3}
SEGMENTS = {"region": ["DACH", "Nordics", "UK", "North America", "Asia Pacific", "Islands"],
            "customer_type": ["OEM", "Distributor", "Aftermarket"],
            "size": ["small", "medium", "large", "key account"]}

SURVEY = """id: bench
title: Benchmark survey
scale: {min: 1, max: 5}
not_applicable: [0]
respondent: respondent_id
wave: wave
segments: [region, customer_type, size]
min_cell_n: 30
population: {size: 2000000}
recommend: q_nps
importance: stated
dimensions:
%s
items:
  - {id: q_nps, text: Recommend, scale: {min: 0, max: 10}}
"""


def item_ids() -> dict[str, list[str]]:
    out, k = {}, 1
    for dim, count in DIMENSIONS.items():
        out[dim] = [f"q{k + i}" for i in range(count)]
        k += count
    return out


def generate(rows: int, path: Path) -> None:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(20261125)
    frame = {"respondent_id": np.char.add("R", np.arange(rows).astype(str)),
             "wave": np.array(WAVES)[np.sort(rng.integers(0, len(WAVES), rows))]}
    weights = {"region": [0.3, 0.2, 0.2, 0.2, 0.0999, 0.0001]}
    for col, levels in SEGMENTS.items():
        frame[col] = rng.choice(levels, rows, p=weights.get(col))
    latent = rng.normal(0, 0.8, rows)
    for dim, ids in item_ids().items():
        d = latent + rng.normal(0, 0.5, rows)
        for q in ids:
            v = np.clip(np.rint(3.6 + d + rng.normal(0, 0.6, rows)), 1, 5)
            v[rng.random(rows) < 0.03] = np.nan
            v[rng.random(rows) < 0.02] = 0
            frame[q] = pd.array(v, dtype="Int64")
    frame["q_nps"] = pd.array(np.clip(np.rint(7 + 2 * latent + rng.normal(0, 1.2, rows)), 0, 10), dtype="Int64")
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(frame).to_csv(path, index=False, lineterminator="\n")


def survey_yaml() -> str:
    dims = []
    for dim, ids in item_ids().items():
        items = "\n".join(f"      - {{id: {q}, text: Item {q}}}" for q in ids)
        dims.append(f"  - id: {dim}\n    title: {dim.title()}\n    weight: 1\n    items:\n{items}")
    return SURVEY % "\n".join(dims)


def run(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit status of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


BASELINE = """
import sys, polars as pl
items = sys.argv[2].split(",")
out = pl.scan_csv(sys.argv[1]).group_by("wave").agg([pl.col(c).mean() for c in items]).collect()
print(out.height)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.rows, args.generate)
        return 0
    data = OUT / f"responses-{args.rows}.csv"
    instrument = OUT / "bench.yml"
    if not data.is_file():
        # in a child process, so that this process stays small: a child's peak
        # memory counts what it inherited at fork time
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate", str(data)], check=True)
        print(f"generated {data.name} ({data.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    instrument.write_text(survey_yaml(), encoding="utf-8")
    items = [q for ids in item_ids().values() for q in ids] + ["q_nps"]

    base_t, base_mem, rc = run([sys.executable, "-c", BASELINE, str(data), ",".join(items)])
    if rc:
        print("baseline failed", file=sys.stderr)
        return 1
    qmdoc = str(Path(sys.executable).with_name("qmdoc"))
    ours_t, ours_mem, rc = run([qmdoc, "figures", str(instrument), str(data), "--json"])
    if rc:
        print("qmdoc figures failed", file=sys.stderr)
        return 1
    print(f"rows:                 {args.rows:,}")
    print(f"baseline (polars):    {base_t:6.2f} s   peak {base_mem:7.0f} MB")
    print(f"qmdoc figures --json: {ours_t:6.2f} s   peak {ours_mem:7.0f} MB")
    print(f"ratio:                {ours_t / base_t:6.2f}   (target <= 3)")
    print(f"peak memory target:   {'met' if ours_mem <= 1536 else 'NOT met'} (<= 1536 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
