"""Our fixes inside the Rasa process judge action-server answers exactly as Rasa does."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from assistant.rasa_model import RASA_VENV
from assistant.settings import PROJECT_ROOT

pytestmark = [pytest.mark.rasa, pytest.mark.slow]

CHECK = textwrap.dedent("""
    import jsonschema
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction
    from rasa_addons import action_results

    checks = []
    real_check = validators.Draft202012Validator.check_schema
    validators.Draft202012Validator.check_schema = classmethod(
        lambda cls, schema, **kw: (checks.append(1), real_check(schema, **kw))[1])
    action_results.install()
    action = RemoteAction("action_book", None)
    good = {"events": [{"event": "slot", "name": "phone", "value": "+12125550100"}],
            "responses": [{"text": "You're booked."}]}
    for _ in range(100):
        assert action._validate_action_result(good) is True
    for bad in ({"events": [{"event": "nonsense"}]}, {"events": "x"}, {"responses": [1]}):
        try:
            action._validate_action_result(bad)
        except jsonschema.ValidationError as error:
            assert "Failed to validate Action server response" in error.message, error.message
        else:
            raise AssertionError(f"accepted {bad}")
    print("schema checks on the valid path:", len(checks) - 3)
""")


def in_rasa(script: str) -> str:
    """Run `script` with Rasa's Python from the project root; its output."""
    done = subprocess.run([str(RASA_VENV / "bin" / "python"), "-c", script], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_answers_are_judged_as_rasa_does_with_the_schema_checked_once() -> None:
    stdout = in_rasa(CHECK)
    # Rasa alone checks the schema once per answer (100 here); the cached validator once.
    assert "schema checks on the valid path: 1" in stdout, stdout


EVENTS = textwrap.dedent("""
    from rasa.shared.core.events import Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses
    from rasa_addons import event_types

    names = {cls.type_name for cls in all_subclasses(Event)}
    before = {name: Event.resolve_by_type(name) for name in names}
    event_types.install()
    for _ in range(2):  # the second round is answered from the table
        assert {name: Event.resolve_by_type(name) for name in names} == before
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    try:
        Event.resolve_by_type("no_such_event")
    except ValueError as error:
        assert "no_such_event" in str(error)
    else:
        raise AssertionError("an unknown event name was accepted")
    event = Event.from_parameters({"event": "user", "text": "hi", "parse_data": {}})
    assert isinstance(event, UserUttered), event
    print("resolved", len(names), "event types")
""")


def test_events_resolve_to_the_same_classes_as_in_rasa() -> None:
    stdout = in_rasa(EVENTS)
    assert "event types" in stdout, stdout
