"""The test-control API and the GSM helpers it relies on."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from sandbox.gsm import Encoding, count_segments, is_gsm7

pytestmark = pytest.mark.usefixtures("socket_enabled")


async def test_seeding_helpers(sandbox: Sandbox) -> None:
    group = sandbox.add_group("On call", contacts=2)
    contacts = list(sandbox.state.groups[group].contacts.values())
    assert [contact.phone for contact in contacts] == ["31610000001", "31610000002"]
    uid = sandbox.add_contact(group, "31612345678", "Eva")
    assert sandbox.state.groups[group].contacts[uid].first_name == "Eva"
    message = sandbox.add_message("31612345678", "hello", status="Expired")
    [stored] = sandbox.sent_messages()
    assert (stored.uid, stored.status, stored.type) == (message, "Expired", "plain")


def test_gsm_helpers() -> None:
    assert is_gsm7("Hello @ £ € {}")
    assert not is_gsm7("Привет")
    counted = count_segments("[" * 80)
    assert (counted.encoding, counted.units, counted.segments) == (
        Encoding.GSM7,
        160,
        1,
    )
    assert count_segments("").segments == 1
    counted = count_segments("hi", force_unicode=True)
    assert (counted.encoding, counted.units) == (Encoding.UCS2, 2)
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3
