#!/usr/bin/env python3
"""Writing a busy participant's calendar with icalendar's line folding and with services/ical_fold.py.

    .venv/bin/python scripts/bench_ical_fold.py            # 40 meetings, 50 runs of each, interleaved

Builds the VEVENTs of --meetings meetings as services/ical.py writes them (a summary, a place, a
description of several lines with the partner's offer and wants in Polish, Latvian and German, the
contact line's dots) and writes the calendar document over and over, switching the folding between
the library's and ours at every run, so that a busy machine weighs on both alike. Prints the median
and p95 of each, and checks that both wrote the same bytes.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icalendar import Event as VEvent  # noqa: E402
from icalendar import vText  # noqa: E402
from icalendar.parser import content_line  # noqa: E402

from matchmaking.services import ical, ical_fold  # noqa: E402
from matchmaking.services.timezones import to_local  # noqa: E402

OFFER = ("Zaawansowane usługi inżynieryjne dla przemysłu spożywczego: projektowanie linii, "
         "automatyka, szkolenia; Ražošanas līniju projektēšana un apkope Latvijā un Lietuvā. ")
SEEK = "Partner für gemeinsame Forschungsprojekte (Horizon Europe), Vertriebspartner in Skandinavien. "


def vevents(n: int) -> list[VEvent]:
    start = datetime(2030, 5, 20, 7, 0)
    out = []
    for i in range(n):
        vevent = VEvent()
        begins = start + timedelta(minutes=30 * i)
        vevent.add("uid", f"meeting-{i}@matchmaking")
        vevent.add("dtstamp", begins.replace(tzinfo=UTC))
        vevent.add("sequence", i % 3)
        vevent.add("dtstart", to_local(begins, "Europe/Warsaw"))
        vevent.add("dtend", to_local(begins + timedelta(minutes=25), "Europe/Warsaw"))
        vevent.add("summary", f"Meeting: Łukasz Żółkiewski {i} (Przedsiębiorstwo Innowacyjne {i} sp. z o.o.)")
        vevent.add("location", vText(f"Table {i}, Hall B, Kraków Congress Centre"))
        vevent.add("description", "\n".join([
            f"Meeting with Łukasz Żółkiewski {i}, Przedsiębiorstwo Innowacyjne {i} sp. z o.o.",
            "Event: Baltic Food & Engineering Brokerage 2030", f"They offer: {OFFER * 2}", f"They seek: {SEEK * 2}",
            f"Contact: lukasz{i}@example.pl · +48 600 100 {i:03d} · https://example.pl/{i}"]))
        vevent.add("status", "CONFIRMED")
        out.append(vevent)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--meetings", type=int, default=40)
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    events = vevents(args.meetings)
    folds = {"icalendar's folding": ical_fold._library_fold, "services/ical_fold.py": ical_fold.fold}
    times: dict[str, list[float]] = {name: [] for name in folds}
    written: dict[str, bytes] = {}
    for _ in range(args.runs):
        for name, fold in folds.items():
            content_line._foldline = fold
            started = time.perf_counter()
            written[name] = ical.calendar_document(events, name="My agenda", feed=True)
            times[name].append((time.perf_counter() - started) * 1000)
    ical_fold.install()
    same = len(set(written.values())) == 1
    print(f"a calendar of {args.meetings} meetings ({len(written['services/ical_fold.py']) // 1024} KB), "
          f"{args.runs} runs of each, interleaved; the same bytes: {'yes' if same else 'NO'}")
    for name, samples in times.items():
        ordered = sorted(samples)
        print(f"{name:<24} median {statistics.median(samples):6.1f} ms   p95 "
              f"{ordered[round(0.95 * (len(ordered) - 1))]:6.1f} ms")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
