"""``WarehouseSyncClient``: the API's verbs on its four collections and on pipeline runs.

Every request runs through ``_retry.call_with_retries`` and ``_retry.exchange``; this module
only decides what one attempt does. Creates and triggers are not idempotent, so after an
attempt whose answer was lost (or a 5xx: the server may have applied it) the next attempt
first looks at what the server holds instead of repeating the POST.

A 404 for one object proves nothing by itself: a wrong ``mparticle:apiUrl`` (or a proxy's
unknown route) answers 404 to everything. So a 404 is taken as "the object is not there" only
when the same attempt lists the object's collection and the listing, a JSON array, lacks the
id; otherwise the call raises ``UnconfirmedNotFoundError`` and nothing is dropped, deleted or
created again. This costs one list request, and only when an object looks missing.

A reader of many objects of a collection can take one ``listing`` and pass it to ``get`` as
``absent_from`` for each object it lacks: a 404 then needs no listing of its own (``_listing``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any, Final, TypeVar
from urllib.parse import quote

import httpx

from .. import _constants as c
from .. import wire
from . import _run_calls, _tls
from ._auth import TokenCache, clear_shared_token_caches, mint_token, shared_token_cache
from ._listing import WRITES, Listing, objects_by_id, paging_signal
from ._matching import differences
from ._responses import (
    display_path,
    error_from_response,
    error_messages,
    expect_object,
    json_body,
    unexpected_shape,
)
from ._retry import RetryableFailure, RetryPolicy, Timing, call_with_retries, exchange
from ._routes import RouteProbe
from ._scrub import Scrubber, secret_values
from ._settings import ClientSettings, missing_workspace_error, setting_source, workspace_id_problem
from .errors import (
    APIError,
    ConfigurationError,
    ConflictError,
    ServerError,
    TransportError,
    UnconfirmedNotFoundError,
    WarehouseSyncError,
)
from .runs import PipelineStatus, Run, TriggerAnswer

T = TypeVar("T")

# Module-level names: inside the class, ``list`` is the method of that name.
ObjectList = list[dict[str, Any]]
RunList = list[Run]

_PERMISSION_HINT: Final = "the credential needs Platform API access with the Admin permission"
_OBJECT_NOUN: Final = {
    wire.CONNECTIONS: "connection",
    wire.DATA_MODELS: "data model",
    wire.FIELD_TRANSFORMATIONS: "field transformation",
    wire.PIPELINES: "pipeline",
}


@dataclass
class _Call:
    """State shared by the attempts of one logical call."""

    scrubber: Scrubber
    token_renewed: bool = False
    may_have_applied: bool = False
    """An earlier attempt of this call may have been applied by the server."""
    must_check_server: bool = False
    """The next attempt must look at the server's state before repeating a non-idempotent request."""
    tokens_used: list[str] = field(default_factory=list)


