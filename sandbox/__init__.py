"""A local TextBoost-SMS-compatible HTTP server for tests and demos.

It implements the wire independently of the integration's client, so it can
catch the client's mistakes. Start one with `Sandbox().start()`, or use the
`sandbox` pytest fixture from `sandbox.pytest_plugin`.
"""

from .const import DEFAULT_TOKEN
from .facade import Sandbox
from .faults import Fault
from .requestlog import LoggedRequest
from .state import BalanceShape

__all__ = ["DEFAULT_TOKEN", "BalanceShape", "Fault", "LoggedRequest", "Sandbox"]
