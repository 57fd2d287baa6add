"""`Sandbox`: the one object tests hold, a thin facade over the sandbox's parts.

- the account data: `state` (`SandboxState`), changed freely by tests;
- switches that pick a server version or behaviour (`balance_shape`,
  `contact_shape`, `delivery_delay`, `rate_limit`, ...);
- the request log (`requests`, `requests_to`, `wait_for_request`);
- incoming messages (`receive_sms`) and the webhook they are posted to;
- fault injection (`inject`, `inject_response`), see `sandbox.faults`;
- the server life cycle (`start`, `close`, `refuse_connections`, ...), see
  `sandbox.server`; requests are answered by `sandbox.pipeline`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from . import control, delivery, incoming
from .const import DEFAULT_SENDER, DEFAULT_TOKEN, RATE_LIMIT, ListOrder
from .faults import CannedResponse, Fault, FaultQueue
from .pipeline import Pipeline
from .requestlog import LoggedRequest, RequestLog
from .server import Server
from .state import BalanceShape, ContactShape, Message, ReportShape, SandboxState
from .webhook import WebhookEncoding, WebhookPost


class Sandbox:
    """A TextBoost SMS server on loopback, and the switches tests steer it with.

    Attributes:
        token: the only API token accepted.
        state: the account data (`SandboxState`); tests may change it freely.
        balance_shape: which key `GET balance` uses.
        contact_shape: "old" (`first_name`/`last_name`) or "new" (`custom_fields`).
        report_shape: `GET sms/{uid}` as "old" (`customer_status`) or "new"
            (3.13: `status`, `sms_type`, `direction`, `sms_count`) servers send it.
        delivery_delay: seconds (time.monotonic) before a sent message is final.
        slow_seconds: how long the SLOW fault holds a response back.
        latency: seconds every API answer is held back (0: none), e.g. 0.05 to
            play a distant server in a benchmark; `close()` releases it.
        retry_after: `Retry-After` value of the HTTP_429 fault (None: no header).
        rate_limit: requests allowed per rolling minute (1000 like the server).
        list_order: "newest" (current servers) or "oldest" (older ones) first
            in `GET sms`.
        list_filters: False plays an older server that ignores the `GET sms`
            filters and the 30-day default on `api/v3`.
        list_rows: "old" plays an older server whose `api/v3` `GET sms` rows
            lack `sms_type`, `direction`, `sent_at` and `sms_count` ("new",
            the default: every row has them).
        sender_id_verification: the account verifies sender IDs: a send needs
            one of `approved_sender_ids` or a number in `state.numbers`.
        approved_sender_ids: sender IDs approved for the account.
        webhook_url: where incoming messages are posted (None: nowhere); its
            last path segment is the secret webhook id.
        webhook_encoding: "json" or "form".
        webhook_posts: every webhook POST made, URL masked, with its outcome.

    """

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        """Create a sandbox accepting `token`; call `start()` to serve it."""
        self.token = token
        self.state = SandboxState()
        self.balance_shape = BalanceShape.REMAINING_BALANCE
        self.contact_shape: ContactShape = "old"
        self.report_shape: ReportShape = "old"
        self.delivery_delay = 1.0
        self.slow_seconds = 15.0
        self.latency = 0.0
        self.retry_after: int | None = 7
        self.rate_limit = RATE_LIMIT
        self.list_order: ListOrder = "newest"
        self.list_filters = True
        self.list_rows: ReportShape = "new"
        self.sender_id_verification = False
        self.approved_sender_ids: set[str] = set()
        self.webhook_url: str | None = None
        self.webhook_encoding: WebhookEncoding = "json"
        self.webhook_posts: list[WebhookPost] = []
        self._faults = FaultQueue()
        self._log = RequestLog()
        closing = asyncio.Event()
        pipeline = Pipeline(self, self._faults, self._log, closing)
        self._server = Server(pipeline.answer, closing)

    # ------------------------------------------------------------ life cycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on `host`:`port` (port 0 picks a free port)."""
        await self._server.start(host, port)

    async def close(self) -> None:
        """Stop serving; held (SLOW) responses are released at once."""
        await self._server.close()

    async def refuse_connections(self) -> None:
        """Stop listening: new connections are refused until `accept_connections`.

        Idle keep-alive connections are dropped too, so a client cannot slip
        through on a pooled connection; busy ones close once they answered.
        """
        await self._server.refuse_connections()

    async def accept_connections(self) -> None:
        """Listen again, on the same port as before."""
        await self._server.accept_connections()

    @property
    def root_url(self) -> str:
        """The server root, e.g. "http://127.0.0.1:8765"."""
        return self._server.root_url

    @property
    def base_url(self) -> str:
        """The `api/v3` base URL, e.g. "http://127.0.0.1:8765/api/v3/"."""
        return f"{self.root_url}/api/v3/"

    @property
    def http_base_url(self) -> str:
        """The `api/http` base URL, e.g. "http://127.0.0.1:8765/api/http/"."""
        return f"{self.root_url}/api/http/"

    # ---------------------------------------------------------------- faults

    def inject(self, fault: Fault, count: int = 1, *, path: str | None = None) -> None:
        """Apply `fault` to the next `count` requests (only those for `path`)."""
        self._faults.add(fault, count, path=path)

    def inject_response(
        self,
        status: int,
        body: bytes,
        content_type: str,
        count: int = 1,
        *,
        path: str | None = None,
    ) -> None:
        """Answer the next `count` requests (for `path`) with this exact response."""
        canned = CannedResponse(status, body, content_type)
        self._faults.add(Fault.CANNED_RESPONSE, count, path=path, canned=canned)

    def clear_faults(self) -> None:
        """Forget every fault not yet consumed."""
        self._faults.clear()

    @property
    def pending_faults(self) -> int:
        """How many requests the injected faults will still spoil."""
        return len(self._faults)

    # ----------------------------------------------------------- request log

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request that reached the server, in order, token redacted."""
        return self._log.entries

    def requests_to(self, path: str, method: str | None = None) -> list[LoggedRequest]:
        """Return the logged requests for `path` (e.g. "sms/send"), maybe by method."""
        return self._log.to(path, method)

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._log.entries.clear()

    async def wait_for_request(
        self, path: str | None = None, *, count: int = 1
    ) -> LoggedRequest:
        """Wait until `count` requests (for `path`, if given) reached the server.

        Returns the `count`-th of them. Handy while a SLOW response is held
        back; wrap it in `asyncio.timeout()` to bound the wait.
        """
        return await self._log.wait_for(path, count)

    # -------------------------------------------------------- account data

    def now(self) -> datetime:
        """Return the current naive time in the account's time zone."""
        return delivery.account_now(self.state)

    def add_group(self, name: str, contacts: int = 0) -> str:
        """Create a group with `contacts` generated contacts; return its uid."""
        return control.add_group(self.state, name, contacts)

    def add_contact(
        self,
        group_uid: str,
        phone: str,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> str:
        """Add a contact to a group (KeyError if it is unknown); return its uid."""
        return control.add_contact(self.state, group_uid, phone, first_name, last_name)

    def add_message(
        self,
        to: str,
        message: str,
        *,
        status: str = "Delivered",
        sender: str = DEFAULT_SENDER,
        sent_at: datetime | None = None,
    ) -> str:
        """Store a message as if it had been sent earlier; return its uid."""
        return control.add_message(
            self.state, to, message, status=status, sender=sender, sent_at=sent_at
        )

    async def receive_sms(
        self,
        sender: str,
        text: str,
        *,
        to: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """Play a text from `sender` to the account; return the report's uid.

        The report has direction "incoming" and is listed by `GET sms`; `to`
        defaults to the account's first number (`state.numbers`), `at` (aware)
        to now. When `webhook_url` is set it is POSTed there once, and the
        outcome is appended to `webhook_posts` (a failure is not raised).
        """
        msg, _ = await incoming.receive(self, sender, text, to=to, at=at)
        return msg.uid

    def sent_messages(self) -> list[Message]:
        """Return every stored message, oldest first, with up-to-date statuses."""
        delivery.advance(self.state, self.delivery_delay)
        return list(self.state.messages)

    def complete_deliveries(self) -> None:
        """Make every message that has left (not those still scheduled) final now."""
        delivery.complete_deliveries(self.state, self.delivery_delay)
