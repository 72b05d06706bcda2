"""The ``auditor`` command line. Exit codes: 0 ok, 1 findings (later commands), 2 error."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import __version__
from .fetch import FetchError, read_target
from .parse import parse_report

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, like every other error
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="auditor", description="政府信息公开 auditor: parse and audit "
                     "government annual reports and websites.")
    parser.add_argument("--version", action="version", version=f"zwgk-auditor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parse = commands.add_parser("parse", help="parse an annual report and print the model")
    parse.add_argument("target", metavar="FILE|URL")
    parse.add_argument("--format", choices=("json", "human"), default="json")
    parse.add_argument("--no-provenance", action="store_true",
                       help="leave per-cell provenance out of the JSON")
    return parser


def cmd_parse(args: argparse.Namespace) -> int:
    data = read_target(args.target)
    report = parse_report(data, source=args.target)
    if report.error:
        raise FetchError(f"{args.target}: {report.error}")
    if args.format == "json":
        json.dump(report.to_dict(provenance=not args.no_provenance), sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .reports.parsed import render_report

        sys.stdout.write(render_report(report) + "\n")
    return EXIT_OK


COMMANDS = {"parse": cmd_parse}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            build_parser().print_help()
            return EXIT_ERROR
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    except FetchError as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
