"""Rasa's command line as `python -m assistant run` builds it reads back the token it was
given, whatever the token looks like. A random token that began with "-" stood alone after
`--auth-token`; argparse took it for an option, Rasa exited with "argument -t/--auth-token:
expected one argument" three times and the whole run stopped (one run in 64, seen in CI)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from assistant.run import children
from assistant.settings import Settings


def rasa_run_parser() -> argparse.ArgumentParser:
    """The options of `rasa run` this argv uses, declared as Rasa 3.6 declares them
    (rasa/cli/arguments/run.py, default_arguments.py)."""
    parser = argparse.ArgumentParser(prog="rasa run")
    parser.add_argument("--enable-api", action="store_true")
    parser.add_argument("-t", "--auth-token", type=str)
    parser.add_argument("-i", "--interface")
    parser.add_argument("-p", "--port", type=int)
    parser.add_argument("-m", "--model")
    parser.add_argument("--credentials")
    parser.add_argument("--endpoints")
    return parser


@pytest.mark.parametrize("token", ["-Zx3_leading-dash", "--looks-like-an-option", "plain_Tok3n"])
def test_rasa_reads_back_any_token(token: str, tmp_path: Path) -> None:
    settings = Settings(rasa_token=token, data_dir=tmp_path)
    rasa = next(child for child in children(settings, "postgresql://x@127.0.0.1/db",
                                            tmp_path / "model.tar.gz") if child.name == "rasa")
    argv = rasa.argv[rasa.argv.index("run") + 1:]
    known, _ = rasa_run_parser().parse_known_args(argv)
    assert known.auth_token == token
