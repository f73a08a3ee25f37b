"""Which column is which field: source headers to canonical fields (:func:`auto_map`, English and
Russian synonyms), what the cells suggest when the headers leave a field open (:func:`content_mapping`),
both together (:func:`map_columns`), and what a header says about its cells (units, currency, platform)."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from planner.core import schema
from planner.ingest.reasons import _unexpected_is_unreadable
from planner.ingest.values import _URL_RE, _arrow_text, parse_numbers

__all__ = ["auto_map", "content_mapping", "header_currency", "map_columns", "match_headers"]


# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------

def _header_key(header: object) -> str:
    """Case-, space- and punctuation-insensitive form of a header: 'Ср. просмотры, шт' -> 'ср просмотры шт'."""
    s = str(header).lower().replace("ё", "е")
    s = re.sub(r"[^\w%+@]+|_", " ", s)
    return " ".join(s.split())


_SYNONYMS: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "username", "user name", "ник", "никнейм", "nickname", "nick", "аккаунт", "account",
               "логин", "login", "link", "ссылка", "url", "profile", "профиль", "ссылка на аккаунт",
               "ссылка на профиль", "instagram handle", "имя пользователя", "@"),
    "name": ("name", "имя", "блогер", "blogger", "название", "influencer", "инфлюенсер", "full name", "фио",
             "имя блогера", "creator", "автор", "канал", "channel", "название канала", "blogger name"),
    "platform": ("platform", "площадка", "соцсеть", "социальная сеть", "платформа", "social network", "network",
                 "соц сеть", "social"),
    "niches": ("niche", "niches", "тематика", "категория", "категории", "ниша", "topic", "topics", "category",
               "categories", "тема", "тематики", "ниши"),
    "country": ("country", "страна", "гео", "geo"),
    "city": ("city", "город"),
    "language": ("language", "язык", "lang", "язык контента"),
    "followers": ("followers", "подписчики", "подписчиков", "subscribers", "аудитория", "subs", "фолловеры",
                  "кол во подписчиков", "количество подписчиков", "число подписчиков", "followers count"),
    "avg_views": ("views", "просмотры", "ср просмотры", "средние просмотры", "avg views", "average views",
                  "просмотров", "среднее количество просмотров"),
    "avg_reach": ("reach", "охват", "avg reach", "средний охват", "охват поста", "average reach", "ср охват"),
    "avg_story_reach": ("story reach", "stories reach", "охват сторис", "охват историй", "ср охват сторис"),
    "avg_likes": ("likes", "лайки", "avg likes", "ср лайки", "лайков", "средние лайки"),
    "avg_comments": ("comments", "комментарии", "avg comments", "ср комментарии", "комментариев"),
    "engagement_rate": ("er", "er %", "er%", "вовлеченность", "engagement rate", "engagement", "err", "err %",
                        "ер", "коэффициент вовлеченности"),
    "er_basis": ("er basis", "er base", "база er", "er база", "основа er", "er по", "basis"),
    "credibility": ("credibility", "качество аудитории", "real followers", "живые подписчики", "aqs",
                    "audience quality", "% живых", "живые", "реальные подписчики"),
    "audience_female": ("gender female share", "женщины", "% женщин", "female", "female %", "доля женщин",
                        "women", "ж", "% ж"),
    "audience_countries": ("audience countries", "гео аудитории", "страны аудитории", "top countries",
                           "audience geo", "топ стран"),
    "price_post": ("price", "цена", "стоимость", "стоимость поста", "прайс", "price post", "post price",
                   "цена поста", "пост", "post", "стоимость публикации", "стоимость размещения",
                   "цена размещения", "cost"),
    "price_story": ("story", "stories", "сторис", "story price", "цена сторис", "стоимость сторис", "истории"),
    "price_short": ("reels", "shorts", "клип", "клипы", "рилс", "reels price", "цена reels", "стоимость reels"),
    "price_video": ("integration", "интеграция", "видео", "video", "цена интеграции", "стоимость интеграции",
                    "video price", "integration price"),
    "currency": ("currency", "валюта"),
    "accepts_barter": ("barter", "бартер", "accepts barter", "готов на бартер"),
    "barter_min_value": ("barter min value", "мин бартер", "min barter", "бартер от", "минимальный бартер"),
    "flag_profanity": ("мат", "profanity", "ненормативная лексика", "маты"),
    "flag_competitor_ads": ("competitor ads", "реклама конкурентов", "конкуренты"),
    "ad_alcohol": ("alcohol", "алкоголь"),
    "ad_gambling": ("gambling", "казино", "ставки", "беттинг"),
    "ad_pharma": ("pharma", "фарма", "бады", "лекарства"),
    "ad_tobacco": ("tobacco", "табак", "вейпы"),
    "deals_completed": ("deals completed", "completed deals", "сделок", "сделки"),
    "deals_cancelled": ("deals cancelled", "cancelled deals", "отмены", "срывы"),
    "contact": ("contact", "контакт", "контакты", "email", "e mail", "почта", "telegram", "телеграм", "tg", "тг",
                "phone", "телефон", "whatsapp"),
    "updated_at": ("updated", "updated at", "дата обновления", "обновлено", "дата", "date", "last updated",
                   "актуально на"),
}

_EXACT: dict[str, str] = {}
for _field in schema.FIELD_NAMES:
    _EXACT[_header_key(_field)] = _field
for _field, _words in _SYNONYMS.items():
    for _word in _words:
        _EXACT.setdefault(_header_key(_word), _field)

_STORY = r"(стори|stories|story|истори)"
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((f, re.compile(p)) for f, p in (
    ("currency", r"валют|currency|\bccy\b"),
    ("er_basis", r"\b(basis|база|основа)\b"),
    *((f"audience_age_{b}", rx) for b, rx in (
        ("13_17", r"\b13 17\b|до 17|младше 18|under 18"),
        ("18_24", r"\b18 24\b"),
        ("25_34", r"\b25 34\b"),
        ("35_44", r"\b35 44\b"),
        ("45_plus", r"\b45\+|\b45 (plus|и старше)|старше 45|\b45 (54|64|99)\b|\b45 \+"),
    )),
    ("audience_countries", r"(audience|аудитор).*(countr|стран|гео|geo)|(countr|стран|гео|geo).*(audience|аудитор)"
                           r"|top countr|топ стран"),
    ("audience_female", r"женщ|female|women|woman|девуш|\bж\b"),
    ("credibility", r"credib|качеств|quality|\baqs\b|real (follow|audience|subs)|жив|реальн|настоящ"),
    ("avg_story_reach", rf"(охват|reach|просмотр|views).*{_STORY}|{_STORY}.*(охват|reach|просмотр|views)"),
    ("avg_reach", r"охват|reach"),
    ("engagement_rate", r"\berr?\b|\berr?%|engagement|вовлеч|\bерр?\b|\beng\b.*\brate\b"),
    ("avg_views", r"просмотр|\bviews?\b|\bпросм\b"),
    ("avg_likes", r"лайк|\blikes?\b"),
    ("avg_comments", r"комментари[иея]в?\b|\bcomments\b|\bкомм\b"),
    ("barter_min_value", r"(бартер|barter).*(мин|min|\bот\b|value|стоим|сумм|порог)|(мин|min).*(бартер|barter)"),
    ("accepts_barter", r"бартер|barter|gifting"),
    ("price_story", _STORY),
    ("price_short", r"reels|рилс|shorts|шортс|клип|\bshort\b"),
    ("price_video", r"интеграц|integration|видео|\bvideo\b|ролик"),
    ("price_post", r"\bцен|стоимост|прайс|price|\bпост\b|\bpost\b|публикац|размещ|\bcost\b|\bfee\b|гонорар"),
    ("deals_cancelled", r"отмен|срыв|cancel"),
    ("deals_completed", r"сделк|\bdeals?\b|выполнен|completed"),
    ("followers", r"подписч|subscr|follower|фолловер|аудитор|\bsubs\b|\bfans\b|участник|members"),
    ("handle", r"handle|username|user name|пользовател|\bник|nick|аккаунт|account|логин|login|ссылк|\blink|\burl\b"
               r"|profile|профил"),
    ("name", r"\bname\b|\bимя\b|блогер|blogger|назван|influencer|инфлюенсер|creator|автор|\bфио\b|канал|channel"),
    ("platform", r"платформ|площадк|соцсет|соц сет|social|platform|network"),
    ("niches", r"тематик|категор|\bниш|niche|topic|categor|\bтема\b|vertical|направлен|рубрик"),
    ("country", r"стран|country|\bгео\b|\bgeo\b"),
    ("city", r"город|\bcity\b"),
    ("language", r"язык|language|\blang\b"),
    ("flag_profanity", r"\bмат\b|\bматы\b|\bмат в|ненормат|profan|swear|обсцен"),
    ("flag_competitor_ads", r"конкурент|competitor"),
    ("ad_alcohol", r"алког|alcohol"),
    ("ad_gambling", r"gambl|казино|casino|ставк|беттинг|betting|азарт"),
    ("ad_pharma", r"pharm|фарм|\bбад|лекарств"),
    ("ad_tobacco", r"tobacco|табак|вейп|\bvape|сигарет|никотин"),
    ("contact", r"контакт|contact|e ?mail|почт|telegram|телеграм|\bтг\b|whatsapp|phone|телефон|менеджер|manager"
                r"|для связи"),
    ("updated_at", r"обновл|update|\bдата\b|\bdate\b|актуальн"),
))


_UNIT_TOKENS = frozenset((
    "тыс", "тысяч", "шт", "руб", "р", "rub", "rur", "usd", "eur", "евро", "k", "к", "млн", "mln", "m", "%", "в",
    "in", "ед", "чел", "человек", "pcs", "thousands", "thousand", "000", "за", "1",
))


def _strip_units(key: str) -> str:
    """'подписчики тыс' -> 'подписчики', 'price usd' -> 'price' (a unit word never names a field)."""
    words = key.split()
    while len(words) > 1 and words[-1] in _UNIT_TOKENS:
        words.pop()
    return " ".join(words)


# Columns of estimates (the app's own export writes them as "estimated_<field>"): never read as data, so an
# export imported again never turns an estimate into a measurement.
_ESTIMATE_HEADER_RE = re.compile(r"^(?:estimated|estimate|est|оценка|оценочн\w*|расчетн\w*)\b")


def _guess_field(key: str) -> tuple[str | None, int]:
    if _ESTIMATE_HEADER_RE.match(key):
        return None, 0
    if key in _EXACT:
        return _EXACT[key], 2
    if _strip_units(key) in _EXACT:
        return _EXACT[_strip_units(key)], 2
    for name, rx in _RULES:
        if rx.search(key):
            return name, 1
    return None, 0


def auto_map(headers: list[str], remembered: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """Map each source header to a canonical field (``schema.FIELD_NAMES``) or ``None`` (ignored).

    Matching ignores case, spaces and punctuation and knows English and Russian synonyms.
    ``remembered`` (header -> field, or ``None``/"" to ignore) overrides the guess. No field is
    given to two headers: remembered choices first, then exact synonyms, then partial matches,
    each in header order.
    """
    return match_headers(headers, _guess_field, schema.FIELD_BY_NAME, remembered)


def match_headers(headers: Sequence[str], guess: Callable[[str], tuple[str | None, int]], fields: Container[str],
                  chosen: Mapping[str, str | None] | None = None, *,
                  key: Callable[[object], str] = _header_key) -> dict[str, str | None]:
    """Each header -> a field of ``fields`` or None, for any set of fields: ``guess`` takes a header's ``key``
    and returns (field or None, score: 2 an exact name, 1 a partial match, 0 none); ``chosen`` (header -> field,
    None or an unknown field to ignore) comes first. No field is given to two headers: the higher score wins,
    then the earlier header."""
    rem = {key(k): v for k, v in (chosen or {}).items()}
    candidates: list[tuple[int, int, str | None]] = []
    for pos, header in enumerate(headers):
        k = key(header)
        if k in rem:
            wanted = rem[k]
            candidates.append((3, pos, wanted if wanted in fields else None))
        else:
            found, score = guess(k)
            candidates.append((score, pos, found))
    result: dict[str, str | None] = {h: None for h in headers}
    taken: set[str] = set()
    for _score, pos, found in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if found is not None and found not in taken:
            result[headers[pos]] = found
            taken.add(found)
    return result


def _apply_overrides(mapping: dict[str, str | None],
                     overrides: Mapping[str, str | None] | None) -> dict[str, str | None]:
    if not overrides:
        return mapping
    result = dict(mapping)
    by_key = {_header_key(h): h for h in result}
    for header, wanted in overrides.items():
        target = header if header in result else by_key.get(_header_key(header))
        if target is None:
            continue
        fieldname = wanted if wanted in schema.FIELD_BY_NAME else None
        if fieldname is not None:
            for other, f in result.items():
                if f == fieldname and other != target:
                    result[other] = None
        result[target] = fieldname
    return result


def _header_multiplier(header: str) -> float:
    """'Подписчики, тыс.' or 'Followers (K)': the cells are in thousands (millions for 'млн', 'M')."""
    key = _header_key(header)
    if re.search(r"\b(тыс|тысяч|thousands?|k|к)\b", key):
        return 1e3
    if re.search(r"\b(млн|mln|millions?|миллион\w*|m|м)\b", key):
        return 1e6
    return 1.0


def header_currency(header: str) -> str | None:
    """The currency a money column's header names ("Цена, $", "Revenue (USD)", "Выручка, руб."): "RUB", "USD" or
    "EUR", else None."""
    low = str(header).lower()
    for code, rx in (("RUB", r"₽|\bруб|\brub\b|\bр\.|\brur\b"), ("USD", r"\$|\busd\b"), ("EUR", r"€|\beur\b|евро")):
        if re.search(rx, low):
            return code
    return None


_PLATFORM_HINT_RE = re.compile(
    r"(?P<instagram>instagram|insta\b|инстаграм|\big\b)|(?P<tiktok>tiktok|tik tok|тикток|tiktoker)"
    r"|(?P<youtube>youtube|youtuber|ютуб)|(?P<telegram>telegram|телеграм)|(?P<vk>\bvk\b|вконтакте|\bвк\b)"
    r"|(?P<twitch>twitch|твич)")


def _platform_hint(texts: Sequence[str]) -> str | None:
    """The one platform the texts (headers, a file name) name, if exactly one is named."""
    found = {m.lastgroup for t in texts for m in _PLATFORM_HINT_RE.finditer(_header_key(t))}
    found.discard(None)
    return str(next(iter(found))) if len(found) == 1 else None


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------

_HANDLE_TOKEN_RE = r"^@?[\w.]{2,40}$"  # one word: "cristiano", "@anna_b" (with a letter, checked apart)
_CONTENT_SAMPLE = 500


def _cells(raw: pd.DataFrame, header: str) -> pa.Array:
    """The non-empty cells of a column's first rows (trimmed, lower-cased)."""
    arr = pc.utf8_lower(_arrow_text(raw[header].head(_CONTENT_SAMPLE)))
    return pc.drop_null(arr)


