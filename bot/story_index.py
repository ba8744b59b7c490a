"""Give each new article a story id: the id of a recent article about the same event
(found through LSH band buckets in Redis), or its own id when it starts a new story."""

from __future__ import annotations

from collections import OrderedDict

from redis.asyncio import Redis

from bot import keys, stories
from bot.articles import Article

MAX_BUCKET = 50
# Parsed fingerprints of recent articles kept in memory: the same candidates come back for
# article after article, and fetching and parsing them was most of the cost of ingesting
# (bench/ingest.py). A fingerprint and its story never change once stored, so a cached one
# is never stale; one that expired in Redis is still dropped by the time-window check.
CACHED_FINGERPRINTS = 5_000  # about two days of every default feed

_Known = tuple[stories.StoryFingerprint, str]  # fingerprint, story id

# One call instead of fifty commands (the fingerprint, then each band's SADD and EXPIRE):
# their client-side packing was a fifth of an article's ingest time. All keys share the
# {stories} hash tag. KEYS: fingerprint, then the bands. ARGV: fingerprint JSON, story id,
# published, window seconds, article id.
_STORE = """
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'story', ARGV[2], 't', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
for i = 2, #KEYS do
  redis.call('SADD', KEYS[i], ARGV[5])
  redis.call('EXPIRE', KEYS[i], ARGV[4])
end
return 1
"""


# The members of the article's buckets, in one call rather than a SCARD per band and then
# a SUNION (the lookup went from 1.8 to 1.3 ms of CPU an article, bench/ingest.py). A
# bucket that half the day's articles share says nothing about this story and would make
# every new article compare against all of them: buckets over ARGV[1] are left out.
_CANDIDATES = """
local useful = {}
for i = 1, #KEYS do
  local n = redis.call('SCARD', KEYS[i])
  if n > 0 and n <= tonumber(ARGV[1]) then useful[#useful + 1] = KEYS[i] end
end
if #useful == 0 then return {} end
return redis.call('SUNION', unpack(useful))
"""


class StoryIndex:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._known: OrderedDict[str, _Known] = OrderedDict()
        self._store = redis.register_script(_STORE)
        self._candidates = redis.register_script(_CANDIDATES)

    async def assign(self, article: Article, fp: stories.StoryFingerprint | None = None) -> str:
        # The ingest pipeline passes the one its analysis worker computed from these fields.
        if fp is None:
            fp = stories.fingerprint(
                article.title, article.lead, article.language, article.published
            )
        bands = stories.lsh_bands(fp)
        story_id = await self._matching_story(fp, bands) or article.id
        await self._store(
            keys=[keys.story_fingerprint(article.id), *(keys.story_band(b) for b in bands)],
            args=[
                fp.to_json(),
                story_id,
                str(fp.published),
                int(keys.STORY_WINDOW.total_seconds()),
                article.id,
            ],
        )
        self._remember(article.id, (fp, story_id))
        return story_id

    def _remember(self, article_id: str, known: _Known) -> None:
        self._known[article_id] = known
        self._known.move_to_end(article_id)
        while len(self._known) > CACHED_FINGERPRINTS:
            self._known.popitem(last=False)

    async def _fingerprints(self, candidates: list[str]) -> list[_Known]:
        missing = [c for c in candidates if c not in self._known]
        if missing:
            async with self._redis.pipeline(transaction=False) as pipe:
                for candidate in missing:
                    pipe.hgetall(keys.story_fingerprint(candidate))
                rows = await pipe.execute()
            for candidate, row in zip(missing, rows, strict=True):
                if row:
                    fp = stories.StoryFingerprint.from_json(row["fp"])
                    self._remember(candidate, (fp, row["story"]))
        return [self._known[c] for c in candidates if c in self._known]

    async def _matching_story(self, fp: stories.StoryFingerprint, bands: list[str]) -> str | None:
        if not bands:
            return None
        candidates = await self._candidates(
            keys=[keys.story_band(b) for b in bands], args=[MAX_BUCKET]
        )
        if not candidates:
            return None
        best: tuple[float, str] | None = None
        window = stories.WINDOW.total_seconds()
        for other, story in await self._fingerprints(sorted(candidates)):
            # A bucket holds the whole window on either side of this article's time.
            if abs(other.published - fp.published) > window:
                continue
            score = stories.match(fp, other)
            if score is not None and (best is None or score > best[0]):
                best = (score, story)
        return best[1] if best else None
