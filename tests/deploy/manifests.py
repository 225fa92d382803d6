"""What the deployment files in deploy/ say, read without a container daemon: the settings'
variable names, the variables a file references, and the files themselves parsed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import AliasChoices

from assistant.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"
REFERENCE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(:?[-?][^}]*)?\}")
"""`${NAME}`, `${NAME:-default}`, `${NAME:?message}` (compose, sh, Rasa's endpoints, haproxy)."""


def setting_names() -> frozenset[str]:
    """Every environment variable the settings read (field names and aliases, upper case)."""
    names: set[str] = set()
    for name, field in Settings.model_fields.items():
        names.add(name.upper())
        if isinstance(field.validation_alias, AliasChoices):
            names.update(str(choice).upper() for choice in field.validation_alias.choices)
        elif isinstance(field.validation_alias, str):
            names.add(field.validation_alias.upper())
    return frozenset(names)


def referenced(text: str) -> set[str]:
    """Variables `text` expands."""
    return {m.group(1) for m in REFERENCE.finditer(text)}


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return document


def kubernetes_documents() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def rasa_variables(*, required_only: bool = False) -> set[str]:
    """What the Rasa image reads: every variable of its endpoints file (Rasa refuses to start
    on an unset one) and its entrypoint's (required there: those it checks with `:?`)."""
    endpoints = referenced((DEPLOY / "rasa" / "endpoints.yml").read_text())
    script = (DEPLOY / "rasa" / "entrypoint.sh").read_text()
    if required_only:
        return endpoints | {m.group(1) for m in REFERENCE.finditer(script)
                            if (m.group(2) or "").startswith(":?")}
    return endpoints | referenced(script)
