"""The default feed list (config/feeds.yaml) as typed records."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, HttpUrl, ValidationError


class FeedConfig(BaseModel):
    name: str
    url: HttpUrl
    language: Literal["kk", "ru", "en"]
    politics_only: bool = False
    enabled: bool = True


class FeedsFileError(Exception):
    pass


def load_feeds(path: Path) -> list[FeedConfig]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise FeedsFileError(f"FEEDS_FILE: cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise FeedsFileError(f"FEEDS_FILE: {path} is not valid YAML: {exc}") from None
    entries = raw.get("feeds") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise FeedsFileError(f"FEEDS_FILE: {path} needs a top-level 'feeds:' list")
    feeds = []
    for number, entry in enumerate(entries, start=1):
        try:
            feeds.append(FeedConfig.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise FeedsFileError(
                f"FEEDS_FILE: feed #{number} in {path}: {where}: {first['msg']}"
            ) from None
    return feeds
