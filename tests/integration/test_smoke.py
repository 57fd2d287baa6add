from homeassistant.core import HomeAssistant


async def test_setup(hass: HomeAssistant, init_integration) -> None:
    state = hass.states.get("sensor.ada_lovelace_balance")
    assert state is not None
    assert state.state == "1234.50"


async def test_send(hass: HomeAssistant, init_integration, account) -> None:
    account.add_group("Family", contacts=3)
    response = await hass.services.async_call(
        "textboost",
        "send_sms",
        {
            "recipients": ["+31 6 1234 5678", "0031612345679"],
            "message": "Hello",
            "groups": ["family"],
        },
        blocking=True,
        return_response=True,
    )
    await hass.services.async_call(
        "notify",
        "textboost_sms",
        {"message": "hi", "target": ["31612345678"]},
        blocking=True,
    )
