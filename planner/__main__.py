"""``python -m planner``: the command line's entry point. The commands live in planner.cli, one module each."""

from __future__ import annotations

from planner.cli import build_parser, main
from planner.cli.bench import cmd_bench  # the names the command line's tests import from here
from planner.cli.common import EXIT_BAD_INPUT, CliError
from planner.cli.results import GOAL_TYPES

__all__ = ["EXIT_BAD_INPUT", "GOAL_TYPES", "CliError", "build_parser", "cmd_bench", "main"]

if __name__ == "__main__":
    raise SystemExit(main())
