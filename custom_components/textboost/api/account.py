"""Account endpoints: ``GET me`` and ``GET balance``."""

from __future__ import annotations

from .models import Balance, Profile
from .transport import Transport, as_dict


class AccountEndpoints(Transport):
    """Who the token belongs to and what is left to spend."""

    async def me(self) -> Profile:
        """The account profile, from ``GET me``.

        The answer echoes the API token; it is dropped here and never kept
        (WIRE-NOTES "Endpoints"). ``Profile.timezone`` is the zone in which
        the server reads ``schedule_time``. Raises the client's exceptions;
        ``InvalidResponse`` when ``uid`` is missing.
        """
        data, _ = await self._request("GET", "me")
        return Profile.from_api(as_dict(data))

    async def balance(self) -> Balance:
        """The remaining balance and its expiry, from ``GET balance``.

        Accepts each known key (``remaining_balance``, ``remaining_unit``,
        ``sms_credit_balance``) and display strings such as ``"9,99,999"``,
        ``"$1,234.50"`` or ``"Unlimited"`` (WIRE-NOTES "Endpoints"). The
        amount is in the account's currency or units; ``expires_local`` is
        naive wall time in the account's zone. Raises the client's
        exceptions; ``InvalidResponse`` when no key is readable.
        """
        data, _ = await self._request("GET", "balance")
        return Balance.from_api(as_dict(data))
