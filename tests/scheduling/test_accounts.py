"""The account rules alone (no database): what makes a role valid, an e-mail an account key,
and who may change or remove whom."""

from __future__ import annotations

from uuid import uuid4

import pytest

from scheduling.accounts import OWNER, STAFF, address, check_change, role_and_staff
from scheduling.errors import InvalidRequest, PolicyViolation


def test_a_staff_account_needs_its_staff_member_and_an_owner_has_none() -> None:
    member = uuid4()
    assert role_and_staff(STAFF, member) == (STAFF, member)
    assert role_and_staff(OWNER, member) == (OWNER, None)
    with pytest.raises(InvalidRequest, match="needs the staff member"):
        role_and_staff(STAFF, None)
    with pytest.raises(InvalidRequest, match="role must be"):
        role_and_staff("admin", None)


@pytest.mark.parametrize("typed", ["", "ana", "ana@", "@salon.example", "ana@salon",
                                   "a na@salon.example", "ana@salon.example\x00",
                                   "<ana@salon.example>", "a" * 320 + "@salon.example"])
def test_what_is_not_an_email_address_is_refused(typed: str) -> None:
    with pytest.raises(InvalidRequest):
        address(typed)


def test_an_address_is_keyed_as_accounts_are() -> None:
    assert address("  Ana@Salon.Example ") == "ana@salon.example"


@pytest.mark.parametrize(("actor", "target", "owners", "policy"), [
    ("b@x.io", "a@x.io", {"a@x.io"}, "owner_only"),
    ("a@x.io", "a@x.io", {"a@x.io", "b@x.io"}, "own_account"),
    ("a@x.io", "a@x.io", {"a@x.io"}, "last_owner"),
])
def test_who_may_not_change_an_account(actor: str, target: str, owners: set[str],
                                       policy: str) -> None:
    with pytest.raises(PolicyViolation) as refused:
        check_change(actor, target, owners)
    assert refused.value.policy == policy


def test_an_owner_may_change_another_owner_or_a_staff_account() -> None:
    check_change("a@x.io", "b@x.io", {"a@x.io", "b@x.io"})
    check_change("a@x.io", "staff@x.io", {"a@x.io"})
