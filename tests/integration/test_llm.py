"""Assist tools: through Home Assistant's LLM API where it takes tools (2026.x).

On older versions (the 2025.4 leg) the feature is absent and set-up is as
before; on the 2026.10 leg (``../shared/tools/ha-latest``) each tool is called
through the Assist API and the request that reached the sandbox is checked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.util import find_spec
import sys
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import llm
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.textboost.const import DOMAIN
from sandbox import Fault, Sandbox
from tests.helpers import NUMBER, OTHER, bodies

#: Whether this Home Assistant takes tools from integrations (2026.x).
TAKES_TOOLS = find_spec("homeassistant.components.llm") is not None
new_versions_only = pytest.mark.skipif(
    not TAKES_TOOLS, reason="Home Assistant before 2026.x takes no integration tools"
)


@pytest.fixture
def saved_recipients() -> list[tuple[str, str]]:
    """A saved recipient "Mum"."""
    return [("Mum", NUMBER)]


@pytest.fixture
def mock_config_entry(
    mock_config_entry: MockConfigEntry,
    account: Sandbox,
    entry_options: dict[str, Any],
) -> MockConfigEntry:
    """The suite's account entry, and a contact group "Family" on the account.

    ``entry_options`` is named so that a test can parametrise it: pytest does
    not see through an overridden fixture to the one it extends.
    """
    del entry_options  # Already in the suite's entry.
    account.add_group("Family", contacts=2)
    return mock_config_entry


@pytest.mark.skipif(TAKES_TOOLS, reason="the 2025.4 leg")
@pytest.mark.usefixtures("init_integration")
async def test_older_versions_get_no_tools_and_set_up_as_before(
    hass: HomeAssistant,
) -> None:
    """No tools platform on 2025.4: the module is never loaded, Assist has no tool."""
    assert await async_setup_component(hass, "homeassistant", {})
    api = await llm.async_get_api(
        hass,
        llm.LLM_API_ASSIST,
        llm.LLMContext(
            platform="test",
            context=Context(),
            user_prompt="Text Mum",
            language="en",
            assistant="conversation",
            device_id=None,
        ),
    )
    assert not [tool.name for tool in api.tools if DOMAIN in tool.name]
    assert f"custom_components.{DOMAIN}.llm" not in sys.modules
    assert hass.services.has_service(DOMAIN, "send_sms")


async def _assist(hass: HomeAssistant) -> llm.APIInstance:
    assert await async_setup_component(hass, "llm", {})
    return await llm.async_get_api(
        hass,
        llm.LLM_API_ASSIST,
        llm.LLMContext(  # 2026.x: no user_prompt
            platform="test",
            context=Context(),
            language="en",
            assistant="conversation",
            device_id=None,
        ),
    )


async def _call(hass: HomeAssistant, tool: str, **args: Any) -> Any:
    api = await _assist(hass)
    return await api.async_call_tool(
        llm.ToolInput(tool_name=f"{DOMAIN}__{tool}", tool_args=args)
    )


@new_versions_only
@pytest.mark.usefixtures("init_integration")
async def test_the_tools_follow_the_naming_rules(hass: HomeAssistant) -> None:
    api = await _assist(hass)
    ours = [tool for tool in api.tools if tool.name.startswith(f"{DOMAIN}__")]
    assert sorted(tool.name for tool in ours) == [
        "textboost__get_balance",
        "textboost__send_text",
    ]
    assert all(tool.integration == DOMAIN for tool in ours)
    send = next(tool for tool in ours if tool.name == "textboost__send_text")
    assert "Known names: Mum, Family." in send.description
    assert "Phone numbers are not accepted" in send.description


@new_versions_only
@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("name", "recipients"),
    [("Mum", NUMBER), ("mum", NUMBER), ("Family", "31610000001,31610000002")],
)
async def test_send_text_by_name(
    hass: HomeAssistant, account: Sandbox, name: str, recipients: str
) -> None:
    result = await _call(hass, "send_text", to=name, message="Dinner is ready")

    assert result.error is False
    assert result.data["sent_to"] == name
    assert bodies(account) == [
        {"recipient": recipients, "type": "plain", "message": "Dinner is ready"}
    ]


@new_versions_only
@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("to", "error"),
    [
        (
            "Grandma",
            'No saved recipient or contact group is called "Grandma". Add the '
            "person as a recipient of the TextBoost account, or use the name of a "
            "contact group",
        ),
        (
            "+31 6 1234 5679",
            "Assist may only text saved recipients and contact groups by name. To "
            'let it text any number, turn on "Let Assist text any number" in the '
            "integration's options",
        ),
    ],
)
async def test_send_text_refuses_unknown_names_and_numbers(
    hass: HomeAssistant, account: Sandbox, to: str, error: str
) -> None:
    result = await _call(hass, "send_text", to=to, message="Hi")

    assert result.error is True
    assert result.data == {"error": error}
    assert bodies(account) == []


@new_versions_only
@pytest.mark.parametrize("entry_options", [{"spending": {"assist_any_number": True}}])
@pytest.mark.usefixtures("init_integration")
async def test_send_text_to_a_number_when_the_option_allows(
    hass: HomeAssistant, account: Sandbox
) -> None:
    result = await _call(hass, "send_text", to="+31 6 1234 5679", message="Hi")

    assert result.error is False
    assert bodies(account) == [{"recipient": OTHER, "type": "plain", "message": "Hi"}]


@new_versions_only
@pytest.mark.parametrize("entry_options", [{"spending": {"daily_spend_cap": 0.01}}])
@pytest.mark.usefixtures("init_integration")
async def test_send_text_meets_the_guard_rails(
    hass: HomeAssistant, account: Sandbox
) -> None:
    await _call(hass, "send_text", to="Mum", message="Hi")  # 0.05: the price is learnt

    result = await _call(hass, "send_text", to="Mum", message="Hi")

    assert result.error is True
    assert "daily cap of 0.01" in result.data["error"]
    assert len(bodies(account)) == 1


@new_versions_only
@pytest.mark.usefixtures("init_integration")
async def test_get_balance(hass: HomeAssistant, account: Sandbox) -> None:
    account.clear_requests()

    result = await _call(hass, "get_balance")

    assert result.data == {
        "accounts": [
            {
                "account": "Ada Lovelace",
                "balance": 1234.5,
                "unlimited": False,
                "unit": None,
                "expires": "2026-12-31T23:59:00",
            }
        ]
    }
    assert [r.path for r in account.requests] == ["balance"]


@new_versions_only
@pytest.mark.usefixtures("init_integration")
async def test_no_read_tool_while_receiving_is_off(hass: HomeAssistant) -> None:
    api = await _assist(hass)
    assert "textboost__read_messages" not in [tool.name for tool in api.tools]


@new_versions_only
@pytest.mark.parametrize("entry_options", [{"receiving": {"mode": "polling"}}])
@pytest.mark.usefixtures("init_integration")
async def test_read_messages_while_receiving(
    hass: HomeAssistant, account: Sandbox
) -> None:
    await account.receive_sms(
        NUMBER, "Running late", at=datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    )
    await account.receive_sms(
        OTHER, "Who is this?", at=datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    )
    account.add_message(NUMBER, "Sent, not received")
    account.clear_requests()

    result = await _call(hass, "read_messages", count=5)

    assert result.data == {
        "messages": [
            {
                "from": OTHER,
                "name": None,
                "text": "Who is this?",
                "received_at": "2026-11-29T10:00:00+00:00",
            },
            {
                "from": NUMBER,
                "name": "Mum",
                "text": "Running late",
                "received_at": "2026-11-29T09:00:00+00:00",
            },
        ]
    }
    (listing,) = account.requests_to("sms", "GET")
    assert listing.query["direction"] == "incoming"


@new_versions_only
@pytest.mark.parametrize("entry_options", [{"receiving": {"mode": "webhook"}}])
@pytest.mark.usefixtures("init_integration")
async def test_read_messages_stops_at_the_count(
    hass: HomeAssistant, account: Sandbox
) -> None:
    for hour in range(3):
        await account.receive_sms(
            OTHER, f"Message {hour}", at=datetime(2026, 11, 29, hour, 0, tzinfo=UTC)
        )

    result = await _call(hass, "read_messages", count=1)

    assert [m["text"] for m in result.data["messages"]] == ["Message 2"]


@new_versions_only
@pytest.mark.parametrize(
    ("entry_options", "tool", "path"),
    [
        ({}, "get_balance", "balance"),
        ({"receiving": {"mode": "polling"}}, "read_messages", "sms"),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_a_failed_read_is_told_to_the_agent(
    hass: HomeAssistant, account: Sandbox, tool: str, path: str
) -> None:
    account.inject(Fault.UNAUTHENTICATED, path=path)

    result = await _call(hass, tool)

    assert result.error is True
    assert "token" in result.data["error"].lower()


@new_versions_only
async def test_no_tools_without_a_loaded_account(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_unload(init_integration.entry_id)

    api = await _assist(hass)

    assert not [tool.name for tool in api.tools if tool.name.startswith(DOMAIN)]
