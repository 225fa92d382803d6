"""Whatever an owner's editor leaves in the file, reading it gives a `Catalog` or a
`CatalogFileError` with at least one problem: never another exception, never a silent
refusal (Hypothesis edits the hand-written example line by line)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.catalog_yaml.nodes import CatalogFileError
from scheduling.catalog_yaml.read import read_catalog

EXAMPLE = (Path(__file__).parents[2] / "docs" / "examples" / "two-studios.yml").read_text()
LINES = EXAMPLE.splitlines()
VALUES = st.sampled_from([
    "", "null", "~", "[]", "{}", "5", "-1", "x", "[a, b]", "{a: 1}", "24:00-25:00", "'",
    "&a x", "*a", "!!binary abc", "!!python/object:os.system x", "9999-99-99", "0", "1e9",
    "99999999999999999999 min", "\u00e9t\u00e9", "2027-02-30 25:00", "\t",
]) | st.text(max_size=12)


@st.composite
def edited(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "value", "append"]))
        if how == "drop":
            del lines[at]
        elif how == "value" and ":" in lines[at]:
            lines[at] = lines[at][: lines[at].index(":") + 1] + " " + draw(VALUES)
        else:
            lines[at] += " " + draw(VALUES)
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(edited())
def test_any_edit_reads_or_is_refused_with_its_problems(text: str) -> None:
    try:
        read_catalog(text)
    except CatalogFileError as refused:
        assert refused.problems
        assert all(problem.line >= 1 for problem in refused.problems)
