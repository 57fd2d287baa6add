"""The request pipeline: from an aiohttp request to the bytes sent back.

Order of events for every request, as on the real server:
0. paths under `/_sandbox/` go to the test-control API (`control_http`),
   unlogged and never faulted;
1. read the body and split the path into family and relative path;
2. consume an injected fault for that path, if any, and log the request
   (token redacted);
3. a fault that is "not processed" answers at once; otherwise route the call:
   unknown path → 404, wrong method → 405 (JSON envelope or HTML page,
   depending on `Accept`), then authentication (`api/v3`: bearer header;
   `api/http`: `api_token` parameter, WIRE-NOTES "Addresses and
   authentication"), then the rate limit, then the handler;
4. add the `X-RateLimit-*` headers, hold the answer back for `latency`
   seconds (plus `slow_seconds` for the SLOW fault; `close()` releases it),
   and let MALFORMED_JSON or DISCONNECT spoil it;
5. note the status and the body size sent in the request log.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime
import hmac

from aiohttp import web

from . import control_http
from .const import (
    BAD_CREDENTIALS,
    FAMILY_PREFIXES,
    NOT_ENOUGH_BALANCE,
    TOO_MANY_ATTEMPTS,
    UNAUTHENTICATED,
)
from .context import SandboxContext
from .envelope import ApiError, NotFoundError, Reply, error, html, json_reply
from .faults import PROCESSING_FAULTS, Fault, FaultHit, FaultQueue
from .params import Call, parse_body, split_path, wants_json
from .ratelimit import RateLimiter
from .requestlog import RequestLog
from .routes import ROUTES, Handler
from .webhook import webhook_id


class Pipeline:
    """Answers requests for one sandbox."""

    def __init__(
        self,
        ctx: SandboxContext,
        faults: FaultQueue,
        log: RequestLog,
        closing: asyncio.Event,
    ) -> None:
        """Answer for `ctx`, spoiled by `faults`, into `log`; `closing` ends SLOW."""
        self._ctx = ctx
        self._faults = faults
        self._log = log
        self._closing = closing
        self._limiter = RateLimiter()

    async def answer(self, request: web.Request) -> web.StreamResponse:
        """Answer one request (see the module docstring for the steps)."""
        if request.path.startswith(control_http.PREFIX):
            return await control_http.answer(self._ctx, request)
        raw = await request.read()
        family, path = split_path(request.path)
        query = dict(request.query)
        body = parse_body(raw, request.content_type)
        hit = self._faults.take(path)
        entry = self._log.record(
            request,
            token=self._ctx.token,
            webhook_id=webhook_id(self._ctx.webhook_url),
            family=family,
            path=path,
            query=query,
            body=body,
            fault=hit.fault if hit is not None else None,
        )
        if hit is not None and hit.fault not in PROCESSING_FAULTS:
            reply = self._fault_reply(hit)
        else:
            params = {**query, **body} if isinstance(body, dict) else dict(query)
            prefix = FAMILY_PREFIXES[family] if family is not None else "/"
            call = Call(
                method=request.method,
                family=family,
                path=path,
                route=request.path.lstrip("/"),
                params=params,
                headers=request.headers,
                wants_json=wants_json(request.headers.get("Accept", "")),
                base=f"{request.url.origin()}{prefix}",
            )
            reply = self._dispatch(call)
        reply.headers.update(self._limiter.headers(self._ctx.rate_limit))
        delay = self._ctx.latency
        if hit is not None and hit.fault is Fault.SLOW:
            delay += self._ctx.slow_seconds
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), delay)
        if hit is not None and hit.fault is Fault.MALFORMED_JSON:
            truncated = reply.body[: len(reply.body) // 2]
            reply = Reply(200, truncated, "application/json", reply.headers)
        elif hit is not None and hit.fault is Fault.DISCONNECT:
            entry.status, entry.response_size = reply.status, len(reply.body) // 2
            return await _send_partial(request, reply)
        entry.status, entry.response_size = reply.status, len(reply.body)
        return reply.response()

    def _fault_reply(self, hit: FaultHit) -> Reply:
        if hit.fault is Fault.HTTP_500_HTML:
            return html(500)
        if hit.fault is Fault.HTTP_429:
            reply = json_reply({"message": TOO_MANY_ATTEMPTS}, 429)
            if self._ctx.retry_after is not None:
                reply.headers["Retry-After"] = str(self._ctx.retry_after)
            return reply
        if hit.fault is Fault.TOO_MANY_ATTEMPTS:
            return error(TOO_MANY_ATTEMPTS)
        if hit.fault is Fault.UNAUTHENTICATED:
            return error(UNAUTHENTICATED)
        if hit.fault is Fault.INSUFFICIENT_BALANCE:
            return error(NOT_ENOUGH_BALANCE)
        canned = hit.canned
        assert canned is not None  # only CANNED_RESPONSE is left
        return Reply(canned.status, canned.body, canned.content_type)

    def _dispatch(self, call: Call) -> Reply:
        allowed: list[str] = []
        if call.family is not None:
            for route in ROUTES:
                match = route.pattern.fullmatch(call.path)
                if match is None:
                    continue
                if route.method == call.method:
                    return self._run(call, route.handler, match.groupdict())
                allowed.append(route.method)
        if allowed:
            if not call.wants_json:
                return html(405)
            supported = ", ".join(allowed)
            return error(
                f"The {call.method} method is not supported for route {call.route}. "
                f"Supported methods: {supported}.",
                405,
            )
        if not call.wants_json:
            return html(404)
        return error(f"The route {call.route} could not be found.", 404)

    def _run(self, call: Call, handler: Handler, args: dict[str, str]) -> Reply:
        denied = self._authenticate(call)
        if denied is not None:
            return denied
        if not self._limiter.take_slot(self._ctx.rate_limit):
            reply = error(TOO_MANY_ATTEMPTS) if call.wants_json else html(429)
            reply.headers["Retry-After"] = str(self._limiter.retry_after_seconds())
            return reply
        try:
            return handler(self._ctx, call, args)
        except NotFoundError as err:
            return error(err.message) if call.wants_json else html(404)
        except ApiError as err:
            return error(err.message, err.status)

    def _token_matches(self, supplied: object) -> bool:
        return isinstance(supplied, str) and hmac.compare_digest(
            supplied.encode(), self._ctx.token.encode()
        )

    def _authenticate(self, call: Call) -> Reply | None:
        if call.family == "v3":
            scheme, _, supplied = call.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not self._token_matches(supplied.strip()):
                return error(UNAUTHENTICATED) if call.wants_json else html(401)
        elif not self._token_matches(call.params.get("api_token")):
            return error(BAD_CREDENTIALS)
        self._ctx.state.profile.last_access_at = datetime.now(UTC)
        return None


async def _send_partial(request: web.Request, reply: Reply) -> web.StreamResponse:
    """Send the head and half the body, then drop the connection."""
    response = web.StreamResponse(
        status=reply.status,
        headers={**reply.headers, "Content-Type": reply.content_type},
    )
    response.content_length = len(reply.body)
    await response.prepare(request)
    await response.write(reply.body[: len(reply.body) // 2])
    if request.transport is not None:
        request.transport.close()
    return response