class WarehouseSyncClient:
    """Thread-safe client of the mParticle Warehouse Sync API v2 for one credential.

    Objects are plain ``dict``s in wire format (names from ``wire``); unknown fields in
    answers are kept as they are. Runs and statuses are typed values (``runs``), read from
    either spelling the API may serve. ``workspace_id=None`` on a call means ``settings.workspace_id``.
    """

    def __init__(
        self,
        settings: ClientSettings,
        transport: httpx.BaseTransport | None = None,
        *,
        timing: Timing | None = None,
        token_cache: TokenCache | None = None,
    ) -> None:
        self.settings = settings
        self._policy = RetryPolicy(max_attempts=settings.max_attempts, max_retry_wait=settings.max_retry_wait)
        self._timing = timing or Timing()
        self._tokens = token_cache if token_cache is not None else TokenCache()
        self._scrubber = Scrubber([settings.client_secret])
        # A given transport (tests, the emulator's) brings its own TLS; otherwise one verifying
        # context per process, cheaper to create than httpx's default (``_tls``).
        self._http = httpx.Client(
            transport=transport,
            verify=True if transport is not None else _tls.ssl_context(),
            timeout=httpx.Timeout(settings.timeout),
            headers={"User-Agent": c.USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
        )

    # --- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WarehouseSyncClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"WarehouseSyncClient(api_url={self.settings.api_url!r}, client_id={self.settings.client_id!r})"
        )

    # --- collections ----------------------------------------------------------------------

    def list(self, collection: str, *, workspace_id: str | None = None) -> ObjectList:
        """Every object of ``collection`` (a bare JSON array on the wire).

        An answer that is not an array of objects, or says it is one page of several
        (``_listing.paging_signal``), raises ``APIError``.
        """
        url = self._collection_url(collection, workspace_id)
        call = self._new_call()
        response = self._retrying(call, lambda: self._attempt(call, "GET", url))
        self._raise_for_error(response, call)
        body = json_body(response, call.scrubber)
        if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
            raise unexpected_shape(response, "a JSON array of objects", body)
        if signal := paging_signal(response, len(body)):
            raise _one_page_only(response, signal)
        return body

    def listing(self, collection: str, *, workspace_id: str | None = None) -> Listing:
        """Every object of ``collection`` by id, for a caller that reads several of them.

        Stricter than ``list``: every object must have a string id, each id once. Anything else
        raises ``WarehouseSyncError`` (``APIError`` for an answer not understood), after which the
        caller should read its objects one by one with ``get``.
        """
        url = self._collection_url(collection, workspace_id)
        writes_before = WRITES.count(url)
        call = self._new_call()
        response = self._retrying(call, lambda: self._attempt(call, "GET", url))
        self._raise_for_error(response, call)
        body = json_body(response, call.scrubber)
        objects = objects_by_id(body)
        if objects is None:
            raise unexpected_shape(response, f"a JSON array of objects with distinct string {wire.ID!r}s", body)
        if signal := paging_signal(response, len(objects)):
            raise _one_page_only(response, signal)
        return Listing(url, objects, writes_before)

    def get(
        self,
        collection: str,
        object_id: str,
        *,
        workspace_id: str | None = None,
        absent_from: Listing | None = None,
    ) -> dict[str, Any] | None:
        """The object, or ``None`` when it is proven gone: a 404, and a listing of its collection without it.

        ``absent_from``: a ``listing`` of the same collection that lacks the object, taken at any
        time before; with it, a 404 needs no new listing (missing from both, the object is gone).
        A 404 the listing cannot confirm raises ``UnconfirmedNotFoundError``.
        """
        url = self._object_url(collection, object_id, workspace_id)
        proven_by_listing = (
            absent_from is not None
            and absent_from.collection_url == self._collection_url(collection, workspace_id)
            and object_id not in absent_from
        )
        call = self._new_call()

        def attempt() -> dict[str, Any] | None:
            response = self._attempt(call, "GET", url)
            if response.status_code == 404:
                if not proven_by_listing:
                    self._prove_gone(call, response, collection, object_id, workspace_id)
                return None
            self._raise_for_error(response, call)
            return expect_object(response, call.scrubber)

        return self._retrying(call, attempt)

    def create(
        self, collection: str, body: dict[str, Any], *, workspace_id: str | None = None
    ) -> dict[str, Any]:
        """POST a new object whose ``body["id"]`` the caller chose; returns the object as served.

        Never repeats a POST blindly: after a lost answer or a 5xx, the next attempt GETs the id
        and takes an object that matches ``body`` as created; when the attempts run out after such
        a failure, it looks once more before raising. An id held by a different object raises
        ``ConflictError``. A 404 from that GET means "not created" only when the collection's
        listing lacks the id too (a listing that holds it is taken as the served object); when the
        listing fails, ``UnconfirmedNotFoundError`` is raised instead of POSTing again. A 404 from
        the POST itself (the collection's route) raises ``UnconfirmedNotFoundError`` as well.
        """
        object_id = self._body_id(body)
        post_url = self._collection_url(collection, workspace_id)
        object_url = self._object_url(collection, object_id, workspace_id)
        call = self._new_call(body)

        def attempt() -> dict[str, Any]:
            if call.must_check_server:
                served = self._look_up(call, object_url, collection, object_id, workspace_id)
                if served is not None:
                    return self._accept_if_ours(collection, body, served, post_url)
                call.must_check_server = False  # proven absent: the earlier POST was not applied
            response = self._attempt_unsafe(call, "POST", post_url, json=body)
            if response.status_code == 404:
                raise self._unconfirmed(
                    call, response, f"the {collection} collection itself answered 404, so nothing was created"
                )
            if response.is_error:
                error = error_from_response(response, call.scrubber)
                if isinstance(error, ConflictError) and call.may_have_applied:
                    # Probably our own earlier POST, applied although its answer was lost.
                    call.must_check_server = True
                    served = self._look_up(call, object_url, collection, object_id, workspace_id)
                    if served is not None:
                        return self._accept_if_ours(collection, body, served, post_url)
                if isinstance(error, ConflictError):
                    raise _with_hint(error, f"choose another id, or import the existing {_noun(collection)}")
                raise self._with_auth_hint(error)
            return self._object_or_fetch(call, response, object_url)

        with self._writing(collection, workspace_id):
            try:
                return self._retrying(call, attempt)
            except ConflictError:
                raise
            except WarehouseSyncError as failure:
                # The attempts are spent, but one of them may have been applied (a 5xx, a lost answer).
                # Failing now would leave an object the caller never records: look once more.
                if not (call.may_have_applied or isinstance(failure, ServerError)):
                    raise
                served = self._last_look(collection, object_id, workspace_id)
                if served is None or differences(collection, body, served):
                    raise
                return served

    def _last_look(self, collection: str, object_id: str, workspace_id: str | None) -> dict[str, Any] | None:
        """The object as served, or ``None`` when it is not there or cannot be read now."""
        try:
            return self.get(collection, object_id, workspace_id=workspace_id)
        except WarehouseSyncError:
            return None

    def replace(
        self, collection: str, object_id: str, body: dict[str, Any], *, workspace_id: str | None = None
    ) -> dict[str, Any]:
        """PUT the full object (every field; the body id must equal ``object_id``).

        ``NotFoundError`` when the object is proven gone (a 404, and its collection lists without
        it); ``UnconfirmedNotFoundError`` for a 404 the listing cannot confirm.
        """
        if wire.ID in body and body[wire.ID] != object_id:
            raise ValueError(f"body {wire.ID} {body[wire.ID]!r} differs from the object id {object_id!r}")
        full_body = {wire.ID: object_id, **body}
        url = self._object_url(collection, object_id, workspace_id)
        call = self._new_call(full_body)

        def attempt() -> dict[str, Any]:
            response = self._attempt(call, "PUT", url, json=full_body)
            if response.status_code == 404:
                self._prove_gone(call, response, collection, object_id, workspace_id)
            self._raise_for_error(response, call)
            return self._object_or_fetch(call, response, url)

        with self._writing(collection, workspace_id):
            return self._retrying(call, attempt)

    def delete(self, collection: str, object_id: str, *, workspace_id: str | None = None) -> bool:
        """DELETE the object: ``True`` when it was deleted, ``False`` when it was already gone.

        "Already gone" needs proof: a 404, and a listing of the collection without the object;
        ``UnconfirmedNotFoundError`` otherwise.
        """
        url = self._object_url(collection, object_id, workspace_id)
        call = self._new_call()

        def attempt() -> bool:
            response = self._attempt_unsafe(call, "DELETE", url)
            if response.status_code == 404:
                self._prove_gone(call, response, collection, object_id, workspace_id)
                # Proven gone. After a lost answer, most likely by our own earlier DELETE.
                return call.may_have_applied
            self._raise_for_error(response, call)
            return True

        with self._writing(collection, workspace_id):
            return self._retrying(call, attempt)

    # --- pipeline runs (spec §7; what they do is in ``_run_calls``) ----------------------------

    def trigger(self, pipeline_id: str, *, workspace_id: str | None = None) -> TriggerAnswer:
        """Start an on-demand run of the pipeline; its answer says which run and which path worked.

        ``POST /pipelines/{id}/trigger`` first, ``POST /pipelines/{id}`` (no body) when the server
        proves the first route wrong: a 405, or a 404 while the pipeline exists (a GET of it tells).
        The path that worked is remembered per process and API URL and tried first next time.

        Never starts two runs: after a lost answer (or a 5xx) the next attempt reads the status
        first and takes an active latest run as the one this call started (``adopted=True``).

        Raises ``RunInProgressError`` when a run is going already, ``NotFoundError`` naming the
        pipeline when it is proven gone, and ``APIError`` when neither path exists (run
        ``mparticle-wsync check-api`` then).
        """
        with self._writing(wire.PIPELINES, workspace_id):
            return _run_calls.trigger(self, pipeline_id, workspace_id)

    def pipeline_status(self, pipeline_id: str, *, workspace_id: str | None = None) -> PipelineStatus:
        """The pipeline's status and latest run (``GET /pipelines/{id}/status``), in either shape.

        A 404 while the pipeline exists raises ``StatusNotReadyError`` (mParticle answers so for
        about a minute after a create: try again shortly); a 404 for a pipeline proven gone raises
        ``NotFoundError``.
        """
        return _run_calls.pipeline_status(self, pipeline_id, workspace_id)

    def list_runs(
        self,
        pipeline_id: str,
        *,
        workspace_id: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        start_date: str | datetime | None = None,
        end_date: str | datetime | None = None,
    ) -> RunList:
        """One page of the pipeline's runs, newest first as served (``{"items": [...]}`` or an array).

        ``page`` counts from 1; ``start_date``/``end_date`` filter on the runs' logical date. 404s
        are read as by ``pipeline_status``.
        """
        params: dict[str, int | str | datetime | None] = {
            wire.RUNS_PAGE_PARAM: page,
            wire.RUNS_PAGE_SIZE_PARAM: page_size,
            wire.RUNS_START_DATE_PARAM: start_date,
            wire.RUNS_END_DATE_PARAM: end_date,
        }
        return _run_calls.list_runs(self, pipeline_id, workspace_id, params)

    def iter_runs(
        self,
        pipeline_id: str,
        *,
        workspace_id: str | None = None,
        since: str | datetime | None = None,
        until: str | datetime | None = None,
        page_size: int = 100,
    ) -> Iterator[Run]:
        """Every run of the pipeline (logical date within ``since``/``until``), newest first as served.

        Pages from 1 until a page holds fewer than ``page_size`` runs; stops early when a page
        repeats the previous one (a server that ignores paging). Each page is one call.
        """
        return _run_calls.iter_runs(self, pipeline_id, workspace_id, since, until, page_size)

    def get_run(self, pipeline_id: str, run_id: int | str, *, workspace_id: str | None = None) -> Run:
        """One run: ``GET /pipelines/{id}/status/runs/{runId}`` ([R], not in v1).

        When that route answers 404 or 405, the run is looked for in ``iter_runs`` instead (and a
        route found missing is remembered per process). ``NotFoundError`` names the run and the
        pipeline when neither has it.
        """
        return _run_calls.get_run(self, pipeline_id, run_id, workspace_id)

    # --- diagnostics ----------------------------------------------------------------------

    def get_json(
        self,
        collection: str,
        object_id: str | None = None,
        suffix: str = "",
        *,
        workspace_id: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> Any:
        """GET a collection, an object, or a wire sub-path of one (``suffix``, e.g. ``wire.STATUS``)
        and return the decoded JSON without any shape check.

        For ``check-api``, which must see exactly what the API serves.
        """
        if object_id is None:
            url = self._collection_url(collection, workspace_id)
        else:
            url = self._object_url(collection, object_id, workspace_id, suffix)
        call = self._new_call()

        def attempt() -> Any:
            response = self._attempt(call, "GET", url, params=params)
            self._raise_for_error(response, call)
            return json_body(response, call.scrubber)

        return self._retrying(call, attempt)

    def probe(
        self,
        method: str,
        collection: str,
        object_id: str,
        suffix: str = "",
        *,
        workspace_id: str | None = None,
    ) -> RouteProbe:
        """Send a ``GET``, ``HEAD`` or ``OPTIONS`` to an object or a sub-path of it and report only how
        the server answered (status and ``Allow``), whatever it was: for ``check-api``, which asks
        whether a route exists without using it. Other methods are refused (``ValueError``)."""
        if method not in ("GET", "HEAD", "OPTIONS"):
            raise ValueError(f"probe sends only GET, HEAD or OPTIONS, not {method}")
        url = self._object_url(collection, object_id, workspace_id, suffix)
        call = self._new_call()

        def attempt() -> RouteProbe:
            response = self._attempt(call, method, url)
            allow = response.headers.get("Allow")
            methods = tuple(part.strip().upper() for part in allow.split(",") if part.strip()) if allow else None
            return RouteProbe(method, display_path(response.request), response.status_code, methods)

        return self._retrying(call, attempt)

    # --- one attempt ------------------------------------------------------------------------

    @contextmanager
    def _writing(self, collection: str, workspace_id: str | None) -> Iterator[None]:
        """Around a write under the collection: ``WRITES`` counts it when it ends, applied or not."""
        try:
            yield
        finally:
            try:
                collection_url = self._collection_url(collection, workspace_id)
            except (ConfigurationError, ValueError):
                pass  # no URL: nothing was sent
            else:
                WRITES.finished(collection_url)

    def _new_call(self, body: Any = None) -> _Call:
        return _Call(scrubber=self._scrubber.with_secrets(secret_values(body)))

    def _retrying(self, call: _Call, attempt: Callable[[], T]) -> T:
        try:
            return call_with_retries(attempt, policy=self._policy, timing=self._timing)
        except TransportError as exc:
            if exc.hint:
                raise
            raise exc.with_hint(self._unreachable_hint(exc.path)) from exc

    def _unreachable_hint(self, path: str) -> str:
        """Which setting decides the host behind ``path`` (error messages show paths, not hosts)."""
        if path.endswith(wire.TOKEN_PATH):
            key, url = c.CONFIG_AUTH_URL, self.settings.auth_url
        else:
            key, url = c.CONFIG_API_URL, self.settings.api_url
        return (
            f"no answer from {url}: check that {key} is right and reachable from here "
            f"(set it with {setting_source(key)})"
        )

    def _attempt(
        self,
        call: _Call,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One exchange with a bearer token; a 401 renews the token and repeats once per call."""
        token = self._token()
        response = self._send(call, token, method, url, json, params)
        if response.status_code == 401 and not call.token_renewed:
            call.token_renewed = True
            self._tokens.discard(token)
            response = self._send(call, self._token(), method, url, json, params)
        return response

    def _attempt_unsafe(self, call: _Call, method: str, url: str, *, json: Any = None) -> httpx.Response:
        """Like ``_attempt``, and records an ambiguous failure so the next attempt checks the server."""
        try:
            return self._attempt(call, method, url, json=json)
        except RetryableFailure as failure:
            if failure.may_have_applied:
                call.may_have_applied = True
                call.must_check_server = True
            raise

    def _send(
        self, call: _Call, token: str, method: str, url: str, json: Any, params: Mapping[str, str] | None
    ) -> httpx.Response:
        if token not in call.tokens_used:
            call.tokens_used.append(token)
            call.scrubber = call.scrubber.with_secrets([token])
        request = self._http.build_request(
            method, url, json=json, params=params, headers={"Authorization": f"Bearer {token}"}
        )
        return exchange(self._http, request, policy=self._policy, scrubber=call.scrubber, timing=self._timing)

    def _token(self) -> str:
        """The bearer token. Minting (or renewing) it is part of the current attempt: a token request
        that fails retryably fails the attempt, and the call tries again within its own budget."""
        settings = self.settings
        try:
            return self._tokens.token(
                lambda: mint_token(
                    self._http,
                    auth_url=settings.auth_url,
                    client_id=settings.client_id,
                    client_secret=settings.client_secret,
                    policy=self._policy,
                    timing=self._timing,
                    scrubber=self._scrubber,
                )
            )
        except RetryableFailure as failure:
            # The API request of this attempt was not sent: nothing of it can have been applied.
            raise RetryableFailure(
                failure.error, may_have_applied=False, retry_after=failure.retry_after
            ) from failure.__cause__

    def _fetch_object(self, call: _Call, url: str) -> dict[str, Any] | None:
        """The object, or ``None`` on a 404 (unconfirmed: only for reading back a write just made)."""
        response = self._attempt(call, "GET", url)
        if response.status_code == 404:
            return None
        self._raise_for_error(response, call)
        return expect_object(response, call.scrubber)

    def _look_up(
        self, call: _Call, url: str, collection: str, object_id: str, workspace_id: str | None
    ) -> dict[str, Any] | None:
        """The object as served; on a 404, as its collection lists it, or ``None`` when the listing
        proves it absent. Raises ``UnconfirmedNotFoundError`` when the listing cannot be had."""
        response = self._attempt(call, "GET", url)
        if response.status_code == 404:
            return self._listed(call, response, collection, object_id, workspace_id)
        self._raise_for_error(response, call)
        return expect_object(response, call.scrubber)

    # --- proving that an object is gone ---------------------------------------------------

    def _prove_gone(
        self, call: _Call, not_found: httpx.Response, collection: str, object_id: str, workspace_id: str | None
    ) -> None:
        """Return only when the collection's listing proves that the object of the 404 ``not_found`` is gone."""
        if self._listed(call, not_found, collection, object_id, workspace_id) is not None:
            listing = self._collection_path(collection, workspace_id)
            raise self._unconfirmed(
                call,
                not_found,
                f"{_noun(collection)} {object_id!r} could not be confirmed missing (listing its collection, "
                f"GET {listing}, still holds it), so it is not taken as gone",
            )

    def _listed(
        self, call: _Call, not_found: httpx.Response, collection: str, object_id: str, workspace_id: str | None
    ) -> dict[str, Any] | None:
        """The object as its collection's listing shows it, or ``None`` when the listing lacks it.

        One GET in the current attempt: a retryable failure repeats the attempt, 404 included.
        Anything that does not prove the listing right raises ``UnconfirmedNotFoundError``: an
        error status, a body that is not a JSON array of objects each with a string id.
        """
        response = self._attempt(call, "GET", self._collection_url(collection, workspace_id))
        listing = f"GET {display_path(response.request)}"
        reason: str | None = None
        if response.status_code == 404:
            reason = f"listing its collection, {listing}, answered 404 too"
        elif response.is_error:
            error = self._with_auth_hint(error_from_response(response, call.scrubber))
            reason = f"listing its collection failed: {error}"
        else:
            try:
                body = json_body(response, call.scrubber)
            except APIError as error:
                reason = f"listing its collection, {listing}, {'; '.join(error.messages)}"
            else:
                if not isinstance(body, list) or not all(
                    isinstance(item, dict) and isinstance(item.get(wire.ID), str) for item in body
                ):
                    reason = (
                        f"listing its collection, {listing}, did not answer a JSON array of objects with "
                        f"an {wire.ID!r} (got {_json_kind(body)})"
                    )
                elif signal := paging_signal(response, len(body)):
                    reason = f"listing its collection, {listing}, answered one page of several ({signal})"
                else:
                    return next((item for item in body if item[wire.ID] == object_id), None)
        raise self._unconfirmed(
            call,
            not_found,
            f"{_noun(collection)} {object_id!r} could not be confirmed missing ({reason}), so it is not taken as gone",
        )

    def _unconfirmed(self, call: _Call, not_found: httpx.Response, what: str) -> UnconfirmedNotFoundError:
        """The 404 ``not_found`` as an ``UnconfirmedNotFoundError``: the API's messages, then ``what``
        happened and which setting to check."""
        request = not_found.request
        messages = [call.scrubber(message) for message in error_messages(not_found)]
        return UnconfirmedNotFoundError(
            404, request.method, display_path(request), [*messages, f"{what}. {self._route_hint()}"]
        )

    def _route_hint(self) -> str:
        key, url = c.CONFIG_API_URL, self.settings.api_url
        return (
            f"The route looks wrong: check that {key} (now {url!r}) is the API's base URL, such as "
            f"{c.DEFAULT_API_URL} or the proxy in front of it, below which the client requests "
            f"{wire.WORKSPACE_PATH.replace('{workspace_id}', '{workspaceId}')}/...; set it with {setting_source(key)}"
        )

    def _fetch_required(self, call: _Call, url: str) -> dict[str, Any]:
        response = self._attempt(call, "GET", url)
        self._raise_for_error(response, call)
        return expect_object(response, call.scrubber)

    def _object_or_fetch(self, call: _Call, response: httpx.Response, url: str) -> dict[str, Any]:
        """The object in a write's answer; fetched when the answer carries none (e.g. 204)."""
        if response.content:
            return expect_object(response, call.scrubber)
        served = self._fetch_object(call, url)
        if served is None:
            raise APIError(
                response.status_code,
                response.request.method,
                display_path(response.request),
                ["the write succeeded but the object cannot be read back (GET answered 404)"],
            )
        return served

    def _accept_if_ours(
        self, collection: str, sent: dict[str, Any], served: dict[str, Any], post_url: str
    ) -> dict[str, Any]:
        changed = differences(collection, sent, served)
        if not changed:
            return served
        noun = _noun(collection)
        raise ConflictError(
            ConflictError.DETECTED_BY_CLIENT_STATUS,
            "POST",
            httpx.URL(post_url).path,
            [
                f"id {sent[wire.ID]!r} is already taken by a different {noun} (it differs in "
                f"{', '.join(changed)}): choose another id, or import the existing {noun}"
            ],
        )

    def _raise_for_error(self, response: httpx.Response, call: _Call) -> None:
        if response.is_error:
            raise self._with_auth_hint(error_from_response(response, call.scrubber))

    @staticmethod
    def _with_auth_hint(error: APIError) -> APIError:
        if error.status_code == 403:
            return _with_hint(error, _PERMISSION_HINT)
        if error.status_code == 401:
            return _with_hint(error, f"a freshly minted token was refused too: {_PERMISSION_HINT}")
        return error

    # --- URLs -------------------------------------------------------------------------------

    def _workspace_url(self, workspace_id: str | None) -> str:
        chosen = workspace_id if workspace_id is not None else self.settings.workspace_id
        if chosen is None:
            raise missing_workspace_error()
        if problem := workspace_id_problem(chosen):
            raise ConfigurationError(f"workspace_id {problem}")
        return f"{self.settings.api_url}{wire.WORKSPACE_PATH.format(workspace_id=chosen)}"

    def _collection_url(self, collection: str, workspace_id: str | None) -> str:
        if collection not in wire.COLLECTIONS:
            raise ValueError(f"unknown collection {collection!r}: use one of {', '.join(wire.COLLECTIONS)}")
        return f"{self._workspace_url(workspace_id)}/{collection}"

    def _collection_path(self, collection: str, workspace_id: str | None) -> str:
        """The collection's path as error messages show it (no host)."""
        return httpx.URL(self._collection_url(collection, workspace_id)).path

    def _run_url(self, pipeline_id: str, run_id: str, workspace_id: str | None) -> str:
        """URL of one run of a pipeline (the run id escaped as one segment)."""
        return self._object_url(wire.PIPELINES, pipeline_id, workspace_id, f"{wire.RUNS}/{_segment(run_id)}")

    def _object_url(self, collection: str, object_id: str, workspace_id: str | None, suffix: str = "") -> str:
        """URL of one object, or of ``suffix`` (a wire sub-path such as ``status``) below it."""
        if not object_id:
            raise ValueError(f"an empty id cannot address a {_noun(collection)}")
        # Ids are escaped so that no id can reach another path.
        url = f"{self._collection_url(collection, workspace_id)}/{_segment(object_id)}"
        return f"{url}/{suffix}" if suffix else url

    @staticmethod
    def _body_id(body: Mapping[str, Any]) -> str:
        object_id = body.get(wire.ID)
        if not isinstance(object_id, str) or not object_id:
            raise ValueError(
                f"a create body needs a non-empty string {wire.ID!r}: ids are chosen by the client"
            )
        return object_id


def _segment(value: str) -> str:
    """``value`` as one path segment: "/" and dots are escaped so ".." cannot climb the path."""
    return quote(value, safe="").replace(".", "%2E")


def _noun(collection: str) -> str:
    return _OBJECT_NOUN.get(collection, "object")


def _json_kind(body: Any) -> str:
    if isinstance(body, list):
        return "an array holding something other than objects with an id"
    return "null" if body is None else type(body).__name__


def _one_page_only(response: httpx.Response, signal: str) -> APIError:
    return APIError(
        response.status_code,
        response.request.method,
        display_path(response.request),
        [f"expected the whole collection as one JSON array, got one page of several ({signal})"],
    )


def _with_hint(error: APIError, hint: str) -> APIError:
    return type(error)(error.status_code, error.method, error.path, [*error.messages, hint])


# --- the process-wide client cache ---------------------------------------------------------

_clients_lock = threading.Lock()
_clients: dict[tuple[ClientSettings, httpx.BaseTransport | None], WarehouseSyncClient] = {}


def get_client(
    settings: ClientSettings, *, transport: httpx.BaseTransport | None = None
) -> WarehouseSyncClient:
    """The process's client for ``settings`` (one per settings and transport; all share one token)."""
    key = (settings, transport)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            tokens = shared_token_cache(settings.auth_url, settings.client_id, settings.client_secret)
            client = _clients[key] = WarehouseSyncClient(settings, transport, token_cache=tokens)
        return client


def clear_client_cache() -> None:
    """Close every cached client and forget every cached token (tests; a credential rotation)."""
    with _clients_lock:
        clients = list(_clients.values())
        _clients.clear()
        clear_shared_token_caches()
    for client in clients:
        client.close()
