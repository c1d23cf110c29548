"""Measure duplicates and keyword stuffing on the demo program, before and after the defences.

    .venv/bin/python scripts/measure_duplicates.py [--smes 300 --mentors 80 --buyers 60]
        [--seed 2026] [--stuffed-base 11] [--bases 12]

Builds the demo program in memory (:func:`measure_exposure.build_program`: the profiles
``seed-demo`` loads, one bundle fitted on them) and ranks every active SME's top 5 mentors,
with the defences off ("before": ``rank(distinct=False)`` and the needs and countries encoders'
``breadth`` set to None, so claims are not capped) and on ("after"), in this process:

* **duplicates** — a copy of the most-shown mentor (another id, name and contact; the same
  claims and texts) is added to the program: the number of top 5s showing both;
* **keyword stuffing** — the ``--stuffed-base``-th demo mentor is copied into a profile
  claiming all 14 needs, English, Spanish and French and every market (the program's three
  countries; ``--all-markets``: every market a demo profile names), its bio listing every
  expertise (the demo's own phrases): its top-5 appearances and its place among the mentors
  (1 = the most shown); then the same for each of the first ``--bases`` mentors, one at a
  time (mean and largest appearances), next to the mean appearances of a mentor;
* **honest profiles** — how many SMEs' top 5s change when the defences are switched on in the
  program as generated (no copy, no stuffed profile).
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from measure_exposure import build_program  # noqa: E402

from matcher import CandidateIndex, ProfileRecord, build_bundle, rank  # noqa: E402
from matcher.bundle import MARKETS_BREADTH, NEEDS_BREADTH  # noqa: E402
from matcher.taxonomy import NEED_CODES, PROGRAM_COUNTRIES  # noqa: E402

K = 5
COPY_ID, STUFFED_ID = 1_000_001, 1_000_002


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smes", type=int, default=300)
    parser.add_argument("--mentors", type=int, default=80)
    parser.add_argument("--buyers", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026, help="demo generator seed")
    parser.add_argument("--stuffed-base", type=int, default=11,
                        help="the demo mentor (1-based) the stuffed profile copies (11)")
    parser.add_argument("--all-markets", action="store_true",
                        help="the stuffed profile claims every market any demo profile names, "
                             "not only the program's three countries")
    parser.add_argument("--bases", type=int, default=12,
                        help="stuff each of the first N mentors in turn (12; 0: skip)")
    return parser.parse_args(argv)


def defended(bundle, on: bool):
    """Return ``bundle`` with claims capped (``on``) or not; its encoders are changed."""
    for name, breadth in (("needs", NEEDS_BREADTH), ("countries", MARKETS_BREADTH)):
        bundle.encoders[name].breadth = breadth if on else None
    return bundle


def top5s(bundle, mentors: list[ProfileRecord], smes: list[ProfileRecord],
          on: bool) -> list[list[int]]:
    """Return every SME's top-5 mentor ids, the defences on or off."""
    index = CandidateIndex.build(defended(bundle, on), "mentor", mentors)
    return [[m.profile_id for m in rank(index, sme, K, distinct=on)] for sme in smes]


def copy_of(mentor: ProfileRecord) -> ProfileRecord:
    """Return a copy of ``mentor`` under another id and name (contacts are not in records)."""
    return replace(mentor, id=COPY_ID, name=f"{mentor.name} (2)")


def stuffed(mentor: ProfileRecord, markets: tuple[str, ...]) -> ProfileRecord:
    """Return ``mentor`` claiming every need, three languages and every market."""
    from webapp.demo import texts
    from webapp.demo.sectors import GROUPS

    group = next((g for g, s in GROUPS.items() if set(mentor.sectors) & set(s.codes)),
                 next(iter(GROUPS)))
    language = mentor.languages[0] if mentor.languages[0] in ("en", "es", "fr") else "es"
    bio, description = texts.mentor_texts(language, group, list(NEED_CODES), "both",
                                          mentor.city or "", random.Random(mentor.id))
    return replace(mentor, id=STUFFED_ID, name=f"{mentor.name} (all)", expertise=NEED_CODES,
                   languages=("en", "es", "fr"), markets=markets, bio=bio,
                   description=description, mode="both")


