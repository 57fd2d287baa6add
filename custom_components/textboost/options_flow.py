"""Options flow: defaults for sending, spending, receiving and the webhook's URL."""

from __future__ import annotations

from typing import Any, Final, Literal

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
import voluptuous as vol

from .api import VOICE_LANGUAGES, VoiceGender, normalize_sender_id
from .const import (
    ACCEPT_ANYONE,
    ACCEPT_KNOWN,
    CONF_LOW_BALANCE,
    CONF_MAX_SEGMENTS,
    CONF_QUEUE_TTL,
    CONF_RECEIVE_ACCEPT_FROM,
    CONF_RECEIVE_KEYWORDS,
    CONF_RECEIVE_MODE,
    CONF_RECEIVE_POLL_INTERVAL,
    CONF_RECEIVE_VERIFY,
    CONF_RECEIVING,
    CONF_SCAN_INTERVAL,
    CONF_SENDER_ID,
    CONF_SPENDING,
    CONF_VOICE_GENDER,
    CONF_VOICE_LANGUAGE,
    CONF_WEBHOOK_ID,
    DEFAULT_LOW_BALANCE,
    DEFAULT_MAX_SEGMENTS,
    DEFAULT_QUEUE_TTL,
    DEFAULT_RECEIVE_POLL_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_VOICE_GENDER,
    DEFAULT_VOICE_LANGUAGE,
    MIN_SCAN_INTERVAL,
    RECEIVE_BOTH,
    RECEIVE_MODES,
    RECEIVE_OFF,
    RECEIVE_WEBHOOK,
)
from .data import TextBoostConfigEntry
from .receiving import webhook_url
from .spending import SPENDING_SCHEMA


def _number(
    minimum: float, maximum: float, step: float | Literal["any"], unit: str = ""
) -> NumberSelector:
    config = NumberSelectorConfig(
        min=minimum, max=maximum, step=step, mode=NumberSelectorMode.BOX
    )
    if unit:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_SENDER_ID): TextSelector(),
        vol.Required(
            CONF_VOICE_LANGUAGE, default=DEFAULT_VOICE_LANGUAGE
        ): SelectSelector(
            SelectSelectorConfig(
                options=list(VOICE_LANGUAGES),
                mode=SelectSelectorMode.DROPDOWN,
                translation_key="voice_language",
            )
        ),
        vol.Required(CONF_VOICE_GENDER, default=DEFAULT_VOICE_GENDER): SelectSelector(
            SelectSelectorConfig(
                options=[g.value for g in VoiceGender],
                translation_key="voice_gender",
            )
        ),
        vol.Required(CONF_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL): vol.All(
            _number(MIN_SCAN_INTERVAL, 1440, 1, "min"), vol.Coerce(int)
        ),
        vol.Required(CONF_LOW_BALANCE, default=DEFAULT_LOW_BALANCE): _number(
            0, 1_000_000, "any"
        ),
        vol.Required(CONF_MAX_SEGMENTS, default=DEFAULT_MAX_SEGMENTS): vol.All(
            _number(1, 20, 1), vol.Coerce(int)
        ),
        vol.Required(CONF_QUEUE_TTL, default=DEFAULT_QUEUE_TTL): vol.All(
            _number(1, 1440, 1, "min"), vol.Coerce(int)
        ),
        # Spending and guard rails (guard_rails.py), in their own section.
        vol.Optional(CONF_SPENDING): section(SPENDING_SCHEMA, {"collapsed": True}),
    }
)


CONF_REGENERATE: Final = "regenerate"


