"""Shared pytest setup: tests import the installed package (make test installs it into
build/venv); REPO points at the checkout for fixtures and the CLI."""
import os
import pathlib

REPO = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("DEEPQ_CLI", str(REPO / "build" / "deepq"))
