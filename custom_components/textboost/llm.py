"""Assist and conversation agents: text by name, read incoming texts, tell the balance.

An ``llm`` platform, which Home Assistant loads from 2026.x on (the ``llm``
integration's ``LLMToolsPlatformProtocol``: ``async_get_tools(hass,
llm_context, api_id)``, read from ``homeassistant/components/llm`` of 2026.10).
Older versions have no such platform: this module is never imported there,
and nothing else changes (README, "Texting by voice and chat").

The naming rules of that version: every tool name starts with
``textboost__``, every tool says ``integration = "textboost"``, and a tool
returns a ``ToolResult`` (a plain dict is deprecated).

Tools, for the Assist API only:

* ``textboost__send_text``: an SMS to a saved recipient (config subentry) or a
  contact group, **by name**; to a phone number only when the option "Let
  Assist text any number" is on. It goes through the same checks, guard rails
  and outbox as the actions.
* ``textboost__read_messages``: the newest incoming messages (``GET sms`` with
  ``direction=incoming``), offered only while receiving is on.
* ``textboost__get_balance``: the balance of each account (``GET balance``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from homeassistant.components.llm import (  # type: ignore[import-not-found,unused-ignore]
    LLMTools,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.llm import (  # type: ignore[attr-defined,unused-ignore]
    LLM_API_ASSIST,
    LLMContext,
    Tool,
    ToolAnnotations,
    ToolInput,
    ToolResult,
)
import probatio  # type: ignore[import-not-found,unused-ignore]

from .api import AuthenticationFailed, TextBoostError, normalize_phone
from .const import CONF_PHONE, DOMAIN, SUBENTRY_RECIPIENT
from .data import TextBoostConfigEntry
from .errors import action_error, invalid, send_error
from .messaging import SendRequest, async_send
from .spending import SpendingOptions


def _failed(
    hass: HomeAssistant,
    entry: TextBoostConfigEntry,
    err: TextBoostError,
    *,
    sending: bool = False,
) -> ToolResult:
    """A client error as a tool result; a refused token also asks for a new one."""
    if isinstance(err, AuthenticationFailed):
        entry.async_start_reauth(hass)
    return ToolResult(
        data={"error": str(action_error(err, sending=sending))}, error=True
    )


#: How many incoming messages the read tool returns at most.
MAX_READ: Final = 20
#: The receiving options (see receiving/): section and mode, "off" when absent.
_RECEIVING: Final = "receiving"
_RECEIVE_MODE: Final = "mode"
_RECEIVE_OFF: Final = "off"


@dataclass(frozen=True, slots=True)
class _Target:
    """Whom a name stands for, in which account."""

    entry: TextBoostConfigEntry
    numbers: list[str]
    groups: list[str]


def _entries(hass: HomeAssistant) -> list[TextBoostConfigEntry]:
    return list(hass.config_entries.async_loaded_entries(DOMAIN))


def _recipients(entry: TextBoostConfigEntry) -> dict[str, str]:
    """Saved recipients by name: their number."""
    return {
        subentry.title: subentry.data[CONF_PHONE]
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_RECIPIENT
    }


def _group_names(entry: TextBoostConfigEntry) -> list[str]:
    return [
        state.group.name for state in (entry.runtime_data.groups.data or {}).values()
    ]


def _receiving(entry: TextBoostConfigEntry) -> bool:
    section = entry.options.get(_RECEIVING) or {}
    return str(section.get(_RECEIVE_MODE, _RECEIVE_OFF)) != _RECEIVE_OFF


def _find(hass: HomeAssistant, name: str) -> _Target:
    """The saved recipient or group called ``name`` (case-insensitive), or a number.

    Raises a translated ``ServiceValidationError`` for an unknown name, and for
    a number unless an account lets Assist text any number.
    """
    wanted = name.strip().casefold()
    for entry in _entries(hass):
        for title, phone in _recipients(entry).items():
            if title.casefold() == wanted:
                return _Target(entry, [phone], [])
        for group in _group_names(entry):
            if group.casefold() == wanted:
                return _Target(entry, [], [group])
    if (number := normalize_phone(name)) is not None:
        for entry in _entries(hass):
            if SpendingOptions.from_options(entry.options).llm_any_number:
                return _Target(entry, [number], [])
        raise invalid("assist_number_not_allowed")
    raise invalid("assist_unknown_recipient", name=name)


class SendTextTool(Tool):
    """Texts a saved recipient or a contact group by name."""

    name = f"{DOMAIN}__send_text"
    title = "Send a text message"
    annotations = ToolAnnotations(destructive=False, idempotent=False)
    integration = DOMAIN

    def __init__(self, names: list[str], any_number: bool) -> None:
        """Describe the tool with the names it knows."""
        known = ", ".join(names) or "none"
        self.description = (
            "Sends an SMS (text message) with TextBoost to a saved recipient or "
            f"a contact group, by its name. Known names: {known}."
            + (
                " A phone number with country code is accepted too."
                if any_number
                else " Phone numbers are not accepted: only these names."
            )
            + " Each message costs money."
        )
        self.parameters = probatio.Schema(
            {
                probatio.Required(
                    "to", description="The name of the recipient or contact group."
                ): str,
                probatio.Required("message", description="The text to send."): str,
            }
        )

    async def async_call(
        self, hass: HomeAssistant, tool_input: ToolInput, llm_context: LLMContext
    ) -> ToolResult:
        """Send; report the recipients and their state, or the translated error."""
        args = tool_input.tool_args
        try:
            target = _find(hass, str(args["to"]))
            outcome = await async_send(
                hass,
                target.entry,
                SendRequest(
                    kind="sms",
                    recipients=list(target.numbers),
                    groups=target.groups,
                    message=str(args["message"]),
                ),
            )
        except HomeAssistantError as err:
            return ToolResult(data={"error": str(err)}, error=True)
        except TextBoostError as err:
            return _failed(hass, target.entry, err)
        if (error := send_error(outcome)) is not None:
            if outcome.failure is not None:
                return _failed(hass, target.entry, outcome.failure, sending=True)
            return ToolResult(data={"error": str(error)}, error=True)
        return ToolResult(
            data={
                "sent_to": str(args["to"]),
                "recipients": len(outcome.recipients),
                "states": sorted({str(r.state) for r in outcome.recipients}),
            }
        )


class ReadMessagesTool(Tool):
    """The newest incoming messages."""

    name = f"{DOMAIN}__read_messages"
    title = "Read incoming text messages"
    description = (
        "Reads the newest text messages (SMS) received by the TextBoost "
        "accounts, newest first, with the sender's saved name when known."
    )
    annotations = ToolAnnotations(read_only=True, destructive=False, idempotent=True)
    integration = DOMAIN
    parameters = probatio.Schema(
        {
            probatio.Optional(
                "count", default=5, description="How many messages (1 to 20)."
            ): probatio.All(int, probatio.Range(min=1, max=MAX_READ)),
        }
    )

    async def async_call(
        self, hass: HomeAssistant, tool_input: ToolInput, llm_context: LLMContext
    ) -> ToolResult:
        """List them: from, name, text and when, newest first."""
        count = int(tool_input.tool_args.get("count", 5))
        messages: list[dict[str, Any]] = []
        for entry in [entry for entry in _entries(hass) if _receiving(entry)]:
            names = {phone: title for title, phone in _recipients(entry).items()}
            try:
                async for message in entry.runtime_data.client.iter_messages_since(
                    None, direction="incoming"
                ):
                    messages.append(
                        {
                            "from": message.sender,
                            "name": names.get(message.sender),
                            "text": message.message,
                            "received_at": message.sent_at.isoformat()
                            if message.sent_at
                            else None,
                        }
                    )
                    if len(messages) >= count:
                        break
            except TextBoostError as err:
                return _failed(hass, entry, err)
        messages.sort(key=lambda m: m["received_at"] or "", reverse=True)
        return ToolResult(data={"messages": messages[:count]})


class BalanceTool(Tool):
    """The balance of each account."""

    name = f"{DOMAIN}__get_balance"
    title = "Get the text message balance"
    description = (
        "Tells the balance left on each TextBoost SMS account, and when the plan "
        "expires."
    )
    annotations = ToolAnnotations(read_only=True, destructive=False, idempotent=True)
    integration = DOMAIN

    async def async_call(
        self, hass: HomeAssistant, tool_input: ToolInput, llm_context: LLMContext
    ) -> ToolResult:
        """Read each account's balance now."""
        accounts: list[dict[str, Any]] = []
        for entry in _entries(hass):
            try:
                balance = await entry.runtime_data.client.balance()
            except TextBoostError as err:
                return _failed(hass, entry, err)
            accounts.append(
                {
                    "account": entry.title,
                    "balance": None
                    if balance.amount is None
                    else float(balance.amount),
                    "unlimited": balance.unlimited,
                    "unit": entry.runtime_data.guard.options.unit,
                    "expires": balance.expires_local.isoformat()
                    if balance.expires_local
                    else None,
                }
            )
        return ToolResult(data={"accounts": accounts})


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """The tools for the Assist API, while an account is loaded."""
    entries = _entries(hass)
    if api_id != LLM_API_ASSIST or not entries:
        return None
    names = [name for entry in entries for name in _recipients(entry)]
    names += [group for entry in entries for group in _group_names(entry)]
    any_number = any(
        SpendingOptions.from_options(entry.options).llm_any_number for entry in entries
    )
    tools: list[Tool] = [SendTextTool(names, any_number), BalanceTool()]
    if any(_receiving(entry) for entry in entries):
        tools.append(ReadMessagesTool())
    return LLMTools(tools=tools)
