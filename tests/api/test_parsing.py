"""Numbers and dates the server formats for display are read defensively."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import example, given, settings, strategies as st
import pytest

from custom_components.textboost.api import (
    Balance,
    InvalidResponse,
    parse_amount,
    parse_balance_value,
)
from custom_components.textboost.api.parsing import (
    UNLIMITED,
    parse_count,
    parse_expiry,
    parse_optional_amount,
    parse_sent_at,
)

PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("shown", "amount"),
    [
        ("9,99,999", Decimal("999999")),
        ("1,234.50", Decimal("1234.50")),
        ("$1,234.50", Decimal("1234.50")),
        ("€ 1.234,50", Decimal("1234.50")),
        ("1 234,50", Decimal("1234.50")),
        ("1.234.567", Decimal("1234567")),
        ("1,234", Decimal("1234")),
        ("12,5", Decimal("12.5")),
        ("0.05", Decimal("0.05")),
        (".5", Decimal("0.5")),
        ("-3.20", Decimal("-3.20")),
        ("USD 10", Decimal("10")),
        ("10 EUR", Decimal("10")),
        ("Rs. 9,99,999.50", Decimal("999999.50")),
        ("Tk. 1,234.50", Decimal("1234.50")),
        ("1,234.50 Tk.", Decimal("1234.50")),
        (1234, Decimal("1234")),
        (12.5, Decimal("12.5")),
    ],
)
def test_parse_amount_reads_display_formats(shown: object, amount: Decimal) -> None:
    assert parse_amount(shown) == amount


@pytest.mark.parametrize(
    "shown",
    [
        "",
        "n/a",
        "-",
        "1-2",
        "1.2,3.4",
        True,
        None,
        [1],
        {"amount": 1},
        float("nan"),
        float("inf"),
    ],
)
def test_parse_amount_refuses_what_is_not_a_number(shown: object) -> None:
    with pytest.raises(InvalidResponse):
        parse_amount(shown)


@pytest.mark.parametrize("shown", ["Unlimited", "unlimited", "UNLIMITED SMS"])
def test_parse_balance_value_knows_unlimited(shown: str) -> None:
    assert parse_balance_value(shown) == UNLIMITED


def test_parse_balance_value_otherwise_parses_an_amount() -> None:
    assert parse_balance_value("1,234.50") == Decimal("1234.50")


@pytest.mark.parametrize(
    ("raw", "cost"), [(None, None), ("", None), ("0.05", Decimal("0.05"))]
)
def test_parse_optional_amount_treats_missing_as_none(
    raw: object, cost: Decimal | None
) -> None:
    assert parse_optional_amount(raw) == cost


@pytest.mark.parametrize(
    ("raw", "count"), [(None, None), ("", None), (True, None), (3, 3), (" 12 ", 12)]
)
def test_parse_count_reads_whole_numbers(raw: object, count: int | None) -> None:
    assert parse_count(raw) == count


@pytest.mark.parametrize(
    "raw", ["1.5", "two", 1.5, [], "²", pytest.param("9" * 5000, id="5000-digits")]
)
def test_parse_count_refuses_anything_else(raw: object) -> None:
    with pytest.raises(InvalidResponse):
        parse_count(raw)


@pytest.mark.parametrize(
    ("shown", "when"),
    [
        ("31 Dec 2026 11:59 PM", datetime(2026, 12, 31, 23, 59)),
        ("01 Jan 2027 12:05 AM", datetime(2027, 1, 1, 0, 5)),
        ("5 March 2027 9:00 AM", datetime(2027, 3, 5, 9, 0)),
        ("31  Dec 2026\t11:59 PM", datetime(2026, 12, 31, 23, 59)),
        ("31 Dec 2026", datetime(2026, 12, 31)),
        ("2026-12-31 23:59:30", datetime(2026, 12, 31, 23, 59, 30)),
        ("2026-12-31 23:59", datetime(2026, 12, 31, 23, 59)),
        ("2026-12-31T23:59:30", datetime(2026, 12, 31, 23, 59, 30)),
        ("2026-12-31", datetime(2026, 12, 31)),
    ],
)
def test_parse_expiry_reads_wall_time(shown: str, when: datetime) -> None:
    assert parse_expiry(shown) == when


@pytest.mark.parametrize("shown", [None, "", "   ", "never", 20261231, ["31 Dec 2026"]])
def test_parse_expiry_gives_none_when_there_is_no_date(shown: object) -> None:
    assert parse_expiry(shown) is None


# Balance payloads, one per server shape.


@pytest.mark.parametrize(
    ("payload", "amount", "unlimited", "source_key"),
    [
        ({"remaining_unit": "9,99,999"}, Decimal("999999"), False, "remaining_unit"),
        (
            {"remaining_balance": "$1,234.50"},
            Decimal("1234.50"),
            False,
            "remaining_balance",
        ),
        ({"sms_credit_balance": 250}, Decimal("250"), False, "sms_credit_balance"),
        ({"remaining_unit": "Unlimited"}, None, True, "remaining_unit"),
        (
            {"remaining_unit": None, "remaining_balance": "€ 1.234,50"},
            Decimal("1234.50"),
            False,
            "remaining_balance",
        ),
    ],
)
def test_balance_reads_each_shape(
    payload: dict[str, object],
    amount: Decimal | None,
    unlimited: bool,
    source_key: str,
) -> None:
    balance = Balance.from_api(payload)
    assert (balance.amount, balance.unlimited, balance.source_key) == (
        amount,
        unlimited,
        source_key,
    )


@pytest.mark.parametrize(
    ("expired_on", "expires_local"),
    [
        ("31 Dec 2026 11:59 PM", datetime(2026, 12, 31, 23, 59)),
        ("", None),
        (None, None),
    ],
)
def test_balance_reads_the_expiry_as_naive_wall_time(
    expired_on: str | None, expires_local: datetime | None
) -> None:
    balance = Balance.from_api({"remaining_unit": "5", "expired_on": expired_on})
    assert balance.expires_local == expires_local
    assert balance.expires_local is None or balance.expires_local.tzinfo is None


@pytest.mark.parametrize("payload", [{}, {"remaining_unit": None}, {"balance": "5"}])
def test_balance_without_a_known_key_is_invalid(payload: dict[str, object]) -> None:
    with pytest.raises(InvalidResponse, match="no known balance key"):
        Balance.from_api(payload)


# Properties.

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.text(alphabet="0123456789.,-+ $€£¥₹RsTk'Unlimited", max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@PROPERTY
@given(json_values)
@example("9" * 5000)
@example("1e999999")
@example("-")
@example(".,.,")
def test_parse_amount_raises_only_invalid_response(raw: object) -> None:
    try:
        amount = parse_amount(raw)
    except InvalidResponse:
        return
    assert isinstance(amount, Decimal)
    assert amount.is_finite()


@PROPERTY
@given(json_values)
def test_parse_balance_value_raises_only_invalid_response(raw: object) -> None:
    try:
        value = parse_balance_value(raw)
    except InvalidResponse:
        return
    assert value == UNLIMITED or isinstance(value, Decimal)


balance_payloads = st.dictionaries(
    st.sampled_from(
        ["remaining_unit", "remaining_balance", "sms_credit_balance", "expired_on"]
    )
    | st.text(max_size=8),
    json_values,
    max_size=5,
)


@PROPERTY
@given(balance_payloads)
@example({"remaining_unit": "5", "expired_on": "31 Dec 99999 11:59 PM"})
def test_balance_from_api_raises_only_invalid_response(
    payload: dict[str, object],
) -> None:
    try:
        balance = Balance.from_api(payload)
    except InvalidResponse:
        return
    assert balance.unlimited == (balance.amount is None)
    assert balance.expires_local is None or isinstance(balance.expires_local, datetime)


amounts = st.decimals(
    min_value=Decimal("-1e15"),
    max_value=Decimal("1e15"),
    allow_nan=False,
    allow_infinity=False,
    places=2,
)


def _indian(amount: Decimal) -> str:
    """Format like the Indian locale: 12,34,56,789.50."""
    sign = "-" if amount < 0 else ""
    whole, fraction = f"{abs(amount):.2f}".split(".")
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return sign + ",".join([*groups, tail]) + "." + fraction


def test_indian_grouping_helper() -> None:
    assert _indian(Decimal("999999")) == "9,99,999.00"
    assert _indian(Decimal("-123456789.5")) == "-12,34,56,789.50"
    assert _indian(Decimal("12")) == "12.00"


@PROPERTY
@given(amounts)
@example(Decimal("999999"))
@example(Decimal("0.01"))
@example(Decimal("-1234.5"))
def test_amount_formatted_with_thousands_separators_round_trips(
    amount: Decimal,
) -> None:
    assert parse_amount(f"{amount:,.2f}") == amount


@PROPERTY
@given(amounts)
def test_amount_formatted_with_indian_grouping_round_trips(amount: Decimal) -> None:
    assert parse_amount(_indian(amount)) == amount


@PROPERTY
@given(amounts, st.sampled_from(["$", "€ ", "Rs. ", "₹", "Tk. ", ""]))
def test_amount_with_a_currency_sign_round_trips(amount: Decimal, sign: str) -> None:
    assert parse_amount(f"{sign}{amount:,.2f}") == amount


# sent_at: an aware UTC instant, whichever way the server wrote it.


@pytest.mark.parametrize(
    ("shown", "when"),
    [
        # Laravel's serialisation of a date (current servers).
        ("2026-11-29T10:49:22.000000Z", datetime(2026, 11, 29, 10, 49, 22, tzinfo=UTC)),
        (
            "2026-11-29T10:49:22.062836Z",
            datetime(2026, 11, 29, 10, 49, 22, 62836, tzinfo=UTC),
        ),
        # ISO 8601 with an offset: the same instant, in UTC.
        ("2026-11-29T11:49:22+01:00", datetime(2026, 11, 29, 10, 49, 22, tzinfo=UTC)),
        ("2026-03-29T01:30:00-05:30", datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),
        # Y-m-d H:i:s without a zone is the server's zone, UTC.
        ("2026-11-29 10:49:22", datetime(2026, 11, 29, 10, 49, 22, tzinfo=UTC)),
        (" 2026-11-29 10:49:22 ", datetime(2026, 11, 29, 10, 49, 22, tzinfo=UTC)),
    ],
)
def test_parse_sent_at_reads_each_format_as_utc(shown: str, when: datetime) -> None:
    parsed = parse_sent_at(shown)

    assert parsed == when
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "shown", [None, "", "  ", "yesterday", "29/11/2026 10:49", 1764413362, ["x"]]
)
def test_parse_sent_at_gives_none_when_unreadable(shown: object) -> None:
    assert parse_sent_at(shown) is None


@PROPERTY
@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=-9, minutes=-30))]),
    )
)
def test_sent_at_round_trips_through_each_format(moment: datetime) -> None:
    utc = moment.astimezone(UTC)
    laravel = utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    wall = utc.strftime("%Y-%m-%d %H:%M:%S")

    assert parse_sent_at(laravel) == utc
    assert parse_sent_at(moment.isoformat()) == utc
    assert parse_sent_at(wall) == utc.replace(microsecond=0)
