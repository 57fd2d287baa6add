from homeassistant.core import HomeAssistant


async def test_setup(hass: HomeAssistant, init_integration) -> None:
    state = hass.states.get("sensor.ada_lovelace_balance")
    assert state is not None
    assert state.state == "1234.50"