def _handle_score(cells: pa.Array) -> int:
    """2: profile links or @handles; 1: distinct one-word tokens (bare handles); 0: not handles."""
    n = len(cells)
    if n == 0:
        return 0
    links = int(pc.sum(pc.or_(pc.match_substring_regex(cells, _URL_RE), pc.starts_with(cells, "@"))).as_py() or 0)
    if links >= 0.8 * n:
        return 2
    tokens = int(pc.sum(pc.and_(pc.match_substring_regex(cells, _HANDLE_TOKEN_RE),
                                pc.match_substring_regex(cells, r"[a-zа-яё]"))).as_py() or 0)
    distinct = len(pc.unique(cells))
    return 1 if tokens >= 0.9 * n and distinct >= 0.9 * n else 0


def _percent_share(cells: pa.Array) -> float:
    return (int(pc.sum(pc.match_substring_regex(cells, r"%\s*$")).as_py() or 0) / len(cells)) if len(cells) else 0.0


def content_mapping(raw: pd.DataFrame, mapping: Mapping[str, str | None],
                    locked: Sequence[str] = ()) -> dict[str, str | None]:
    """Changes to ``mapping`` suggested by the cells, for headers not in ``locked`` (the user's own
    choices): when no column is the handle, the column whose cells look like handles or profile
    links (``channel_info``, "Tiktoker name"); a percent column named like a rate (``60d_eng_rate``)
    as the engagement rate; an "engagement" column of plain counts is not a rate."""
    changes: dict[str, str | None] = {}
    taken = {f for f in mapping.values() if f}
    free = [str(h) for h in raw.columns if str(h) not in locked]
    if "handle" not in taken:
        best: tuple[int, int] | None = None
        chosen = None
        for pos, h in enumerate(free):
            if mapping.get(h) not in (None, "name"):
                continue
            score = _handle_score(_cells(raw, h))
            if score and (best is None or (score, -pos) > best):
                best, chosen = (score, -pos), h
        if chosen is not None:
            changes[chosen] = "handle"
    er = next((h for h, f in mapping.items() if f == "engagement_rate"), None)
    if er is not None and er not in locked:
        cells = _cells(raw, er)
        values, _ = parse_numbers(pd.Series(cells.to_pylist(), dtype=object))
        finite = values[np.isfinite(values)]
        if len(finite) and _percent_share(cells) == 0 and float(np.median(finite)) > 100:
            changes[er] = None  # average engaged users, not a rate
            er = None
    if er is None:
        for h in free:
            if mapping.get(h) is None and h not in changes and re.search(r"\beng|\brate\b|\berr?\b|вовлеч",
                                                                          _header_key(h)):
                if _percent_share(_cells(raw, h)) >= 0.6:
                    changes[h] = "engagement_rate"
                    break
    return changes


