"""Small feeds written for the tests, in the shapes real outlets publish."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from ipaddress import ip_network
from pathlib import Path

import pytest

from bot.ingest.fetch import FetchLimits

FIXTURES = Path(__file__).parent / "fixtures"
# ../shared/data next to the project: real text, never copied into the repository.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


# The feed server listens on 127.0.0.1, which the fetcher refuses unless allowed.
LOCAL_NETWORKS = (ip_network("127.0.0.0/8"),)
LOCAL = FetchLimits(allow_networks=LOCAL_NETWORKS)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def shared_file(relative: str) -> Path:
    """A file under ../shared/data, or a skip saying why the test cannot run here."""
    path = SHARED_DATA / relative
    if not path.is_file():
        pytest.skip(f"needs real data at {path} (../shared/data is absent in this checkout)")
    return path


def rss(items: list[dict[str, str]], *, title: str = "Тест арнасы", ttl: int | None = None,
        encoding: str = "utf-8") -> str:  # fmt: skip
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    body = "".join(
        "<item>"
        + (f"<title>{i['title']}</title>" if "title" in i else "")
        + (f"<link>{i['link']}</link>" if "link" in i else "")
        + (f"<guid>{i['guid']}</guid>" if "guid" in i else "")
        + (f"<pubDate>{i['date']}</pubDate>" if "date" in i else "")
        + (f"<category>{i['category']}</category>" if "category" in i else "")
        + (
            f"<description><![CDATA[{i['description']}]]></description>"
            if "description" in i
            else ""
        )
        + "</item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.kz/</link>{ttl_tag}{body}</channel></rss>"
    )


def atom(entries: list[dict[str, str]]) -> str:
    body = "".join(
        f"<entry><title type='html'>{e['title']}</title><link href='{e['link']}'/>"
        f"<id>{e.get('id', e['link'])}</id><updated>{e.get('updated', '2026-11-24T10:00:00+05:00')}</updated>"
        f"<summary type='html'>{e.get('summary', '')}</summary></entry>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom арнасы</title><id>urn:test:atom</id>"
        f"<updated>2026-11-24T10:00:00+05:00</updated>{body}</feed>"
    )


def rdf(items: list[dict[str, str]]) -> str:
    body = "".join(
        f"<item rdf:about='{i['link']}'><title>{i['title']}</title><link>{i['link']}</link>"
        f"<description>{i.get('description', '')}</description></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        "<channel rdf:about='https://example.kz/'><title>RDF</title><link>https://example.kz/</link>"
        f"<description>RDF</description></channel>{body}</rdf:RDF>"
    )


def rfc822(when: datetime) -> str:
    return format_datetime(when)


POLITICS_KK = {
    "title": "Мәжіліс сайлау туралы заңға түзетулерді мақұлдады",
    "description": (
        "Мәжіліс депутаттары сайлау туралы конституциялық заңға түзетулерді бірінші оқылымда "
        "мақұлдады. Түзетулер кандидаттарды тіркеу тәртібін және сайлау комиссияларының жұмысын "
        "нақтылайды. Құжат Сенаттың қарауына жіберіледі."
    ),
}
POLITICS_RU = {
    "title": "Сенат ратифицировал соглашение с Узбекистаном о границе",
    "description": (
        "Сенаторы ратифицировали соглашение между Казахстаном и Узбекистаном о приграничном "
        "сотрудничестве. Документ упрощает торговлю и транспортное сообщение в приграничных "
        "регионах. Закон направлен на подпись Главе государства."
    ),
}
