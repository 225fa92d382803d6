"""Reading a composed YAML tree field by field, collecting every problem with its line.

PyYAML's `compose` keeps each node's position and its text as written, so values are parsed
here (never by YAML's own typing: "10:00" is not sixty-base six hundred, "no" is not False)
and a problem names the line and the field path (`services[2].duration`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from yaml import MappingNode, Node, ScalarNode, SequenceNode

from scheduling.errors import InvalidRequest

T = TypeVar("T")
NULLS = ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.path}: {self.message}" if self.path else (
            f"{self.line}: {self.message}")


class CatalogFileError(InvalidRequest):
    """The file's problems, all of them, in the order of their lines."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: p.line))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self, file_name: str) -> list[str]:
        """One `file:line: field: what is wrong` line each, as compilers write them."""
        return [f"{file_name}:{problem}" for problem in self.problems]


class Field:
    """A node at a path; every read records its problem on the shared list and goes on."""

    def __init__(self, node: Node, path: str, problems: list[Problem]) -> None:
        self.node = node
        self.path = path
        self.problems = problems

    @property
    def line(self) -> int:
        return int(self.node.start_mark.line) + 1

    def fail(self, message: str, path: str | None = None) -> None:
        self.problems.append(Problem(self.line, self.path if path is None else path, message))

    def refused(self, error: InvalidRequest) -> None:
        """A domain constructor's refusal, at the key it names when this mapping has it."""
        pairs = self.node.value if isinstance(self.node, MappingNode) else []
        named = [value for key, value in pairs if key.value == error.field]
        place = self.child(named[0], str(error.field)) if named else self
        place.fail(str(error))

    def child(self, node: Node, key: str | int) -> Field:
        path = f"{self.path}[{key}]" if isinstance(key, int) else (
            f"{self.path}.{key}" if self.path else key)
        return Field(node, path, self.problems)

    def built(self, before: int, make: Callable[..., T], values: dict[str, Any]) -> T | None:
        """`make(**values)`, its refusal recorded here; None, and not tried, when a part of it
        was refused already (problems past `before`): one mistake, one message."""
        if len(self.problems) > before:
            return None
        try:
            return make(**values)
        except InvalidRequest as error:
            self.refused(error)
            return None

    @property
    def is_null(self) -> bool:
        return isinstance(self.node, ScalarNode) and self.node.tag.endswith(":null") and (
            self.node.value in NULLS)

    def text(self) -> str | None:
        if not isinstance(self.node, ScalarNode):
            self.fail("expected a single value here, not a list or a mapping")
            return None
        return str(self.node.value)

    def parse(self, parser: Callable[[str], T]) -> T | None:
        text = self.text()
        if text is None:
            return None
        try:
            return parser(text)
        except (ValueError, InvalidRequest) as error:
            self.fail(str(error))
            return None

    def items(self) -> list[Field]:
        """A list's entries; a single value counts as a list of one."""
        if isinstance(self.node, ScalarNode):
            return [] if self.is_null else [self]
        if not isinstance(self.node, SequenceNode):
            self.fail("expected a list")
            return []
        return [self.child(node, index) for index, node in enumerate(self.node.value)]

    def texts(self) -> list[str]:
        return [text for item in self.items() if (text := item.text()) is not None]

    def mapping(self, known: tuple[str, ...], required: tuple[str, ...] = ()) -> Fields:
        if not isinstance(self.node, MappingNode):
            self.fail(f"expected a mapping with {', '.join(required or known)}")
            return Fields(self, {})
        found: dict[str, Field] = {}
        for key_node, value_node in self.node.value:
            key = str(key_node.value)
            place = self.child(value_node, key)
            if key in found:
                Field(key_node, place.path, self.problems).fail("appears twice")
            elif key not in known:
                Field(key_node, place.path, self.problems).fail(
                    f"unknown key {key!r} (known: {', '.join(known)})")
            found[key] = place
        for key in required:
            if key not in found:
                self.fail(f"{key} is missing")
        return Fields(self, {k: v for k, v in found.items() if k in known})


class Fields:
    """A mapping's known keys; absent and null ones read as None."""

    def __init__(self, owner: Field, found: dict[str, Field]) -> None:
        self.owner = owner
        self.found = found

    def get(self, key: str) -> Field | None:
        place = self.found.get(key)
        return None if place is None or place.is_null else place

    def parse(self, key: str, parser: Callable[[str], T], default: T) -> T:
        place = self.get(key)
        if place is None:
            return default
        value = place.parse(parser)
        return default if value is None else value

    def texts(self, key: str) -> list[str]:
        place = self.get(key)
        return [] if place is None else place.texts()

    def each(self, key: str) -> Iterator[Field]:
        place = self.get(key)
        yield from ([] if place is None else place.items())
