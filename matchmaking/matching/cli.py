"""Command line: `rank PROFILES.json [--top N] [--lexical]` prints every participant's partners as JSON.

Bad input exits 2 with one line on stderr naming the culprit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .core import AUTO, rank
from .model import InputError, profiles_from_document


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m matchmaking.matching",
                                 description="Recommend partners to the participants of a brokerage event.")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("rank", help="print each participant's best partners with reasons (JSON)")
    p.add_argument("profiles", help='a JSON file {"participants": [...]} ("-" for standard input)')
    p.add_argument("--top", type=int, default=20, metavar="N", help="partners per participant (default 20)")
    p.add_argument("--lexical", action="store_true", help="rank without the text model")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.top < 0:
            raise InputError(f"--top must be zero or more, got {args.top}")
        try:
            if args.profiles == "-":
                doc = json.load(sys.stdin)
            else:
                with open(args.profiles, encoding="utf-8") as fh:
                    doc = json.load(fh)
        except OSError as e:
            raise InputError(f"cannot read {args.profiles}: {e.strerror or e}") from e
        except (ValueError, UnicodeDecodeError) as e:
            raise InputError(f"{args.profiles} is not valid JSON: {e}") from e
        profiles = profiles_from_document(doc)
        result = rank(profiles, top=args.top, encoder=None if args.lexical else AUTO)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