def _receiving() -> section:
    """The receiving options, collapsed (built for each form, as sections are)."""
    return section(
        vol.Schema(
            {
                vol.Required(CONF_RECEIVE_MODE, default=RECEIVE_OFF): SelectSelector(
                    SelectSelectorConfig(
                        options=list(RECEIVE_MODES),
                        translation_key="receive_mode",
                    )
                ),
                vol.Required(CONF_RECEIVE_VERIFY, default=True): BooleanSelector(),
                vol.Required(
                    CONF_RECEIVE_POLL_INTERVAL, default=DEFAULT_RECEIVE_POLL_INTERVAL
                ): vol.All(_number(1, 1440, 1, "min"), vol.Coerce(int)),
                vol.Optional(CONF_RECEIVE_KEYWORDS, default=list): TextSelector(
                    TextSelectorConfig(multiple=True)
                ),
                vol.Required(
                    CONF_RECEIVE_ACCEPT_FROM, default=ACCEPT_ANYONE
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=[ACCEPT_ANYONE, ACCEPT_KNOWN],
                        translation_key="receive_accept_from",
                    )
                ),
            }
        ),
        {"collapsed": True},
    )


def _keywords(receiving: dict[str, Any]) -> list[str]:
    """The keywords as typed, without blanks and repeats (ignoring case)."""
    words: list[str] = []
    for raw in receiving.get(CONF_RECEIVE_KEYWORDS, []):
        word = str(raw).strip()
        if word and word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
    return words


def _receiving_errors(user_input: dict[str, Any], errors: dict[str, str]) -> bool:
    """A keyword is one word: the first word of a text is compared with it."""
    receiving = user_input.get(CONF_RECEIVING, {})
    if any(len(word.split()) > 1 for word in _keywords(receiving)):
        errors[CONF_RECEIVING] = "invalid_keyword"
    return bool(errors)


class TextBoostOptionsFlow(OptionsFlow):
    """Defaults for sending, and how the account is watched."""

    config_entry: TextBoostConfigEntry

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and check the options."""
        errors: dict[str, str] = {}
        if user_input is not None:
            typed = (user_input.get(CONF_SENDER_ID) or "").strip()
            sender = normalize_sender_id(typed) if typed else None
            if typed and sender is None:
                errors[CONF_SENDER_ID] = "invalid_sender_id"
            elif not _receiving_errors(user_input, errors):
                options = {k: v for k, v in user_input.items() if k != CONF_SENDER_ID}
                if sender:
                    options[CONF_SENDER_ID] = sender
                return await self._async_receiving_done(options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA.extend(
                    {vol.Optional(CONF_RECEIVING, default=dict): _receiving()}
                ),
                user_input or {CONF_RECEIVING: {}, **self.config_entry.options},
            ),
            errors=errors,
        )

    # Receiving messages: a section of the form above, then the webhook's URL.

    async def _async_receiving_done(self, options: dict[str, Any]) -> ConfigFlowResult:
        """Keep the webhook id; show the URL when messages come by webhook."""
        receiving = options.pop(CONF_RECEIVING, {})
        receiving[CONF_RECEIVE_KEYWORDS] = _keywords(receiving)
        if receiving != _receiving()({}):
            options[CONF_RECEIVING] = receiving  # only what differs from off
        if webhook_id := self.config_entry.options.get(CONF_WEBHOOK_ID):
            options[CONF_WEBHOOK_ID] = webhook_id
        if receiving.get(CONF_RECEIVE_MODE) not in (RECEIVE_WEBHOOK, RECEIVE_BOTH):
            return self.async_create_entry(data=options)
        options.setdefault(CONF_WEBHOOK_ID, webhook.async_generate_id())
        self._options = options  # what the webhook step saves
        return await self.async_step_receive_webhook()

    async def async_step_receive_webhook(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the URL to paste into TextBoost; make a new one on request."""
        if user_input is not None:
            if not user_input.get(CONF_REGENERATE):
                return self.async_create_entry(data=self._options)
            self._options[CONF_WEBHOOK_ID] = webhook.async_generate_id()
        webhook_id = self._options[CONF_WEBHOOK_ID]
        return self.async_show_form(
            step_id="receive_webhook",
            data_schema=vol.Schema(
                {vol.Required(CONF_REGENERATE, default=False): BooleanSelector()}
            ),
            description_placeholders={
                "url": webhook_url(self.hass, webhook_id)
                or webhook.async_generate_path(webhook_id)
            },
        )
