"""Tags every log line written while an update is handled with that update's id."""

from __future__ import annotations

import structlog
from telegram import Update
from telegram.ext import ContextTypes

# Runs before every other group, so the handlers and the error handler all log with it.
REQUEST_ID_GROUP = -1


def request_id(update: Update) -> str:
    return f"u{update.update_id}"


async def bind_request_id(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    # PTB handles an update's groups in one task (its own task when updates run
    # concurrently), so the binding holds for exactly this update's handlers until the next
    # update replaces it.
    structlog.contextvars.bind_contextvars(request_id=request_id(update))