def appearances(lists: list[list[int]], pid: int) -> tuple[int, int]:
    """Return how many lists show ``pid`` and its place among all shown (1: most shown)."""
    counts = Counter(p for ids in lists for p in ids)
    return counts[pid], 1 + sum(1 for other, n in counts.items() if n > counts[pid])


def measure(args: argparse.Namespace) -> dict:
    """Return the before/after figures (see the module doc)."""
    _, by_kind, _ = build_program(args.smes, args.mentors, args.buyers, args.seed)
    smes = [r for r in by_kind["sme"] if r.active]
    mentors = by_kind["mentor"]
    everyone = [*by_kind["sme"], *mentors, *by_kind["buyer"]]
    markets = tuple(sorted({m for r in everyone for m in r.markets} if args.all_markets
                           else PROGRAM_COUNTRIES))
    bundle = build_bundle(everyone)
    honest = {on: top5s(bundle, mentors, smes, on) for on in (False, True)}
    shown = Counter(p for ids in honest[False] for p in ids)
    top = next(r for r in mentors if r.id == shown.most_common(1)[0][0])
    result = {"smes": len(smes), "mentors": sum(r.eligible for r in mentors),
              "changed": sum(a != b for a, b in zip(*honest.values(), strict=True)),
              "top": (top.id, shown[top.id]), "markets": markets}
    program = [*everyone, copy_of(top)]
    bundle = build_bundle(program)
    result["copy"] = {on: sum(top.id in ids and COPY_ID in ids for ids in top5s(
        bundle, [*mentors, copy_of(top)], smes, on)) for on in (False, True)}
    result["stuffed"] = _stuffing(everyone, mentors, smes, markets,
                                  mentors[args.stuffed_base - 1])
    result["bases"] = [_stuffing(everyone, mentors, smes, markets, base)
                       for base in mentors[:args.bases]]
    return result


def _stuffing(everyone, mentors, smes, markets, base: ProfileRecord) -> dict:
    fake = stuffed(base, markets)
    bundle = build_bundle([*everyone, fake])
    return {"base": base.id, **{on: appearances(top5s(bundle, [*mentors, fake], smes, on),
                                                STUFFED_ID) for on in (False, True)}}


def format_results(r: dict) -> str:
    """Return the figures as a markdown table and notes."""
    places = r["smes"] * K
    stuffed, bases = r["stuffed"], r["bases"]
    lines = [f"Demo program: {r['smes']} active SMEs rank their top {K} of {r['mentors']} "
             f"mentors ({places / r['mentors']:.1f} appearances per mentor on average).\n",
             "| case | before | after |", "|---|---:|---:|",
             f"| top 5s showing the most-shown mentor (id {r['top'][0]}, {r['top'][1]} "
             f"top 5s) and its copy | {r['copy'][False]} | {r['copy'][True]} |",
             f"| top 5s showing a stuffed copy of mentor {stuffed['base']} (all 14 needs, "
             f"en/es/fr, markets {'/'.join(r['markets'])}) | {stuffed[False][0]} "
             f"(place {stuffed[False][1]}) | {stuffed[True][0]} (place {stuffed[True][1]}) |"]
    if bases:
        before = np.array([b[False][0] for b in bases])
        after = np.array([b[True][0] for b in bases])
        lines.append(f"| the same for each of the first {len(bases)} mentors stuffed in turn: "
                     f"mean (largest) | {before.mean():.1f} ({before.max()}) | "
                     f"{after.mean():.1f} ({after.max()}) |")
    lines.append(f"\nHonest program (no copy, no stuffed profile): {r['changed']} of "
                 f"{r['smes']} top {K}s change when the defences are switched on.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print the figures; return the exit status."""
    print(format_results(measure(parse_args(argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
