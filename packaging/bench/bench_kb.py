"""kb index: indexing, incremental re-add and search latency, beside SQLite FTS5's own bm25.

Builds a synthetic Markdown tree (N files, a few headed sections each, a shared
vocabulary with Zipf-like word frequencies plus rare part numbers), then measures:

  1. first `KbIndex.add` of the tree (files/s, passages/s);
  2. re-add with nothing changed (only stat calls) and with 1% of files changed;
  3. search latency (median, p95) of slm's pure-Python BM25 over random 2-4 word
     queries, and the same queries through an SQLite FTS5 table with bm25() on the
     same passages, as a reference point (ratio printed);
  4. how often both rank the same passage first (a sanity check, not a target).

    python packaging/bench/bench_kb.py [--files 1000] [--queries 200]

Targets: search median <= 25 ms and p95 <= 60 ms at ~5k passages; unchanged
re-add <= 0.5 s per 1000 files. On a shared machine expect noise.
"""
from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from slm.plugins.kb.index import KbIndex

TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_READD_S_PER_1000 = 25.0, 60.0, 0.5


def build_tree(root: Path, files: int, rng: random.Random) -> list[str]:
    vocab = [f"w{i}" for i in range(3000)] + ["pump", "warranty", "valve", "invoice", "seal", "pressure",
                                               "install", "reset", "battery", "firmware", "contract"]
    weights = [1 / (i + 1) for i in range(len(vocab))]
    for n in range(files):
        sections = []
        for s in range(rng.randint(3, 6)):
            words = rng.choices(vocab, weights, k=rng.randint(40, 120))
            words.insert(rng.randrange(len(words)), f"px{n}x{s}")  # a rare, unique term
            sections.append(f"## Section {s}\n\n" + " ".join(words) + ".\n")
        path = root / f"d{n // 100}" / f"doc{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# Document {n}\n\n" + "\n".join(sections), encoding="utf-8")
    return vocab


def fts_reference(index: KbIndex) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(body, pid UNINDEXED)")
    src = sqlite3.connect(index.path)
    rows = src.execute("SELECT heading || ' ' || text, id FROM passages").fetchall()
    src.close()
    conn.executemany("INSERT INTO f (body, pid) VALUES (?, ?)", rows)
    return conn


def ms(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "docs"
        vocab = build_tree(root, args.files, rng)
        index = KbIndex(Path(tmp) / "kb")

        started = time.perf_counter()
        report = index.add([root])
        first = time.perf_counter() - started
        print(f"first add: {len(report.added)} files, {report.passages} passages in {first:.2f} s "
              f"({len(report.added) / first:.0f} files/s, {report.passages / first:.0f} passages/s)")

        started = time.perf_counter()
        again = index.add([root])
        readd = time.perf_counter() - started
        per_1000 = readd / args.files * 1000
        print(f"re-add, nothing changed: {len(again.unchanged)} unchanged in {readd:.3f} s "
              f"({per_1000:.3f} s per 1000 files; target <= {TARGET_READD_S_PER_1000})")

        changed = rng.sample(sorted(root.rglob("*.md")), max(1, args.files // 100))
        for path in changed:
            path.write_text(path.read_text(encoding="utf-8") + "\nextra line pump warranty\n", encoding="utf-8")
        started = time.perf_counter()
        partial = index.add([root])
        print(f"re-add, {len(changed)} changed: {len(partial.updated)} updated in {time.perf_counter() - started:.3f} s")

        queries = [" ".join(rng.choices(vocab[:400] + vocab[-11:], k=rng.randint(2, 4))) for _ in range(args.queries)]
        queries += [f"px{rng.randrange(args.files)}x0 pump" for _ in range(args.queries // 4)]
        fts = fts_reference(index)
        passages = sqlite3.connect(index.path)  # to find the id of our top passage (a Hit carries none)
        ours, theirs, same_top = [], [], 0
        for query in queries:
            started = time.perf_counter()
            hits = index.search(query, k=5)
            ours.append(time.perf_counter() - started)
            match = " OR ".join(f'"{t}"' for t in query.split())
            started = time.perf_counter()
            ref = fts.execute("SELECT pid FROM f WHERE f MATCH ? ORDER BY bm25(f) LIMIT 5", (match,)).fetchall()
            theirs.append(time.perf_counter() - started)
            if hits and ref:
                top = passages.execute("SELECT id FROM passages WHERE text = ? LIMIT 1", (hits[0].text,)).fetchone()
                same_top += int(top is not None and top[0] == ref[0][0])
        passages.close()
        (om, op), (tm, tp) = ms(ours), ms(theirs)
        print(f"search, {len(queries)} queries over {report.passages} passages:")
        print(f"  slm BM25 (pure Python): median {om:.2f} ms, p95 {op:.2f} ms "
              f"(targets <= {TARGET_MEDIAN_MS} / {TARGET_P95_MS})")
        print(f"  SQLite FTS5 bm25():     median {tm:.2f} ms, p95 {tp:.2f} ms")
        print(f"  ratio slm/FTS5: median {om / tm:.1f}x, p95 {op / tp:.1f}x")
        print(f"  same top passage as FTS5: {same_top}/{len(queries)}")


if __name__ == "__main__":
    main()
