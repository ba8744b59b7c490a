"""A local Telegram Bot API stand-in for end-to-end tests.

The real python-telegram-bot talks to it over HTTP (`ApplicationBuilder().base_url(...)`).
It speaks the Bot API's JSON, records every call, lets a test push user updates, and answers
429 / 403 / 400 / 5xx on demand. Errors carry the real HTTP status: PTB maps errors by
status, not by the `ok` field.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 123456
DEFAULT_TOKEN = f"{BOT_ID}:TEST-stand-in-token-0123456789abcdef"


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    status: int
    result: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Fault:
    method: str
    error: str
    times: int
    chat_id: int | None
    retry_after: int
    migrate_to_chat_id: int | None


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class BotApiStandIn:
    def __init__(self, token: str = DEFAULT_TOKEN, username: str = "sayasat_test_bot") -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "Sayasat Digest",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[ApiCall] = []
        # Requests per method as they arrive (calls are recorded when answered).
        self.received: Counter[str] = Counter()
        self.commands: dict[tuple[str, str | None], list[dict[str, str]]] = {}
        self.timeout_delay = 3.0
        # setWebhook's parameters while a webhook is set: getUpdates is refused then.
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._faults: list[_Fault] = []
        self._blocked: set[int] = set()
        self._chats: dict[int, dict[str, Any]] = {}
        self._members: dict[tuple[int, int], dict[str, Any]] = {}
        self._files: dict[str, bytes] = {}  # file_id → content (documents both ways)
        self._file_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------
    async def start(self, port: int = 0) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        # A long poll left by a bot process already gone would hold the shutdown for its
        # whole timeout: let it return now.
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def unreachable(self) -> None:
        """Telegram down: the port refuses connections and open ones (a long poll
        included) are cut. `reachable()` listens on the same port again."""
        await self.stop()

    async def reachable(self) -> None:
        await self.start(self.port)

    async def __aenter__(self) -> BotApiStandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- what a test reads ------------------------------------------------------------
    def calls_to(self, method: str, *, ok_only: bool = True) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method and (not ok_only or c.status == 200)]

    def sent_messages(self, chat_id: int | None = None) -> list[ApiCall]:
        return [
            c
            for c in self.calls_to("sendMessage")
            if chat_id is None or c.params.get("chat_id") == chat_id
        ]

    def last_message(self, chat_id: int) -> dict[str, Any]:
        ids = [mid for (cid, mid) in self._messages if cid == chat_id]
        return self._messages[(chat_id, max(ids))]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        return self._messages[(chat_id, message_id)]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        predicate: Callable[[ApiCall], bool] | None = None,
    ) -> list[ApiCall]:
        """The first `count` successful calls of `method` (matching `predicate`)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if predicate is None or predicate(c)]
            if len(found) >= count:
                return found[:count]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"expected {count} {method} call(s), saw {len(found)}: "
                    f"{[c.method for c in self.calls][-20:]}"
                )
            self._new_call.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_call.wait(), min(remaining, 0.2))

    def clear_calls(self) -> None:
        self.calls.clear()

    def max_rate(self, chat_id: int, window: float = 1.0) -> int:
        """The most messages this chat received within any `window` seconds."""
        times = sorted(c.at for c in self.sent_messages(chat_id))
        best, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    # --- what a test sets up ------------------------------------------------------------
    def inject(
        self,
        method: str,
        error: str,
        *,
        times: int = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (for `chat_id`) with `error`:
        429, 403, 400-chat-not-found, 400-migrate, 400-parse, 500, 502 or timeout."""
        self._faults.append(_Fault(method, error, times, chat_id, retry_after, migrate_to_chat_id))

    def clear_faults(self) -> None:
        """Forget every injected fault not yet used up."""
        self._faults.clear()

    def block(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def set_chat(self, chat: dict[str, Any]) -> None:
        self._chats[chat["id"]] = chat

    def set_chat_member(self, chat_id: int, user_id: int, status: str, **rights: Any) -> None:
        self._members[(chat_id, user_id)] = {"status": status, **rights}

    # --- pushing updates as users would ---------------------------------------------
    def push_update(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    @staticmethod
    def private_chat(user: dict[str, Any]) -> dict[str, Any]:
        return {"id": user["id"], "type": "private", "first_name": user.get("first_name", "")}

    def _incoming(
        self, user: dict[str, Any], chat: dict[str, Any] | None, **content: Any
    ) -> dict[str, Any]:
        """A user's message with `content` (text, document, caption…), kept for lookups."""
        chat = chat or self.private_chat(user)
        message = {
            "message_id": next(self._message_ids[chat["id"]]),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            **content,
        }
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def send_command(
        self, user: dict[str, Any], text: str, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        message = self._incoming(user, chat, text=text)
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        self.push_update({"message": message})
        return message

    def send_text(
        self, user: dict[str, Any], text: str, chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        message = self._incoming(user, chat, text=text)
        self.push_update({"message": message})
        return message

    def send_document(
        self,
        user: dict[str, Any],
        file_name: str,
        content: bytes,
        mime_type: str | None = None,
        chat: dict[str, Any] | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """A user sends a file; the bot fetches it with getFile and a download."""
        document = self._store_file(content, file_name, mime_type)
        captioned = {} if caption is None else {"caption": caption}
        message = self._incoming(user, chat, document=document, **captioned)
        self.push_update({"message": message})
        return message

    def upload(
        self, content: bytes, file_name: str | None = None, mime_type: str | None = None
    ) -> dict[str, Any]:
        """A file as a user's client would have uploaded it: the document dict to put
        in a message the test builds itself."""
        return self._store_file(content, file_name, mime_type)

    def file_content(self, file_id: str) -> bytes:
        return self._files[file_id]

    def _store_file(
        self, content: bytes, file_name: str | None, mime_type: str | None
    ) -> dict[str, Any]:
        number = next(self._file_ids)
        file_id = f"file{number}"
        self._files[file_id] = content
        document: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"u{number}",
            "file_size": len(content),
        }
        if file_name:
            document["file_name"] = file_name
        if mime_type:
            document["mime_type"] = mime_type
        return document

    def press_button(self, user: dict[str, Any], message: dict[str, Any], data: str) -> str:
        query_id = f"cq{next(self._update_ids)}"
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": message,
                    "chat_instance": str(message["chat"]["id"]),
                    "data": data,
                }
            }
        )
        return query_id

    def send_inline_query(self, user: dict[str, Any], query: str, offset: str = "") -> str:
        query_id = f"iq{next(self._update_ids)}"
        self.push_update(
            {"inline_query": {"id": query_id, "from": user, "query": query, "offset": offset}}
        )
        return query_id

    def my_chat_member(
        self, user: dict[str, Any], chat: dict[str, Any], old_status: str, new_status: str
    ) -> int:
        def member(status: str) -> dict[str, Any]:
            # A banned member always carries until_date (0: for ever).
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self.bot_user, **extra}

        return self.push_update(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": user,
                    "date": int(time.time()),
                    "old_chat_member": member(old_status),
                    "new_chat_member": member(new_status),
                }
            }
        )

    # --- the HTTP side ------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {k: _decode(v) for k, v in request.query.items()}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, str):
                        params[key] = _decode(value)
                    else:  # a file part
                        params[key] = {"filename": value.filename, "content": value.file.read()}
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.received[method] += 1
        params = await self._params(request)
        if request.match_info["token"] != self.token:
            return self._record(method, params, 401, error="Unauthorized")
        fault = self._take_fault(method, params)
        if fault is not None:
            return await self._fault_response(method, params, fault)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._record(method, params, 404, error="Not Found")
        try:
            if method == "getUpdates":
                result = await self._api_getUpdates(params)
            else:
                result = handler(params)
        except _ApiError as exc:
            return self._record(method, params, exc.status, error=exc.description)
        return self._record(method, params, 200, result=result)

    async def _download(self, request: web.Request) -> web.Response:
        """Telegram's file server: /file/bot<token>/<file_path> from getFile."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self._files:
            return web.Response(status=404)
        return web.Response(body=self._files[file_id])

    def _record(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        *,
        result: Any = None,
        error: str = "",
        parameters: dict[str, Any] | None = None,
    ) -> web.Response:
        if method != "getUpdates" or status != 200 or result:
            self.calls.append(ApiCall(method, params, status, result))
            self._new_call.set()
        if status == 200:
            return web.json_response({"ok": True, "result": result})
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": error}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    def _take_fault(self, method: str, params: dict[str, Any]) -> _Fault | None:
        chat_id = params.get("chat_id")
        if method.startswith("send") and chat_id in self._blocked:
            return _Fault(method, "403", 1, chat_id, 0, None)
        for fault in self._faults:
            if fault.method != method or fault.times <= 0:
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.times -= 1
            return fault
        return None

    async def _fault_response(
        self, method: str, params: dict[str, Any], fault: _Fault
    ) -> web.Response:
        e = fault.error
        if e == "429":
            return self._record(
                method,
                params,
                429,
                error=f"Too Many Requests: retry after {fault.retry_after}",
                parameters={"retry_after": fault.retry_after},
            )
        if e == "403":
            return self._record(method, params, 403, error="Forbidden: bot was blocked by the user")
        if e == "400-chat-not-found":
            return self._record(method, params, 400, error="Bad Request: chat not found")
        if e == "400-parse":
            return self._record(
                method, params, 400, error="Bad Request: can't parse entities: unsupported tag"
            )
        if e == "400-migrate":
            return self._record(
                method,
                params,
                400,
                error="Bad Request: group chat was upgraded to a supergroup chat",
                parameters={"migrate_to_chat_id": fault.migrate_to_chat_id},
            )
        if e == "timeout":
            await asyncio.sleep(self.timeout_delay)
            return self._record(method, params, 504, error="Gateway Timeout")
        status = int(e)
        return self._record(method, params, status, error="Internal Server Error")

    # --- Bot API methods ------------------------------------------------------------------
    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        return self._updates[:limit]

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        scope = params.get("scope")
        key = (
            json.dumps(scope, sort_keys=True) if scope else "default",
            params.get("language_code"),
        )
        self.commands[key] = params["commands"]
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str | None]:
        scope = params.get("scope")
        return (
            json.dumps(scope, sort_keys=True) if scope else "default",
            params.get("language_code"),
        )

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands.get(self._commands_key(params), [])

    def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    def _api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self._files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self._files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    def _api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        """The document arrives as a multipart file part ({filename, content}) or as the
        file_id of one sent before."""
        chat = self._chat_for(params["chat_id"])
        upload = params["document"]
        if isinstance(upload, dict):
            document = self._store_file(upload["content"], upload.get("filename"), None)
        elif str(upload) in self._files:
            document = self._store_file(self._files[str(upload)], None, None)
        else:
            raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        message = self._bots_message(chat, document=document)
        if params.get("caption"):
            message["caption"] = params["caption"]
        return message

    def _chat_for(self, chat_id: Any) -> dict[str, Any]:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username") == chat_id[1:]:
                    return chat
            raise _ApiError(400, "Bad Request: chat not found")
        chat_id = int(chat_id)
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for(params["chat_id"])
        message = self._bots_message(chat, text=params["text"])
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
        return message

    def _bots_message(self, chat: dict[str, Any], **content: Any) -> dict[str, Any]:
        """A message from the bot in `chat`, numbered and kept for later edits; the caller
        adds the optional fields (the dict is the stored one)."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat["id"]]),
            "date": int(time.time()),
            "chat": {
                k: v
                for k, v in chat.items()
                if k in ("id", "type", "title", "username", "first_name")
            },
            "from": self.bot_user,
            **content,
        }
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _edit(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self._messages:
            raise _ApiError(400, "Bad Request: message to edit not found")
        message = dict(self._messages[key])
        if "text" in params:
            message["text"] = params["text"]
        message["edit_date"] = int(time.time())
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        self._messages[key] = message
        return message

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params)

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._edit(params)

    def _api_deleteMessage(self, params: dict[str, Any]) -> bool:
        self._messages.pop((int(params["chat_id"]), int(params["message_id"])), None)
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        return True

    def _api_getChat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for(params["chat_id"])
        return {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
            **chat,
        }

    def _api_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for(params["chat_id"])
        user_id = int(params["user_id"])
        member = self._members.get((chat["id"], user_id))
        if member is None:
            member = {"status": "left"}
        user = (
            self.bot_user
            if user_id == self.bot_user["id"]
            else {"id": user_id, "is_bot": False, "first_name": "User"}
        )
        result = {"user": user, **member}
        if result["status"] == "administrator":
            defaults = {
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": False,
                "can_manage_video_chats": False,
                "can_restrict_members": False,
                "can_promote_members": False,
                "can_change_info": False,
                "can_invite_users": False,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
            result = {**defaults, **result}
        return result


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
