"""Admin-only commands' shared guard and audit, plus /admins and /audit.

Every admin handler is wrapped in `admin_only`: anyone else gets a polite refusal in their
language and nothing runs. Refusals are logged (user id, command), not audited: the audit
log holds what admins did, and strangers must not be able to flush it.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.admins import Role
from bot.digest import split_messages
from bot.logs import get_logger
from bot.services import Services, services_from
from bot.texts import ADMIN_COMMANDS, COMMANDS, text
from handlers.common import services, user_language, user_language_and_zone

log = get_logger(__name__)

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def services_from_application(application: Application) -> Services:
    return services_from(application.bot_data)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, key: str) -> None:
    user = update.effective_user
    message = update.effective_message
    log.warning(
        "admin_command_refused",
        user_id=user.id if user else None,
        reason=key,
        text=(message.text or "")[:100] if message and not update.callback_query else None,
        button=update.callback_query.data if update.callback_query else None,
    )
    lang = await user_language(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(text(key, lang), show_alert=True)
    elif message is not None:
        await message.reply_text(text(key, lang))


def admin_only(handler: Handler) -> Handler:
    """Run `handler` only for owners and admins; refuse everyone else."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None or not await services(context).admins.is_admin(user.id):
            await refuse(update, context, "admin_only")
            return
        await handler(update, context)

    return guarded


async def audit(
    update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, detail: str = ""
) -> None:
    """Record what the admin behind `update` just did."""
    user = update.effective_user
    assert user is not None
    name = user.full_name + (f" (@{user.username})" if user.username else "")
    await services(context).admins.record(user.id, name, action, detail)
    log.info("admin_action", user_id=user.id, action=action, detail=detail[:200])


async def reply(update: Update, body: str, **kwargs: object) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(body, **kwargs)  # type: ignore[arg-type]


def when(timestamp: float, zone: tzinfo, never: str) -> str:
    if not timestamp:
        return never
    return f"{datetime.fromtimestamp(timestamp, zone):%d.%m %H:%M}"


# --- /admins -----------------------------------------------------------------------------
@admin_only
async def admins_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None
    svc = services(context)
    lang = await user_language(update, context)
    args = context.args or []
    action = args[0].lower() if args else "list"
    if action not in ("add", "remove", "rm", "del"):
        await _send_list(update, context, lang)
        return
    if await svc.admins.role(update.effective_user.id) is not Role.OWNER:
        await refuse(update, context, "owner_only")
        return
    value = args[1] if len(args) > 1 else ""
    if not value.isdigit() or int(value) <= 0:
        await reply(update, text("admin_bad_id", lang, value=value))
        return
    user_id = int(value)
    if action == "add":
        if await svc.admins.role(user_id) is Role.OWNER:
            await reply(update, text("admin_is_owner", lang, user_id=user_id))
        elif await svc.admins.add_admin(user_id):
            await audit(update, context, "admins add", str(user_id))
            await _refresh_menu(context, user_id)
            await reply(update, text("admin_added", lang, user_id=user_id))
        else:
            await reply(update, text("admin_already", lang, user_id=user_id))
        return
    if await svc.admins.role(user_id) is Role.OWNER:
        await reply(update, text("admin_is_owner", lang, user_id=user_id))
    elif await svc.admins.remove_admin(user_id):
        await audit(update, context, "admins remove", str(user_id))
        await _refresh_menu(context, user_id)
        await reply(update, text("admin_removed", lang, user_id=user_id))
    else:
        await reply(update, text("admin_not_found", lang, user_id=user_id))


async def _send_list(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    svc = services(context)
    none = text("none", lang)
    owners = ", ".join(str(i) for i in svc.admins.owners) or none
    admins = ", ".join(str(i) for i in await svc.admins.admins()) or none
    await reply(update, text("admins_list", lang, owners=owners, admins=admins))


async def _refresh_menu(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> None:
    await set_admin_menu(context.application, user_id)


async def set_admin_menu(application: Application, user_id: int) -> None:
    """The admin commands in this user's menu (in each UI language), or, for someone who
    is no longer an admin, the ordinary menu back. A user who never opened a chat with the
    bot makes Telegram refuse; the menu then appears at the next start instead."""
    svc = services_from_application(application)
    scope = BotCommandScopeChat(user_id)
    try:
        if await svc.admins.is_admin(user_id):
            for lang, commands in COMMANDS.items():
                menu = [BotCommand(n, d) for n, d in [*commands, *ADMIN_COMMANDS[lang]]]
                await application.bot.set_my_commands(menu, scope=scope, language_code=lang)
            default = svc.settings.default_language
            menu = [BotCommand(n, d) for n, d in [*COMMANDS[default], *ADMIN_COMMANDS[default]]]
            await application.bot.set_my_commands(menu, scope=scope)
        else:
            for lang in COMMANDS:
                await application.bot.delete_my_commands(scope=scope, language_code=lang)
            await application.bot.delete_my_commands(scope=scope)
    except TelegramError as exc:
        log.info("admin_menu_not_set", user_id=user_id, error=str(exc))


async def set_admin_menus(application: Application) -> None:
    """At start: every owner's and admin's menu."""
    svc = services_from_application(application)
    for user_id in await svc.admins.everyone():
        await set_admin_menu(application, user_id)


# --- /audit ------------------------------------------------------------------------------
@admin_only
async def audit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    lang, zone = await user_language_and_zone(update, context)
    entries = await services(context).admins.recent(30)
    if not entries:
        await reply(update, text("audit_empty", lang))
        return
    lines = [text("audit_header", lang, count=len(entries))]
    for entry in entries:
        who = html.escape(entry.actor_name or "?")
        detail = f" · {html.escape(entry.detail)}" if entry.detail else ""
        lines.append(
            f"{entry.at.astimezone(zone):%d.%m %H:%M} · {who} "
            f"(<code>{entry.actor_id}</code>) · <b>{html.escape(entry.action)}</b>{detail}"
        )
    for part in split_messages(lines[0], lines[1:]):
        await reply(update, part)
