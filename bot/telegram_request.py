"""PTB's transport to the Bot API on aiohttp instead of httpx.

PTB's `BaseRequest` is the documented place to swap the HTTP client (ptbcontrib has an
aiohttp one too). Measured with bench/delivery.py: httpcore's pool walks every request and
connection on each send, which cost most of the delivery worker's CPU; aiohttp's connector
does not. Errors map onto PTB's as HTTPXRequest maps them: timeouts → TimedOut, every other
transport failure → NetworkError, so retries in bot/delivery.py see the same exceptions.
"""

from __future__ import annotations

import json

import aiohttp

# Private to PTB but part of BaseRequest's signature: HTTPXRequest itself uses both.
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

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
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        if isinstance(write_timeout, DefaultValue):
            write = self._media_write_timeout if files else self._write_timeout
        else:
            write = write_timeout
        # aiohttp has no write timeout of its own: the upload counts against the read one.
        sock_read = None if read is None or write is None else max(read, write)
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=sock_read,
        )
        body: aiohttp.FormData | aiohttp.BytesPayload | None = None
        if request_data is not None and files:
            body = _form(request_data)
        elif request_data is not None:
            # A JSON body, which the Bot API takes as well as a form: encoding it costs a
            # fraction of URL-encoding every value. Wrapped here, as aiohttp would otherwise
            # look the payload type up in its registry on every send.
            body = aiohttp.BytesPayload(
                json.dumps(request_data.parameters, ensure_ascii=False).encode(),
                content_type="application/json",
            )
        try:
            async with self._session.request(method, url, data=body, timeout=timeout) as reply:
                return reply.status, await reply.read()
        except TimeoutError as err:  # aiohttp.ServerTimeoutError is one too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # The class name says what failed when the message is empty.
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _form(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData(request_data.json_parameters)
    # PTB gives each upload as (file name, bytes or file handle, MIME type).
    for name, (filename, content, mime) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
