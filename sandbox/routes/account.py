"""Account routes: `GET me` and `GET balance`.

`GET me` echoes the API token (WIRE-NOTES, endpoint table: "It echoes the API
token"), which is why the client must never log or store that field.
`GET balance` uses one of three keys and a display string (WIRE-NOTES,
`GET balance` row): `Sandbox.balance_shape` picks the key.
"""

from __future__ import annotations

from ..context import SandboxContext
from ..envelope import Reply, display_expiry, iso, success
from ..params import Call
from ..state import BalanceShape


def get_me(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`GET me`: the profile, with the token and the last access time."""
    profile = ctx.state.profile
    return success(
        {
            "uid": profile.uid,
            "api_token": ctx.token,
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "email": profile.email,
            "locale": profile.locale,
            "timezone": profile.timezone,
            "last_access_at": iso(profile.last_access_at),
        }
    )


def get_balance(ctx: SandboxContext, call: Call, args: dict[str, str]) -> Reply:
    """`GET balance`: the balance under `ctx.balance_shape`, and `expired_on`."""
    state = ctx.state
    value: str | int
    if state.balance_display is not None:
        value = state.balance_display
    elif state.unlimited:
        value = "Unlimited"
    elif ctx.balance_shape is BalanceShape.SMS_CREDIT_BALANCE:
        value = int(state.balance)
    else:
        value = f"{state.balance:,.2f}"
    return success(
        {
            str(ctx.balance_shape): value,
            "expired_on": display_expiry(state.expires_on),
        }
    )
