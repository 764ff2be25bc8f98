"""The ``jobrec`` command line.

Subcommands register themselves through the ``jobrec.commands`` entry-point group
(see pyproject.toml), so this library never imports the bot package: the bot's
commands (``jobrec bot``, ``jobrec db``, ...) plug in from ``bot.cli``.
Each entry point is a function ``register(subparsers) -> None`` that adds one
subparser and sets ``func`` on it; ``func(args) -> int`` is the exit code.

Where the commands read and write when not told (the model and data folders) comes from
``recommender.cli.defaults.command_defaults``: plain values the application plugs in from its
settings; this package never reads the environment.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

logger = logging.getLogger(__name__)

def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or with ``command`` only when it is one: the bot's commands
    import aiogram (4–8 s on this machine), which `jobrec data stats` or `jobrec train` do not need."""
    parser = argparse.ArgumentParser(
        prog="jobrec",
        description="Job recommendations from a few skills: specialization, hh.ru vacancies, "
        "skills to learn, salary estimate.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = sorted(entry_points(group="jobrec.commands"), key=lambda e: e.name)
    for ep in [ep for ep in commands if ep.name == command] or commands:
        # Every command is ours and installed with the package: a failing import is a bug to see.
        ep.load()(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(next((word for word in words if not word.startswith("-")), None))
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Third-party chatter (dictionary loading, gensim progress) is noise on a terminal.
    for noisy in ("pymorphy3", "gensim", "smart_open"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"jobrec {args.command}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path given that cannot be read or written: the user can fix it
        logger.debug("%s failed", args.command, exc_info=True)
        print(f"jobrec {args.command}: {os_error_line(exc)}", file=sys.stderr)
        return 2


class UsageError(Exception):
    """A problem the user can correct (a bad file, a missing folder, a bad database URL): the
    message is one line, printed as ``jobrec <command>: <message>`` with exit code 2."""


def os_error_line(exc: OSError) -> str:
    """``cannot read data/x.json: Permission denied`` rather than a traceback."""
    if exc.filename is None or exc.strerror is None:
        return str(exc)
    return f"{exc.strerror}: {exc.filename}"


if __name__ == "__main__":
    sys.exit(main())
