#!/usr/bin/env python3
"""The meetings XLSX export at the een scale: openpyxl's write-only mode (the former writer) beside
XlsxWriter's constant-memory mode (services/exports.py's to_xlsx), on the same rows, in one run.

    .venv/bin/python scripts/bench_xlsx.py                       # SQLite in a temporary file
    .venv/bin/python scripts/bench_xlsx.py --database-url \\
        postgresql://postgres@127.0.0.1:5432/bench_xlsx --reset   # PostgreSQL (wiped first)

Loads the een event with services/demo_scale.py (3,000 participants, about 20,000 meetings), reads
its meeting rows once (exports.meeting_rows, timed apart) and writes them --repeat times with each
writer: median seconds and kilobytes. Both files are read back with openpyxl to check they hold the
same values. --reset drops and recreates the public schema of the PostgreSQL database given.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_accept import make_app, prepare_schema  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from matchmaking.extensions import db  # noqa: E402
from matchmaking.models import Event  # noqa: E402
from matchmaking.services import exports  # noqa: E402
from matchmaking.services.demo_scale import Scale, analyse, build_scale  # noqa: E402


def _value(value, kind: str):
    if kind == "date" and isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    return value


def _width(value, kind: str) -> int:
    if value is None:
        return 0
    if kind in ("date", "time"):
        return {"date": 10, "time": 5}[kind]
    return max((len(line) for line in str(value).splitlines()), default=0)


def openpyxl_xlsx(columns: Sequence[exports.Column], headers: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """The former writer (openpyxl write-only, lxml): same sheet, kept here only to compare."""
    values = [[_value(v, c.kind) for v, c in zip(row, columns, strict=True)] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, (v, c) in enumerate(zip(row, columns, strict=True)):
            widths[i] = max(widths[i], _width(v, c.kind))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Meetings")
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width, exports.MAX_COLUMN_WIDTH) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    bold = Font(bold=True)
    header = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=h)
        cell.data_type, cell.font = "s", bold
        header.append(cell)
    sheet.append(header)
    formats = [{"date": "yyyy-mm-dd", "time": "hh:mm"}.get(c.kind) for c in columns]
    for row in values:
        cells = []
        for v, fmt in zip(row, formats, strict=True):
            if isinstance(v, str) and (v.startswith("=") or v in ERROR_CODES):
                cell = WriteOnlyCell(sheet, value=v)
                cell.data_type = "s"
                cells.append(cell)
            elif fmt and v is not None:
                cell = WriteOnlyCell(sheet, value=v)
                cell.number_format = fmt
                cells.append(cell)
            else:
                cells.append(v)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_back(data: bytes) -> list[list]:
    """The sheet's values, without the empty cells a row ends with (the writers pad rows differently)."""
    rows = load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)
    return [list(row[:max((i + 1 for i, v in enumerate(row) if v is not None), default=0)]) for row in rows]


def median_seconds(write: Callable[[], bytes], n: int) -> tuple[float, bytes]:
    seconds, data = [], b""
    for _ in range(n):
        t = perf_counter()
        data = write()
        seconds.append(perf_counter() - t)
    return statistics.median(seconds), data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--reset", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench_xlsx.db"
    app = make_app(url)
    prepare_schema(app, reset=args.reset)
    with app.app_context():
        summary = build_scale(Scale())
        db.session.commit()
        analyse()
        event = db.session.get(Event, summary.event_id)
        t = perf_counter()
        rows = exports.meeting_rows(event)
        seconds = perf_counter() - t
        print(f"{len(rows)} meeting rows of {summary.participants} participants read in {seconds:.2f} s")
    columns = exports.MEETING_COLUMNS
    headers = [c.key for c in columns]
    results = {
        "openpyxl write-only (before)": median_seconds(lambda: openpyxl_xlsx(columns, headers, rows), args.repeat),
        "XlsxWriter constant-memory (after)": median_seconds(
            lambda: exports.to_xlsx(columns, headers, rows, title="Meetings"), args.repeat),
    }
    print(f"\n{'writer':<38}{'median':>9}{'KB':>8}")
    for name, (seconds, data) in results.items():
        print(f"{name:<38}{seconds:>8.2f}s{len(data) / 1024:>8.0f}")
    before, after = (read_back(data) for _s, data in results.values())
    print(f"\nsame values read back: {before == after}; {url.split(':')[0]}; python {sys.version.split()[0]}; "
          f"the machine's load: {os.getloadavg()[0]:.1f}")
    return 0 if before == after else 1


if __name__ == "__main__":
    raise SystemExit(main())
