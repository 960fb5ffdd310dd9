"""python-telegram-bot's HTTP requests on aiohttp instead of its default httpx.

Every update costs one to three Bot API calls, and under load httpx's connection pool was the
largest part of a worker's CPU (each request scans every pooled connection through anyio to see
whether it expired). aiohttp keeps idle connections in a list per host and does no such scan;
the rest — flood control, errors, JSON — stays PTB's (`BaseRequest` turns status and body into
exceptions and results).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CONNECTIONS: Final = 64  # enough for the updates in flight and the outbox's concurrent sends
FORM: Final = {"Content-Type": "application/x-www-form-urlencoded"}


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp session; timeouts default as PTB's own (5 s)."""

    __slots__ = ("_connect", "_connections", "_media_write", "_pool", "_read", "_session")

    def __init__(self, connections: int = CONNECTIONS, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0,
                 media_write_timeout: float | None = 20.0) -> None:
        self._connections = connections
        self._read, self._connect, self._pool = read_timeout, connect_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One HTTP request: form fields, or multipart with the files; status and body back."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        if files and isinstance(write_timeout, DefaultValue):
            read = max(read or 0.0, self._media_write or 0.0) or None  # uploads take longer
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool if isinstance(pool_timeout, DefaultValue) else pool_timeout
        # aiohttp's `connect` covers waiting for a pooled connection and opening a new one.
        timeout = aiohttp.ClientTimeout(
            sock_read=read, sock_connect=connect,
            connect=None if connect is None or pool is None else connect + pool)
        try:
            body = _body(request_data, files)
            headers = FORM if isinstance(body, bytes) else None
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _body(request_data: RequestData | None, files: bool) -> aiohttp.FormData | bytes | None:
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        # The same form fields PTB's own transport posts, encoded here: aiohttp's FormData
        # would build a multipart writer for every request only to encode them the same way.
        return urlencode(fields).encode("ascii") if fields else None
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, upload in request_data.multipart_data.items():
        file_name, content, mime_type = upload
        form.add_field(name, content, filename=file_name, content_type=mime_type)
    return form
