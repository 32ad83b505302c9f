"""Record-linkage quality through the real import path, on the FEBRL sets.

    python bench/linkage.py [--corpus /work/shared/corpora/febrl] [--sets dataset1,dataset2,dataset4]

For each set: a fresh SQLite database, the set's vCards imported as ``rekindle import FILE``
does (``dataset4`` is ``dataset4a.vcf`` then ``dataset4b.vcf``, one import after the other),
then the people as ``export json`` writes them and the pairs ``merge --review --json`` lists.
Truth: ``rec-N-org`` and ``rec-N-dup-K`` with the same N are one person. Prints pairwise
precision, recall and F1 for the automatic merges alone and for merges plus suggestions,
whole-process seconds, and a reference pipeline run on the same cards in the same process:
a plain record-linkage comparison (blocking on four keys, Jaro-Winkler per field, a fixed
sum threshold) of the kind the ``recordlinkage`` package documents, written here so the
figures sit side by side without another dependency.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from rapidfuzz.distance import JaroWinkler  # noqa: E402

from rekindle.services import exporting, merging  # noqa: E402
from rekindle.services.importing import import_path  # noqa: E402
from rekindle.sources import ImportOptions  # noqa: E402
from rekindle.sources.vcard import parse_vcards as parse_vcard  # noqa: E402
from rekindle.store import open_store  # noqa: E402

SETS = {
    "dataset1": ["dataset1.vcf"],
    "dataset2": ["dataset2.vcf"],
    "dataset4": ["dataset4a.vcf", "dataset4b.vcf"],
}
_REC = re.compile(r"^rec-(\d+)-(?:org|dup-\d+)$")
Pair = tuple[str, str]


def _truth_of(uid: str) -> str:
    m = _REC.match(uid)
    return m.group(1) if m else uid


def _pairs(groups: Iterable[list[str]]) -> set[Pair]:
    out: set[Pair] = set()
    for g in groups:
        for a, b in combinations(sorted(g), 2):
            out.add((a, b))
    return out


def scores(predicted: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run_rekindle(files: list[Path]) -> tuple[set[Pair], set[Pair], list[str], float]:
    """(pairs merged automatically, pairs suggested, every uid, seconds)."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "bench.db"))
        try:
            for f in files:
                import_path(store, f)
            out = io.StringIO()
            exporting.export(store, "json", out)
            people = json.loads(out.getvalue())["people"]
            suggestions = merging.review(store)
        finally:
            store.close()
    seconds = time.perf_counter() - start
    uids_of: dict[int, list[str]] = {}
    for person in people:
        uids = [r["data"].get("source_id") for r in person["records"]]
        uids_of[person["id"]] = [u for u in uids if u]
    merged = _pairs(uids_of.values())
    suggested: set[Pair] = set()
    for s in suggestions:
        for a in uids_of.get(s.a["id"], []):
            for b in uids_of.get(s.b["id"], []):
                suggested.add((min(a, b), max(a, b)))
    everyone = [u for us in uids_of.values() for u in us]
    return merged, suggested, everyone, seconds


# -- the reference pipeline ----------------------------------------------------------------


def _cards(files: list[Path]) -> list[dict[str, str]]:
    out = []
    for f in files:
        for item in parse_vcard(f, ImportOptions()):
            uid = getattr(item, "source_id", None)
            if not uid:
                continue
            adr = item.addresses[0] if item.addresses else None
            out.append(
                {
                    "uid": uid,
                    "given": (item.given_name or "").lower(),
                    "family": (item.family_name or "").lower(),
                    "dob": item.birthday.iso() if item.birthday else "",
                    "street": (adr.street or "").lower() if adr else "",
                    "city": (adr.city or "").lower() if adr else "",
                    "postcode": (adr.postcode or "") if adr else "",
                }
            )
    return out


def run_reference(files: list[Path], threshold: float = 3.6) -> tuple[set[Pair], float]:
    """Block on (postcode), (family), (dob), (given+city); compare six fields by
    Jaro-Winkler (1 at ≥ 0.85), sum, link at ``threshold``; pairs of linked components."""
    start = time.perf_counter()
    cards = _cards(files)
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cards):
        for key in ("postcode", "family", "dob"):
            if c[key]:
                blocks[(key, c[key])].append(i)
        if c["given"] and c["city"]:
            blocks[("gc", c["given"] + "|" + c["city"])].append(i)
    parent = list(range(len(cards)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > 200:
            continue
        for i, j in combinations(members, 2):
            if (i, j) in seen:
                continue
            seen.add((i, j))
            a, b = cards[i], cards[j]
            total = 0.0
            for key in ("given", "family", "street", "city", "postcode", "dob"):
                if a[key] and b[key]:
                    total += 1.0 if JaroWinkler.similarity(a[key], b[key]) >= 0.85 else 0.0
            if total >= threshold:
                parent[find(i)] = find(j)
    groups: dict[int, list[str]] = defaultdict(list)
    for i, c in enumerate(cards):
        groups[find(i)].append(c["uid"])
    return _pairs(groups.values()), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/work/shared/corpora/febrl")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    rows = []
    for name in args.sets.split(","):
        files = [corpus / f for f in SETS[name]]
        merged, suggested, uids, seconds = run_rekindle(files)
        by_truth: dict[str, list[str]] = defaultdict(list)
        for u in uids:
            by_truth[_truth_of(u)].append(u)
        truth = _pairs(by_truth.values())
        ref, ref_seconds = run_reference(files)
        rows.append(
            {
                "set": name,
                "records": len(uids),
                "true_pairs": len(truth),
                "auto": scores(merged, truth),
                "auto+suggested": scores(merged | suggested, truth),
                "suggestions": len(suggested),
                "seconds": round(seconds, 1),
                "reference": scores(ref, truth),
                "reference_seconds": round(ref_seconds, 1),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print("| set | records | true pairs | auto P / R / F1 | auto+suggested P / R / F1 "
          "| suggestions | s | reference P / R / F1 | ref s |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        fmt = " / ".join(f"{x:.3f}" for x in r["auto"])
        fmt2 = " / ".join(f"{x:.3f}" for x in r["auto+suggested"])
        fmt3 = " / ".join(f"{x:.3f}" for x in r["reference"])
        print(
            f"| {r['set']} | {r['records']} | {r['true_pairs']} | {fmt} | {fmt2} "
            f"| {r['suggestions']} | {r['seconds']} | {fmt3} | {r['reference_seconds']} |"
        )
    worst = Counter({r["set"]: r["auto+suggested"][2] for r in rows})
    print(f"lowest F1 (auto+suggested): {min(worst.values()):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