def map_columns(raw: pd.DataFrame, remembered: Mapping[str, str | None] | None = None,
                overrides: Mapping[str, str | None] | None = None) -> tuple[dict[str, str | None], dict[str, str]]:
    """The mapping of a read table: ``remembered`` choices, the automatic guess from the headers,
    then :func:`content_mapping` for what the headers left open, then ``overrides``. Returns the
    mapping and the headers mapped from their cells (header -> field). Anything unexpected is an
    :class:`UnreadableFile` ("unexpected")."""
    with _unexpected_is_unreadable():
        return _map_columns(raw, remembered, overrides)


def _map_columns(raw: pd.DataFrame, remembered: Mapping[str, str | None] | None,
                 overrides: Mapping[str, str | None] | None) -> tuple[dict[str, str | None], dict[str, str]]:
    headers = [str(h) for h in raw.columns]
    mapping = _apply_overrides(auto_map(headers, remembered), overrides)
    rem_keys = {_header_key(h) for h in (remembered or {})} | {_header_key(h) for h in (overrides or {})}
    locked = [h for h in headers if _header_key(h) in rem_keys]
    changes = content_mapping(raw, mapping, locked)
    if not changes:
        return mapping, {}
    forced = {**(remembered or {}), **changes}
    mapping = _apply_overrides(auto_map(headers, forced), overrides)
    return mapping, {h: f for h, f in changes.items() if f and mapping.get(h) == f}
