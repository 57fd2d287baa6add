"""The ``spending`` options of an entry and small helpers of the guard rails.

The options section (``SPENDING_SCHEMA``, read with ``SpendingOptions``), how
an amount and a number are shown, and which automation or script a send runs
in. The guard rails themselves are in guard_rails.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
)
from homeassistant.helpers.trace import trace_id_get
import voluptuous as vol

from .const import (
    CONF_DAILY_CAP,
    CONF_LLM_ANY_NUMBER,
    CONF_LOOP_MAX,
    CONF_LOOP_WINDOW,
    CONF_SPEND_UNIT,
    CONF_SPENDING,
    DEFAULT_LOOP_WINDOW,
)

SPENDING_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_DAILY_CAP, default=0): NumberSelector(
            NumberSelectorConfig(
                min=0, max=1_000_000, step="any", mode=NumberSelectorMode.BOX
            )
        ),
        vol.Optional(CONF_SPEND_UNIT, default=""): TextSelector(),
        vol.Optional(CONF_LOOP_MAX, default=0): vol.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=0, max=1000, step=1, mode=NumberSelectorMode.BOX
                )
            ),
            vol.Coerce(int),
        ),
        vol.Optional(CONF_LOOP_WINDOW, default=DEFAULT_LOOP_WINDOW): vol.All(
            NumberSelector(
                NumberSelectorConfig(
                    min=1,
                    max=1440,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement="min",
                )
            ),
            vol.Coerce(int),
        ),
        vol.Optional(CONF_LLM_ANY_NUMBER, default=False): BooleanSelector(),
    }
)


@dataclass(frozen=True, slots=True)
class SpendingOptions:
    """The ``spending`` section of the options, read with defaults."""

    daily_cap: Decimal | None
    unit: str | None
    loop_max: int | None
    loop_window: timedelta
    llm_any_number: bool

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> SpendingOptions:
        """Read the section; zero or empty turns a guard rail off."""
        section: Mapping[str, Any] = options.get(CONF_SPENDING) or {}
        cap = Decimal(str(section.get(CONF_DAILY_CAP) or 0))
        loop_max = int(section.get(CONF_LOOP_MAX) or 0)
        return cls(
            daily_cap=cap if cap > 0 else None,
            unit=str(section.get(CONF_SPEND_UNIT) or "").strip() or None,
            loop_max=loop_max if loop_max > 0 else None,
            loop_window=timedelta(
                minutes=int(section.get(CONF_LOOP_WINDOW) or DEFAULT_LOOP_WINDOW)
            ),
            llm_any_number=bool(section.get(CONF_LLM_ANY_NUMBER, False)),
        )


def decimal_or_none(value: Any) -> Decimal | None:
    """A stored amount back as a Decimal; None stays None."""
    return Decimal(str(value)) if value is not None else None


def shown_amount(amount: Decimal) -> str:
    """An amount without trailing zeros: 0.10 as 0.1, 2.00 as 2."""
    return f"{amount.normalize():f}"


def sender_name(hass: HomeAssistant) -> str | None:
    """The automation or script this send runs in, by its friendly name.

    Read from the trace context Home Assistant sets while an automation or a
    script runs (key ``automation.<id>`` or ``script.<object id>``). None
    outside of them (a call from the UI or the API).
    """
    trace = trace_id_get()
    if trace is None:
        return None
    domain, _, item_id = trace[0].partition(".")
    entity_id: str | None = f"{domain}.{item_id}"
    if domain == "automation":
        entity_id = er.async_get(hass).async_get_entity_id(domain, domain, item_id)
    state = hass.states.get(entity_id) if entity_id else None
    return f"{state.name} ({state.entity_id})" if state else None
