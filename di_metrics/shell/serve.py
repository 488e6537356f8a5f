"""Starting the dashboard: `python -m di_metrics.shell.serve [streamlit options]` runs `streamlit run app.py`.

Streamlit reads the secrets file while the server starts, and two mistakes stop it there with a traceback
and no page at all: a file that is not UTF-8 (a UTF-16 byte order mark) and an `auth` that is a value, not a
section. The file is read here first. Such a file is not handed to Streamlit: the server starts without
secrets, and every page refuses with the reason (`access.PROBLEM_ENV`), which never grants a role.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from di_metrics.shell.access import PROBLEM_ENV

__all__ = ["command", "main", "secrets_files", "startup_problem"]

APP = Path(__file__).resolve().parents[2] / "app.py"
_FLAG = "--secrets.files"
_log = logging.getLogger("koers")


def secrets_files(args: Sequence[str], cwd: Path) -> list[Path]:
    """The secrets files Streamlit will read: those given with --secrets.files, else its two defaults."""
    given = [a.split("=", 1)[1] for a in args if a.startswith(_FLAG + "=")]
    given += [args[i + 1] for i, a in enumerate(args[:-1]) if a == _FLAG]
    if given:
        return [Path(p) for p in given]
    return [Path.home() / ".streamlit" / "secrets.toml", cwd / ".streamlit" / "secrets.toml"]


def startup_problem(paths: Sequence[Path]) -> tuple[str, str] | None:
    """Why Streamlit could not start with these files, as (message key, detail for the log); None when it can.

    A file that does not parse as TOML is left to Streamlit: it starts, and each page says so itself."""
    for path in paths:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:  # a folder of secrets, or one Koers may not read, is Streamlit's to judge
            if path.is_dir():
                continue
            return "access.unreadable", f"{path}: {exc}"
        try:
            secrets = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            return "access.not_utf8", f"{path}: {exc}"
        except tomllib.TOMLDecodeError:
            continue
        auth = secrets.get("auth")
        if auth and not isinstance(auth, Mapping):
            return "access.auth_not_section", f"{path}: auth = {type(auth).__name__}"
    return None


def command(args: Sequence[str], environ: Mapping[str, str], cwd: Path) -> tuple[list[str], dict[str, str]]:
    """The Streamlit command and its environment; a secrets file that would stop it is left out and named."""
    args, env = list(args), dict(environ)
    env.pop(PROBLEM_ENV, None)
    problem = startup_problem(secrets_files(args, cwd))
    if problem:
        _log.error("access refused at start: %s (%s); starting without secrets", *problem)
        env[PROBLEM_ENV] = problem[0]
        kept = [a for i, a in enumerate(args) if not a.startswith(_FLAG) and (i == 0 or args[i - 1] != _FLAG)]
        absent = Path(tempfile.gettempdir()) / "koers-secrets-refused" / "secrets.toml"
        args = [*kept, _FLAG, str(absent)]
    return [sys.executable, "-m", "streamlit", "run", str(APP), *args], env


def main(argv: Sequence[str] | None = None) -> None:
    """Become the Streamlit server (exec), so that signals and the exit code are its own."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    cmd, env = command(sys.argv[1:] if argv is None else argv, os.environ, Path.cwd())
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
