"""Config flow: account set-up, reauth, reconfigure and recipients (options: options_flow.py)."""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_API_TOKEN, CONF_NAME
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util import slugify
import voluptuous as vol

from .api import (
    AuthenticationFailed,
    InvalidBaseUrl,
    InvalidResponse,
    Profile,
    RequestRejected,
    ServiceUnavailable,
    TextBoostClient,
    TextBoostError,
    normalize_base_url,
    normalize_phone,
    normalize_sender_id,
)
from .const import (
    CONF_ADVANCED,
    CONF_BASE_URL,
    CONF_NOTIFY_SERVICE,
    CONF_PHONE,
    CONF_SENDER_ID,
    DEFAULT_BASE_URL,
    DEFAULT_NOTIFY_SERVICE,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from .data import TextBoostConfigEntry
from .options_flow import TextBoostOptionsFlow

_LOGGER = logging.getLogger(__name__)

_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))


def _user_schema() -> vol.Schema:
    """The token, and the API address in a collapsed section.

    Built for each form: filling in suggested values changes a section in place.
    """
    return vol.Schema(
        {
            vol.Required(CONF_API_TOKEN): _PASSWORD,
            vol.Optional(CONF_SENDER_ID): TextSelector(),
            vol.Required(CONF_ADVANCED): section(
                vol.Schema(
                    {vol.Required(CONF_BASE_URL, default=DEFAULT_BASE_URL): _URL}
                ),
                {"collapsed": True},
            ),
        }
    )


REAUTH_SCHEMA = vol.Schema({vol.Required(CONF_API_TOKEN): _PASSWORD})
#: The token is optional: left empty, the entry keeps the one it has.
RECONFIGURE_SCHEMA = vol.Schema(
    {vol.Required(CONF_BASE_URL): _URL, vol.Optional(CONF_API_TOKEN): _PASSWORD}
)


class TextBoostConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a TextBoost account."""

    VERSION = 1
    MINOR_VERSION = 1

    async def _validate(
        self, token: str, base_url: str, errors: dict[str, str]
    ) -> tuple[Profile, str] | None:
        """Check the token against the server; fill ``errors`` on failure."""
        try:
            url = normalize_base_url(base_url)
        except InvalidBaseUrl:
            errors["base"] = "invalid_url"
            return None
        client = TextBoostClient(async_get_clientsession(self.hass), token, url)
        try:
            profile = await client.me()
            await client.balance()
        except (AuthenticationFailed, RequestRejected):
            errors["base"] = "invalid_auth"
        except ServiceUnavailable:
            # HTTP 5xx, HTML or not: an outage at a right address
            errors["base"] = "service_unavailable"
        except InvalidResponse:
            # an answer that is not the envelope: a web page, not the API
            errors["base"] = "not_the_api"
        except TextBoostError:
            errors["base"] = "cannot_connect"
        except Exception:
            _LOGGER.exception("Unexpected error while checking the TextBoost account")
            errors["base"] = "unknown"
        else:
            return profile, url
        return None

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the token, the default sender ID and (collapsed) the API address.

        The sender ID is optional: the server needs one only when the account
        verifies sender IDs (WIRE-NOTES, "Sending rules"). It is saved as the
        option "Default sender ID".
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            token = user_input[CONF_API_TOKEN].strip()
            base_url = user_input[CONF_ADVANCED][CONF_BASE_URL]
            typed = (user_input.get(CONF_SENDER_ID) or "").strip()
            sender = normalize_sender_id(typed) if typed else None
            if typed and sender is None:
                errors[CONF_SENDER_ID] = "invalid_sender_id"
            elif checked := await self._validate(token, base_url, errors):
                profile, url = checked
                await self.async_set_unique_id(profile.uid)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=profile.name or profile.email or profile.uid,
                    data={
                        CONF_API_TOKEN: token,
                        CONF_BASE_URL: url,
                        CONF_NOTIFY_SERVICE: self._notify_service_name(profile),
                    },
                    options={CONF_SENDER_ID: sender} if sender else {},
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(_user_schema(), user_input),
            errors=errors,
        )

    def _notify_service_name(self, profile: Profile) -> str:
        """``textboost_sms`` for the first account, then one named after each.

        Two accounts of the same name are told apart by their uid.
        """
        taken = {e.data.get(CONF_NOTIFY_SERVICE) for e in self._async_current_entries()}
        candidates = [
            DEFAULT_NOTIFY_SERVICE,
            f"{DEFAULT_NOTIFY_SERVICE}_{slugify(profile.name or profile.uid)}",
        ]
        return next(
            (name for name in candidates if name not in taken),
            f"{DEFAULT_NOTIFY_SERVICE}_{slugify(profile.uid)}",
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The token was refused: ask for a new one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take a new token for the same account."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            token = user_input[CONF_API_TOKEN].strip()
            if checked := await self._validate(
                token, entry.data[CONF_BASE_URL], errors
            ):
                await self.async_set_unique_id(checked[0].uid)
                self._abort_if_unique_id_mismatch(reason="account_mismatch")
                return self._update_and_abort(
                    entry, {**entry.data, CONF_API_TOKEN: token}, "reauth_successful"
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMA,
            errors=errors,
            description_placeholders={"account": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the API address, and the token if one is given, of the same account."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            token = (user_input.get(CONF_API_TOKEN) or "").strip() or entry.data[
                CONF_API_TOKEN
            ]
            if checked := await self._validate(
                token, user_input[CONF_BASE_URL], errors
            ):
                profile, url = checked
                await self.async_set_unique_id(profile.uid)
                self._abort_if_unique_id_mismatch(reason="account_mismatch")
                return self._update_and_abort(
                    entry,
                    {**entry.data, CONF_API_TOKEN: token, CONF_BASE_URL: url},
                    "reconfigure_successful",
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_SCHEMA,
                user_input or {CONF_BASE_URL: entry.data[CONF_BASE_URL]},
            ),
            errors=errors,
        )

    def _update_and_abort(
        self, entry: TextBoostConfigEntry, data: dict[str, Any], reason: str
    ) -> ConfigFlowResult:
        """Save the new data and reload the entry once.

        A loaded entry whose data changed is reloaded by its update listener.
        Otherwise no listener fires: an entry that is not loaded (its token
        failed at start-up) has none, and an unchanged entry (the same token
        entered again after a refresh stopped on an authentication failure)
        notifies none. Those are reloaded here.
        """
        was_loaded = entry.state is ConfigEntryState.LOADED
        changed = self.hass.config_entries.async_update_entry(entry, data=data)
        if not (changed and was_loaded):
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: TextBoostConfigEntry,
    ) -> TextBoostOptionsFlow:
        """Options of an account."""
        return TextBoostOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: TextBoostConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Saved recipients, each a notify entity."""
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlow}


class RecipientSubentryFlow(ConfigSubentryFlow):
    """Save a person's number; each becomes a notify entity."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for a name and a phone number."""
        errors: dict[str, str] = {}
        if user_input is not None:
            number = normalize_phone(user_input[CONF_PHONE])
            if number is None:
                errors[CONF_PHONE] = "invalid_phone"
            else:
                entry = self._get_entry()
                if any(sub.unique_id == number for sub in entry.subentries.values()):
                    return self.async_abort(reason="already_configured")
                return self.async_create_entry(
                    title=user_input[CONF_NAME].strip() or number,
                    data={CONF_PHONE: number},
                    unique_id=number,
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(
                    {
                        vol.Required(CONF_NAME): TextSelector(),
                        vol.Required(CONF_PHONE): TextSelector(
                            TextSelectorConfig(type=TextSelectorType.TEL)
                        ),
                    }
                ),
                user_input,
            ),
            errors=errors,
        )
