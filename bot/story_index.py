"""Give each new article a story id: the id of a recent article about the same event
(found through LSH band buckets in Redis), or its own id when it starts a new story."""

from __future__ import annotations

from redis.asyncio import Redis

from bot import keys, stories
from bot.articles import Article

MAX_BUCKET = 50


class StoryIndex:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def assign(self, article: Article) -> str:
        fp = stories.fingerprint(article.title, article.lead, article.language, article.published)
        bands = stories.lsh_bands(fp)
        story_id = await self._matching_story(fp, bands) or article.id
        window = keys.STORY_WINDOW
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hset(
                keys.story_fingerprint(article.id),
                mapping={"fp": fp.to_json(), "story": story_id},
            )
            pipe.expire(keys.story_fingerprint(article.id), window)
            for band in bands:
                pipe.sadd(keys.story_band(band), article.id)
                pipe.expire(keys.story_band(band), window)
            await pipe.execute()
        return story_id

    async def _matching_story(self, fp: stories.StoryFingerprint, bands: list[str]) -> str | None:
        if not bands:
            return None
        async with self._redis.pipeline(transaction=False) as pipe:
            for band in bands:
                pipe.scard(keys.story_band(band))
            sizes = await pipe.execute()
        # A bucket that half the day's articles share says nothing about this story and
        # would make every new article compare against all of them.
        useful = [
            keys.story_band(b) for b, n in zip(bands, sizes, strict=True) if 0 < n <= MAX_BUCKET
        ]
        if not useful:
            return None
        candidates = await self._redis.sunion(useful)
        if not candidates:
            return None
        ordered = sorted(candidates)
        async with self._redis.pipeline(transaction=False) as pipe:
            for candidate in ordered:
                pipe.hgetall(keys.story_fingerprint(candidate))
            rows = await pipe.execute()
        best: tuple[float, str] | None = None
        for row in rows:
            if not row:
                continue
            other = stories.StoryFingerprint.from_json(row["fp"])
            if stories.same_story(fp, other):
                score = stories.similarity(fp, other)
                if best is None or score > best[0]:
                    best = (score, row["story"])
        return best[1] if best else None
