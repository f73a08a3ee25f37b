"""Results of a campaign's placements and its daily sales series: read from CSV or XLSX with the blogger
importer's reading rules (encodings, workbooks, limits, ``1,2 млн``, ``12 500 ₽``), matched to placements by
handle and platform, and stored in one transaction (all accepted rows or nothing); or edited in a table.

A results row is refused (with its row and column) when its handle or platform cannot be read, a number cell
cannot be read, is negative or is implausible (above 1e12, in the campaign's currency after any conversion), or a
date cannot be read or lies outside 2000 to a year after today: a business figure is never silently blanked. A row
whose blogger is not in the campaign is listed as unmatched; a row of a cancelled placement is stored with a note.
Uploading again updates the placement's result (only the columns the file has), never a second row.

Files are bounded before their rows are matched (planner.ingest.reasons: rows of a results or sales file, distinct
regions, the span of a sales series); every step is linear in the rows. Refusals and notes are kept compactly: the
first :data:`LISTED` of each kind by row, and every one counted by column and reason (:class:`IssueGroup`), so a
file of 30,000 bad rows is a short answer on the page and the command line alike.

Amounts are stored in the campaign's currency. An amount whose cell ("$500", "USD 500"), header ("Выручка, $")
or row's currency column names another currency is converted through the rates object
(:class:`planner.core.money.Rates`) and noted with its row, column, original amount and rate; an amount in a
currency that cannot be converted, or whose cell and currency column disagree, refuses its row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from planner import ingest
from planner.campaigns.goals import GoalError
from planner.campaigns.saved import StaleEdit
from planner.core import schema
from planner.core.i18n import reason as ingest_reason
from planner.core.i18n import t
from planner.core.money import Rates, UnknownCurrency
from planner.ingest import reasons as limits
from planner.storage import campaigns as campaign_repo
from planner.storage import results as repo
from planner.storage.access import Access
from planner.storage.campaigns import CampaignNotFound
from planner.storage.db import Engine
from planner.storage.models import Campaign
from planner.storage.versions import StaleWrite

# ---- the fields of a result --------------------------------------------------------------------------------
COUNT_FIELDS: tuple[str, ...] = (
    "views", "reach", "impressions", "likes", "comments", "shares", "saves", "clicks", "promo_redemptions_online",
    "promo_redemptions_offline", "orders", "leads", "installs", "new_followers", "positive_mentions",
    "negative_mentions",
)
MONEY_FIELDS: tuple[str, ...] = ("revenue", "cash_cost", "product_cost")
NUMBER_FIELDS: tuple[str, ...] = (*COUNT_FIELDS, *MONEY_FIELDS)
TEXT_FIELDS: tuple[str, ...] = ("link", "notes")
RESULT_FIELDS: tuple[str, ...] = ("published_at", "link", *NUMBER_FIELDS, "notes")
ID_FIELDS: tuple[str, ...] = ("handle", "platform", "format")
CURRENCY_FIELD = "currency"  # a column naming each row's currency: read, never stored (amounts are converted)
FILE_FIELDS: tuple[str, ...] = (*ID_FIELDS, CURRENCY_FIELD, *RESULT_FIELDS)
TEXT_LIMITS = {"link": 500, "notes": 2000}
NUMBER_HIGH = 1e12  # a figure above this is a typo, not a result (amounts: in the campaign's currency)
LISTED = 100  # refusals, notes and unmatched rows listed one by one (the first by row); all are counted by kind

# Why a results or sales row is refused or noted, beyond the importer's own reasons (planner.ingest.REASONS).
REASONS: dict[str, str] = {
    "ambiguous_platform": "{handle!r} is in the campaign on several platforms ({platforms}): add a platform column",
    "ambiguous_format": "{handle!r} has several placements on {platform} ({formats}): add a format column",
    "superseded_row": "a later row (row {later}) has results of the same placement: that one is used",
    "converted_currency": "{amount:,.2f} {currency} ({value!r}) converted at {rate:.6g} {target} per {currency}: "
                          "{converted:,.2f} {target}",
    "unsupported_currency": "an amount in {currency}, a currency that is not read here ({known}): {value!r}",
    "no_exchange_rate": "no exchange rate from {currency} to {target}: {value!r}",
    "unknown_row_currency": "unknown currency {value!r} (known: {known}): the row's amounts cannot be converted",
    "currency_mismatch": "{value!r} is in {currency} but the row's currency column says {column}",
    "duplicate_day": "a later row (row {later}) has the same date and region: that one is used",
    "date_out_of_range": "{value!r} is read as {day}, outside {first} to {last}",
    "converted_out_of_range": "{value!r} is {converted:,.0f} {target} at {rate:.6g} {target} per {currency}: "
                              "above {high:,.0f}",
    "cancelled_placement": "the placement is cancelled: its results are stored all the same (set its status if it "
                           "was published)",
    "too_many_regions": "{count:,} regions in the sales file: at most {limit:,} (the campaign's and its controls)",
    "sales_span_too_long": "the sales series runs from {first} to {last} ({days:,} days): at most {limit:,} days "
                           "are read, keep the last years",
    "no_results_columns": "no column of results found (views, likes, clicks, orders, revenue, ...)",
    "no_handle_column": "no column of bloggers' handles found: name one Handle (or Ник)",
    "no_date_column": "no date column found: name one Date (or Дата)",
    "no_sales_column": "no sales column found: name one Sales (or Продажи)",
    "no_rows": "the file has no rows",
    "empty_series": "the sales series has no day",
}
_RESULTS_ERRORS = ("no_results_columns", "no_handle_column", "no_date_column", "no_sales_column", "no_rows",
                   "empty_series", "too_many_regions", "sales_span_too_long")


class ResultsFileError(ValueError):
    """A results or sales file that cannot be used at all; ``code`` and ``params`` for a translation."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        text = REASONS[code] if code in REASONS else ingest.reason_text(code, params)
        super().__init__(text.format(**params) if code in REASONS else text)


@dataclass(slots=True)
class RowIssue(ingest.Rejection):
    """A refused row, or a note about one: its spreadsheet row (the header is row 1), column and why: the
    importer's :class:`planner.ingest.Rejection`, with the reasons of results files too."""

    @property
    def reason(self) -> str:
        return reason_text(self.code, self.params)


@dataclass(frozen=True, slots=True)
class IssueGroup:
    """Refusals (``kind`` "refused") or notes ("note") of one column and reason: how many, and the first of them."""

    kind: str
    column: str
    code: str
    count: int
    first: RowIssue

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "column": self.column, "code": self.code, "count": self.count,
                "first_row": self.first.row, "reason": self.first.reason}


def issue_groups(kind: str, issues: Sequence[RowIssue]) -> list[IssueGroup]:
    """``issues`` (sorted by row) counted by column and reason, the biggest group first."""
    counts: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], RowIssue] = {}
    for issue in issues:
        key = (issue.column, issue.code)
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, issue)
    return [IssueGroup(kind, col, code, n, first[(col, code)])
            for (col, code), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def plausible_days(today: date | None = None) -> tuple[date, date]:
    """The first and last date a result or a sale may carry (planner.ingest.reasons: 2000 to a year ahead)."""
    today = today or date.today()
    return date(limits.FIRST_DATE_YEAR, 1, 1), today + timedelta(days=limits.DAYS_AHEAD)


def reason_text(code: str, params: Mapping[str, Any] | None = None, lang: str = "en") -> str:
    """A reason in ``lang``: the importer's codes through its own texts, ours through ``results.reason.*``."""
    params = dict(params or {})
    if code in REASONS:
        key = f"results.reason.{code}"
        text = t(key, lang)
        return (text if text != key else REASONS[code]).format(**params)
    return ingest_reason(code, params, lang)


def error_text(exc: Exception, lang: str = "en") -> str:
    """A file's refusal (ours, the importer's or a goal's) in ``lang``."""
    code, params = getattr(exc, "code", None), getattr(exc, "params", None) or {}
    if isinstance(exc, GoalError):
        key = f"goals.error.{code}"
        text = t(key, lang)
        return text.format(**params) if text != key else str(exc)
    if code:
        try:
            return reason_text(code, params, lang)
        except (KeyError, IndexError, ValueError):
            pass
    return str(exc)


# ---- header mapping ----------------------------------------------------------------------------------------
def header_key(header: object) -> str:
    """Case-, space- and punctuation-insensitive header; currency signs become the word "руб" (a money column)."""
    s = str(header).lower().replace("ё", "е")
    s = re.sub(r"[₽$€]", " руб ", s)
    s = re.sub(r"[^\w%+]+|_", " ", s)
    return " ".join(s.split())


_EXACT: dict[str, str] = {header_key(w): f for f, words in {
    "handle": ("handle", "username", "ник", "никнейм", "аккаунт", "account", "блогер", "blogger", "influencer",
               "инфлюенсер", "creator", "автор", "канал", "channel", "profile", "профиль", "name", "имя"),
    "platform": ("platform", "площадка", "платформа", "соцсеть", "social network", "network", "соц сеть"),
    "format": ("format", "формат", "тип размещения", "placement", "размещение"),
    "published_at": ("date", "дата", "published", "publication date", "дата публикации", "дата выхода",
                     "опубликовано", "вышло", "post date", "publish date"),
    "link": ("link", "ссылка", "url", "ссылка на пост", "ссылка на публикацию", "post link", "post url",
             "публикация", "post"),
    "notes": ("notes", "note", "примечание", "примечания", "заметки", "комментарий менеджера"),
    CURRENCY_FIELD: ("currency", "валюта", "ccy", "currency code", "код валюты"),
}.items() for w in words}

# Partial matches, in order (the first that matches wins; a field is given to one column only).
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((f, re.compile(p)) for f, p in (
    (CURRENCY_FIELD, r"^(валют|currency|ccy)"),  # "Валюта выручки"; "Выручка в валюте" stays revenue
    ("link", r"(ссылк|link|url).*(пост|публикац|post|video|видео|ролик|reels|stories|сторис|выход)"
             r"|(пост|публикац|post).*(ссылк|link|url)"),
    ("positive_mentions", r"позитив|положительн|positive"),
    ("negative_mentions", r"негатив|отрицательн|negative"),
    ("revenue", r"выручк|revenue|оборот|gmv|доход|income|(продаж|sales).*(сумм|amount|value|руб)|сумм.*(продаж|заказ)"),
    ("product_cost", r"(товар|продукт|product|бартер|barter|goods|gift|подар).*(стоим|cost|себестоим|затрат|расход)"
                     r"|(стоим|cost|себестоим|затрат|расход).*(товар|продукт|product|бартер|barter|goods)|себестоим"),
    ("cash_cost", r"стоимост|\bцена\b|оплат|оплач|гонорар|\bfee\b|\bcost\b|paid|бюджет|budget|затрат|расход"
                  r"|spend|cash"),
    ("promo_redemptions_offline", r"(промо|promo|код|code|redemption|погашен|активац).*(офлайн|оффлайн|offline|"
                                  r"магазин|store|розниц|retail)|(офлайн|оффлайн|offline|in store|в магазин).*"
                                  r"(промо|promo|код|code|redemption|погашен)"),
    ("orders", r"заказ|\borders?\b|покупк|purchases?|продаж|\bsales\b|conversions?|конверси"),
    ("promo_redemptions_online", r"промо|promo|\bкод|\bcodes?\b|redemption|погашен|активац"),
    ("new_followers", r"(нов|new|прирост|gained|\+).*(подписч|follower|subscr|subs)|(подписч|follower|subscr).*"
                      r"(нов|new|прирост|gained)|подписал"),
    ("views", r"просмотр|\bviews?\b|\bпросм\b"),
    ("reach", r"охват|reach"),
    ("impressions", r"показ|impressions?"),
    ("likes", r"лайк|\blikes?\b|реакци|reactions?|нравится"),
    ("comments", r"коммент|\bcomments?\b"),
    ("shares", r"репост|\bshares?\b|поделил|пересылк|forwards?|reposts?"),
    ("saves", r"сохранен|\bsaves?\b|\bsaved\b|закладк|bookmarks?"),
    ("clicks", r"клик|переход|clicks?|\butm\b|taps?"),
    ("leads", r"\bлид|\bleads?\b|заявк|регистрац|sign ?ups?|анкет"),
    ("installs", r"установк|install|скачиван|downloads?"),
    ("published_at", r"\bдата\b|\bdate\b|опубликован|published|выход"),
    ("platform", r"платформ|площадк|соцсет|соц сет|social|platform|network"),
    ("format", r"формат|format"),
    ("handle", r"handle|username|\bник|nick|аккаунт|account|блогер|blogger|influencer|инфлюенсер|creator|автор"
               r"|канал|channel|профил|profile"),
))

# Header names read_table must take for a header row (it finds the header by names it recognises).
_HANDLE_WORDS = ("handle", "username", "ник", "никнейм", "аккаунт", "account", "блогер", "blogger", "influencer",
                 "инфлюенсер", "creator", "автор", "канал", "channel", "profile", "профиль", "name", "имя",
                 "блогеры", "bloggers", "инфлюенсеры", "influencers")
_DATE_WORDS = ("date", "дата", "day", "день", "дата продажи", "дата продаж", "sales date", "дата заказа",
               "order date", "период", "period", "date of sale", "дни", "days", "дата (день)")
_SALES_WORDS = ("sales", "продажи", "sales per day", "продажи за день", "выручка", "revenue", "заказы", "orders",
                "объем продаж", "sales amount", "sales units", "units", "штук", "количество продаж", "сумма продаж")
_REGION_WORDS = ("region", "регион", "город", "city", "market", "рынок", "регион продаж", "geo", "гео", "area",
                 "территория")
_CONTROL_RE = re.compile(r"control|контрол")
_INVISIBLE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
                           r"\ufeff]")


def map_headers(headers: Sequence[str], overrides: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
    """Each header -> a results field (``FILE_FIELDS``) or None: ``overrides`` first, then exact names, then
    partial matches, each in header order; no field goes to two headers."""
    return ingest.match_headers(headers, _guess_field, FILE_FIELDS, overrides, key=header_key)


def _guess_field(key: str) -> tuple[str | None, int]:
    if key in _EXACT:
        return _EXACT[key], 2
    guess = next((f for f, rx in _RULES if rx.search(key)), None)
    return guess, (1 if guess else 0)


def _read(data: bytes, filename: str, words: Sequence[str], overrides: Mapping[str, str | None] | None,
          sheet: str | None, max_rows: int) -> pd.DataFrame:
    """The importer's reader; it finds a header by names it knows, so the names of our key column are given
    to it as recognised (and any header the user mapped). A file of more than ``max_rows`` rows is refused
    before it is parsed."""
    names = [*words, *(h for h, f in (overrides or {}).items() if f)]
    raw = ingest.read_table(data, filename, sheet=sheet, header_names=names, max_rows=max_rows)
    if raw.empty:
        raise ResultsFileError("no_rows")
    return raw


def _cells(raw: pd.DataFrame, header: str) -> pd.Series:
    """A column's cells as text, invisible characters removed and trimmed ("" for an empty cell): each distinct
    cell cleaned once (a sales file's dates and regions repeat)."""
    codes, uniques = pd.factorize(raw[header], use_na_sentinel=True)
    cleaned = np.array([_INVISIBLE_RE.sub("", str(v)).strip() for v in uniques] + [""], dtype=object)
    return pd.Series(cleaned[codes], index=raw.index, dtype=object)  # code -1 (an empty cell): the last, ""


def _numbers(raw: pd.DataFrame, header: str, fname: str, issues: list[RowIssue]) -> np.ndarray:
    """A number column read by the importer's parser; unreadable or negative cells refuse their rows."""
    cells = _cells(raw, header)
    values, error = ingest.parse_numbers(cells)
    return _checked(raw, header, cells, values, error, issues)


def _checked(raw: pd.DataFrame, header: str, cells: pd.Series, values: np.ndarray, error: np.ndarray,
             issues: list[RowIssue], *, high: bool = True) -> np.ndarray:
    """The parsed cells of a number column with unreadable, negative and (``high``) implausible cells refused
    (NaN). Amounts are checked against the high limit after their conversion instead (:func:`_amounts`)."""
    values = np.asarray(values, dtype=float).copy()
    rows = raw.index.to_numpy()
    for i in np.flatnonzero(error):
        issues.append(RowIssue(int(rows[i]), header, "not_a_number", {"value": _shown(cells.iloc[i])}))
    with np.errstate(invalid="ignore"):
        neg = ~error & (values < 0)
        big = ~error & (values > NUMBER_HIGH) if high else np.zeros(len(values), dtype=bool)
    for i in np.flatnonzero(neg):
        issues.append(RowIssue(int(rows[i]), header, "negative_number", {"value": _shown(cells.iloc[i])}))
    for i in np.flatnonzero(big):
        issues.append(RowIssue(int(rows[i]), header, "out_of_range", {"value": _shown(cells.iloc[i]),
                                                                      "high": NUMBER_HIGH}))
    values[error | neg | big] = np.nan
    return values


@dataclass
class _Money:
    """What a file's amounts are converted into (the campaign's currency, through ``rates``) and each row's
    currency column (its code, or unreadable); ``unknown_rows`` the rows already refused for that column."""

    target: str
    rates: Rates
    column: str | None = None
    row_currency: list[str | None] = field(default_factory=list)
    row_unknown: list[bool] = field(default_factory=list)
    row_cells: list[str] = field(default_factory=list)
    unknown_rows: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, raw: pd.DataFrame, column: str | None, target: str, rates: Rates) -> _Money:
        money = cls(target=target, rates=rates, column=column)
        cells = _cells(raw, column).tolist() if column else [""] * len(raw)
        codes = {c: ingest.currency_code(c) for c in set(cells) if c}
        money.row_cells = cells
        money.row_currency = [codes.get(c) if c else None for c in cells]
        money.row_unknown = [bool(c) and codes[c] is None for c in cells]
        return money

    @property
    def known(self) -> str:
        """The currencies an amount may be in: those the importer reads and the rates convert."""
        return ", ".join(c for c in schema.CURRENCIES if c in self.rates.table)


def _amounts(raw: pd.DataFrame, header: str, money: _Money, issues: list[RowIssue],
             notes: list[RowIssue]) -> np.ndarray:
    """A money column in the campaign's currency: each cell's currency is the one it names ("$500"), else its
    header's ("Выручка, USD"), else its row's currency column, else the campaign's; another currency than the
    campaign's is converted through ``money.rates`` with a note; an unknown currency, a cell against its row's
    currency column, or a currency without a rate refuses the row (with the importer's number checks)."""
    cells = _cells(raw, header)
    values, error, named = ingest.parse_money(cells)
    error, named = error.copy(), named.copy()
    rows = raw.index.to_numpy()
    for i in np.flatnonzero(error):  # "500 GBP": a currency the parser does not read, not garbage
        code = ingest.other_currency(cells.iloc[i])
        if code:
            issues.append(RowIssue(int(rows[i]), header, "unsupported_currency",
                                   {"value": _shown(cells.iloc[i]), "currency": code, "known": money.known}))
            error[i] = False
    values = _checked(raw, header, cells, values, error, issues, high=False)
    in_header = ingest.header_currency(header)
    other_header = None if in_header else ingest.other_currency(header, cell=False)
    marked = np.isfinite(values)  # the cells that name a currency (their own, the header's or the row's)
    if not (in_header or other_header):
        marked &= (named != None) | (np.array(money.row_cells, dtype=object) != "")  # noqa: E711
    for i in np.flatnonzero(marked):
        row, shown = int(rows[i]), _shown(cells.iloc[i])
        own, column_cur = named[i] or in_header, money.row_currency[i]
        refusal: RowIssue | None = None
        if money.row_unknown[i]:  # one refusal per row, at its currency column
            if row not in money.unknown_rows:
                money.unknown_rows.add(row)
                refusal = RowIssue(row, str(money.column), "unknown_row_currency",
                                   {"value": _shown(money.row_cells[i]), "known": money.known})
        elif named[i] is None and other_header:
            refusal = RowIssue(row, header, "unsupported_currency",
                               {"value": shown, "currency": other_header, "known": money.known})
        elif own and column_cur and own != column_cur:
            refusal = RowIssue(row, header, "currency_mismatch",
                               {"value": shown, "currency": own, "column": column_cur})
        if refusal is not None or money.row_unknown[i]:
            issues.extend([refusal] if refusal is not None else [])
            values[i] = np.nan
            continue
        cur = own or column_cur or money.target
        if cur == money.target:
            continue
        try:
            rate = float(money.rates.convert(1.0, cur, money.target))
        except UnknownCurrency:
            issues.append(RowIssue(row, header, "no_exchange_rate",
                                   {"value": shown, "currency": cur, "target": money.target}))
            values[i] = np.nan
            continue
        amount = float(values[i])
        values[i] = float(money.rates.convert(amount, cur, money.target))
        if values[i] > NUMBER_HIGH:  # the limit holds in the campaign's currency: checked after the conversion
            issues.append(RowIssue(row, header, "converted_out_of_range",
                                   {"value": shown, "currency": cur, "rate": rate, "target": money.target,
                                    "converted": float(values[i]), "high": NUMBER_HIGH}))
            values[i] = np.nan
            continue
        notes.append(RowIssue(row, header, "converted_currency",
                              {"value": shown, "amount": amount, "currency": cur, "rate": rate,
                               "target": money.target, "converted": float(values[i])}))
    with np.errstate(invalid="ignore"):
        big = values > NUMBER_HIGH  # amounts in the campaign's own currency
    for i in np.flatnonzero(big):
        issues.append(RowIssue(int(rows[i]), header, "out_of_range", {"value": _shown(cells.iloc[i]),
                                                                      "high": NUMBER_HIGH}))
    values[big] = np.nan
    return values


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _dates(raw: pd.DataFrame, header: str, issues: list[RowIssue], today: date | None = None) -> list[date | None]:
    """A date column: each distinct cell read once; a cell that is no date, or a date outside
    :func:`plausible_days` (9999-12-31, 0001-01-01, ``99999`` read as 2173-10-13), refuses its row."""
    first, last = plausible_days(today)
    codes, uniques = pd.factorize(_cells(raw, header))
    parsed = [ingest.parse_date(cell) if cell else None for cell in uniques]
    # per distinct cell: 0 a date (or an empty cell), 1 no date, 2 a date out of range
    state = np.array([0 if (d is None and not cell) or (d is not None and first <= d <= last) else
                      (1 if d is None else 2) for cell, d in zip(uniques, parsed, strict=True)] + [0], dtype=np.int8)
    values = np.array([*parsed, None], dtype=object)
    rows, row_state = raw.index.to_numpy(), state[codes]
    for i in np.flatnonzero(row_state):  # only the refused rows, in row order
        cell, day = uniques[codes[i]], parsed[codes[i]]
        if row_state[i] == 1:
            issues.append(RowIssue(int(rows[i]), header, "not_a_date", {"value": _shown(cell)}))
        else:
            assert day is not None
            issues.append(RowIssue(int(rows[i]), header, "date_out_of_range",
                                   {"value": _shown(cell), "day": day.isoformat(), "first": first.isoformat(),
                                    "last": last.isoformat()}))
    out = values[codes]
    out[row_state != 0] = None
    return list(out)


# ---- identity: the importer's rules for handles, profile links and platform names -------------------------
def _identities(raw: pd.DataFrame, handle_col: str, platform_col: str | None,
                issues: list[RowIssue]) -> tuple[list[str | None], list[str | None]]:
    """Per row: the handle and platform as the blogger importer reads them (``@Anna``, a profile link,
    "Инстаграм"), through :func:`planner.ingest.normalise` on the distinct (handle, platform) cells.
    ``platform`` is None where the row names none (no column, an empty cell, a handle that is no link)."""
    rows = raw.index.to_numpy()
    handles = _cells(raw, handle_col)
    plats = _cells(raw, platform_col) if platform_col else pd.Series("", index=raw.index)
    pairs = pd.DataFrame({"h": handles.to_numpy(), "p": plats.to_numpy()}, index=rows)
    distinct = pairs.drop_duplicates()
    resolved: dict[tuple[str, str], tuple[str, str | None]] = {}
    refused: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {}
    todo = distinct
    while len(todo):
        # the importer needs a platform (and followers): rows without one get a stand-in, dropped again below
        frame = pd.DataFrame({"h": todo["h"].to_numpy(), "p": todo["p"].to_numpy(), "f": "1",
                              "n": [str(i) for i in range(len(todo))]},
                             index=pd.Index(range(1, len(todo) + 1), name="row")).astype("string[pyarrow]")
        pv = ingest.normalise(frame, {"h": "handle", "p": "platform", "f": "followers", "n": "name"},
                              platform="instagram")
        keys = list(zip(todo["h"], todo["p"], strict=True))
        done: set[int] = set()
        for r in pv.rejected:
            key = keys[r.row - 1]
            column = handle_col if r.column == "h" else (platform_col or handle_col)
            refused[key] = (column, r.code, dict(r.params))
            done.add(r.row - 1)
        for pos, h, p in zip(pv.frame.index, pv.frame["handle"], pv.frame["platform"], strict=True):
            key = keys[int(pos) - 1]
            named = bool(key[1]) or "/" in key[0]  # a platform column's cell, or a profile link
            resolved[key] = (str(h), str(p) if named else None)
            done.add(int(pos) - 1)
        left = [i for i in range(len(todo)) if i not in done]  # rows the importer merged as the same blogger
        if len(left) == len(todo):
            break
        todo = todo.iloc[left]
    out_h: list[str | None] = []
    out_p: list[str | None] = []
    for row, h, p in zip(rows, pairs["h"], pairs["p"], strict=True):
        key = (h, p)
        if key in refused:
            column, code, params = refused[key]
            issues.append(RowIssue(int(row), column, code, params))
        handle, platform = resolved.get(key, (None, None))
        out_h.append(handle)
        out_p.append(platform)
    return out_h, out_p


# ---- results files -----------------------------------------------------------------------------------------
@dataclass
class ResultsPreview:
    """A results file read and matched. ``frame`` holds one row per matched placement (``placement_id``, the
    spreadsheet ``row``, the fields in ``columns``); ``rejected`` the refused rows (row, column, why);
    ``unmatched`` rows whose blogger is not in the campaign; ``notes`` rows replaced by a later row, amounts
    converted from another currency into the campaign's and rows of cancelled placements.

    Each list holds its first :data:`LISTED` entries by row; ``totals`` counts them all (``rejected``,
    ``refused_rows``, ``unmatched``, ``notes``) and ``groups`` counts refusals and notes by column and reason."""

    frame: pd.DataFrame
    columns: list[str]
    rows_read: int
    mapping: dict[str, str | None]
    rejected: list[RowIssue] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    notes: list[RowIssue] = field(default_factory=list)
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    groups: list[IssueGroup] = field(default_factory=list)

    def __post_init__(self) -> None:
        for kind, items in (("rejected", self.rejected), ("unmatched", self.unmatched), ("notes", self.notes)):
            self.totals.setdefault(kind, len(items))
        self.totals.setdefault("refused_rows", len({i.row for i in self.rejected}))

    @property
    def matched(self) -> int:
        return len(self.frame)

    @property
    def cut(self) -> bool:
        """Whether any list holds fewer entries than it counts."""
        return any(self.totals[k] > len(v) for k, v in (("rejected", self.rejected), ("unmatched", self.unmatched),
                                                         ("notes", self.notes)))


def read_results(data: bytes, filename: str, placements: pd.DataFrame, *,
                 overrides: Mapping[str, str | None] | None = None, sheet: str | None = None,
                 currency: str = "RUB", rates: Rates | Mapping[str, float] | None = None,
                 today: date | None = None) -> ResultsPreview:
    """Read a results file and match its rows to ``placements`` (a campaign's: id, handle, platform, format and,
    when given, status).

    Amounts come out in ``currency`` (the campaign's): an amount the file marks in another currency (its cell,
    its header or the row's currency column) is converted through ``rates`` (:class:`Rates`, the defaults when
    None) and noted in ``notes``; one that cannot be converted refuses its row. Dates are plausible from 2000 to a
    year after ``today`` (the date today when None).

    Raises :class:`ResultsFileError` (or the importer's :class:`planner.ingest.UnreadableFile`) for a file
    that cannot be used at all; never another exception for any file."""
    try:
        return _read_results(data, filename, placements, overrides, sheet, (currency or "RUB").upper(),
                             Rates.of(rates), today)
    except (ResultsFileError, ingest.UnreadableFile):
        raise
    except Exception as exc:  # a damaged file must never end in a traceback
        raise ingest.UnreadableFile("unexpected", detail=type(exc).__name__) from exc


def _read_results(data: bytes, filename: str, placements: pd.DataFrame,
                  overrides: Mapping[str, str | None] | None, sheet: str | None, currency: str,
                  rates: Rates, today: date | None = None) -> ResultsPreview:
    raw = _read(data, filename, _HANDLE_WORDS, overrides, sheet, limits.MAX_RESULT_ROWS)
    headers = [str(h) for h in raw.columns]
    mapping = map_headers(headers, overrides)
    source = {f: h for h, f in mapping.items() if f}
    if "handle" not in source:
        raise ResultsFileError("no_handle_column")
    columns = [f for f in RESULT_FIELDS if f in source]
    if not [f for f in columns if f in NUMBER_FIELDS]:
        raise ResultsFileError("no_results_columns")
    issues: list[RowIssue] = []
    converted: list[RowIssue] = []
    ident = _identities(raw, source["handle"], source.get("platform"), issues)
    money = _Money.of(raw, source.get(CURRENCY_FIELD), currency, rates)
    values: dict[str, Any] = {}
    for f in columns:
        if f in MONEY_FIELDS:
            values[f] = _amounts(raw, source[f], money, issues, converted)
        elif f in NUMBER_FIELDS:
            values[f] = _numbers(raw, source[f], f, issues)
        elif f == "published_at":
            values[f] = _dates(raw, source[f], issues, today)
        else:
            values[f] = [(c[:TEXT_LIMITS[f]] or None) for c in _cells(raw, source[f])]
    formats = _cells(raw, source["format"]).str.lower().tolist() if "format" in source else [""] * len(raw)
    refused_rows = {i.row for i in issues}
    index = _placement_index(placements)
    cancelled = _cancelled(placements)
    chosen: dict[int, int] = {}  # placement id -> position in raw
    row_pid: dict[int, int] = {}  # position in raw -> its placement (rows not refused, matched to one)
    unmatched: list[dict[str, Any]] = []
    rows = raw.index.to_numpy()
    found: dict[tuple[str | None, str | None, str], tuple[int | None, RowIssue | None]] = {}
    for pos, row in enumerate(rows):
        if int(row) in refused_rows:
            continue
        handle, platform = ident[0][pos], ident[1][pos]
        key = (handle, platform, formats[pos])
        if key not in found:  # each identity matched once, however many rows name it
            found[key] = _match(index, handle, platform, formats[pos], 0, source)
        pid, issue = found[key]
        if issue is not None:
            issues.append(RowIssue(int(row), issue.column, issue.code, issue.params))
        elif pid is None:
            unmatched.append({"row": int(row), "handle": handle, "platform": platform})
        else:
            chosen[pid] = pos  # a later row of the same placement wins (noted below)
            row_pid[pos] = pid
    notes: list[RowIssue] = []
    kept = set(chosen.values())
    for pos, pid in row_pid.items():  # every earlier row of a placement a later row replaces
        if pos not in kept:
            notes.append(RowIssue(int(rows[pos]), source["handle"], "superseded_row",
                                  {"later": int(rows[chosen[pid]])}))
    used = {int(rows[q]) for q in kept}
    notes += [n for n in converted if n.row in used]  # the conversions of the rows stored
    notes += [RowIssue(int(rows[q]), source["handle"], "cancelled_placement", {})
              for p, q in chosen.items() if p in cancelled]
    notes.sort(key=lambda i: (i.row, i.column))
    order = sorted(chosen.items(), key=lambda kv: kv[1])
    frame = pd.DataFrame({"placement_id": [p for p, _ in order], "row": [int(rows[q]) for _, q in order]})
    for f in columns:
        frame[f] = [values[f][q] for _, q in order]
    issues.sort(key=lambda i: (i.row, i.column))
    totals = {"rejected": len(issues), "refused_rows": len({i.row for i in issues}), "unmatched": len(unmatched),
              "notes": len(notes)}
    groups = issue_groups("refused", issues) + issue_groups("note", notes)
    return ResultsPreview(frame=frame, columns=columns, rows_read=len(raw), mapping=mapping, rejected=issues[:LISTED],
                          unmatched=unmatched[:LISTED], notes=notes[:LISTED], sheet=raw.attrs.get("sheet"),
                          sheets=list(raw.attrs.get("sheets") or []), totals=totals, groups=groups)


def _placement_index(placements: pd.DataFrame) -> dict[str, list[tuple[int, str, str]]]:
    """handle -> [(placement id, platform, format)] (cancelled placements too: they may have been paid)."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    if placements is None or placements.empty:
        return out
    for pid, h, p, f in zip(placements["id"], placements["handle"], placements["platform"], placements["format"],
                            strict=True):
        out.setdefault(str(h).lower(), []).append((int(pid), str(p), str(f)))
    return out


def _cancelled(placements: pd.DataFrame) -> set[int]:
    """Ids of the cancelled placements (results for them are stored, with a note)."""
    if placements is None or placements.empty or "status" not in placements.columns:
        return set()
    return {int(pid) for pid, st in zip(placements["id"], placements["status"], strict=True) if st == "cancelled"}


def _match(index: Mapping[str, list[tuple[int, str, str]]], handle: str | None, platform: str | None, fmt: str,
           row: int, source: Mapping[str, str]) -> tuple[int | None, RowIssue | None]:
    if not handle:
        return None, None
    found = index.get(str(handle).lower(), [])
    if platform:
        found = [c for c in found if c[1] == platform]
    elif len({c[1] for c in found}) > 1:
        return None, RowIssue(row, source["handle"], "ambiguous_platform",
                              {"handle": handle, "platform": "", "platforms": ", ".join(sorted({c[1] for c in found}))})
    if len(found) > 1 and fmt:
        by_fmt = [c for c in found if c[2].lower() == fmt or c[2].lower().split("+")[0] == fmt]
        found = by_fmt or found
    if len(found) > 1:
        return None, RowIssue(row, source.get("format", source["handle"]), "ambiguous_format",
                              {"handle": handle, "platform": found[0][1], "formats": ", ".join(c[2] for c in found)})
    return (found[0][0], None) if found else (None, None)


def apply_results(engine: Engine, campaign_id: int, preview: ResultsPreview, *,
                  access: Access, source: str = "import", dry_run: bool = False,
                  ) -> tuple[int, int]:
    """Write the matched rows of ``preview``, one transaction (every row or none). Returns (inserted, updated)."""
    return write_results(engine, campaign_id, preview.frame, columns=preview.columns, access=access,
                         source=source, dry_run=dry_run)


def write_results(engine: Engine, campaign_id: int, frame: pd.DataFrame, *, columns: Sequence[str] | None = None,
                  access: Access, source: str = "edit", dry_run: bool = False,
                  expected_version: int | None = None) -> tuple[int, int]:
    """Upsert results by placement: ``frame`` has ``placement_id`` and result fields; only ``columns`` (default:
    the fields in the frame) are written, so a file without revenue keeps the revenue stored. One transaction:
    a failure on any row writes nothing. Returns (inserted, updated)."""
    cols = [c for c in (columns or [c for c in frame.columns if c in RESULT_FIELDS]) if c in RESULT_FIELDS]
    rows = [(int(rec["placement_id"]), {c: _db_value(c, rec.get(c)) for c in cols})
            for rec in frame.to_dict("records")]
    try:
        return repo.upsert_results(engine, campaign_id, rows, source=source, access=access,
                                   dry_run=dry_run, expected_version=expected_version)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None
    except StaleWrite as exc:  # edited from an older view: nothing written (planner.storage.versions)
        raise StaleEdit(exc.part) from None


def results_version(engine: Engine, campaign_id: int, *, access: Access) -> int:
    """The campaign's results version now: what an edit of the results says it was made from."""
    try:
        return repo.results_version(engine, campaign_id, access=access)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None


def _db_value(name: str, value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if name == "published_at":
        if isinstance(value, pd.Timestamp):
            return value.date()
        return value if isinstance(value, date) else ingest.parse_date(value)
    if name in NUMBER_FIELDS:
        v = float(value)
        return v if math.isfinite(v) else None
    text = str(value).strip()
    return text[:TEXT_LIMITS.get(name, 2000)] or None


def load_results(engine: Engine, campaign_id: int, *, access: Access) -> pd.DataFrame:
    """The campaign's placements with their results (NaN where none), one row per placement."""
    try:
        pairs = repo.placement_results(engine, campaign_id, access=access)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None
    rows = []
    for p, r in pairs:
        row = {"placement_id": p.id, "blogger_id": p.blogger_id, "handle": p.handle, "platform": p.platform,
               "format": p.format, "kind": p.kind, "status": p.status, "planned_cost": p.cost,
               "planned_product_cost": p.product_cost, "expected_reach": p.expected_reach,
               "expected_posts": p.expected_posts, "planned_date": p.planned_date, "has_result": r is not None}
        for f in RESULT_FIELDS:
            row[f] = getattr(r, f) if r is not None else None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["placement_id", "blogger_id", "handle", "platform", "format", "kind", "status",
                                        "planned_cost", "planned_product_cost", "expected_reach", "expected_posts",
                                        "planned_date", "has_result", *RESULT_FIELDS])
    for f in NUMBER_FIELDS:
        frame[f] = pd.to_numeric(frame[f], errors="coerce").astype(float)
    return frame


# ---- the daily sales series --------------------------------------------------------------------------------
@dataclass
class SalesPreview:
    """A daily sales series read: ``frame`` (day, region, control, sales, row), refused rows, notes, the unit.
    ``rejected`` and ``notes`` hold their first :data:`LISTED` entries by row; ``totals`` counts them all and
    ``groups`` counts them by column and reason."""

    frame: pd.DataFrame
    rows_read: int
    mapping: dict[str, str | None]
    rejected: list[RowIssue] = field(default_factory=list)
    notes: list[RowIssue] = field(default_factory=list)
    unit: str = "orders"
    totals: dict[str, int] = field(default_factory=dict)
    groups: list[IssueGroup] = field(default_factory=list)

    def __post_init__(self) -> None:
        for kind, items in (("rejected", self.rejected), ("notes", self.notes)):
            self.totals.setdefault(kind, len(items))
        self.totals.setdefault("refused_rows", len({i.row for i in self.rejected}))

    @property
    def regions(self) -> list[str]:
        return sorted(set(self.frame["region"]))

    @property
    def cut(self) -> bool:
        """Whether a list holds fewer entries than it counts."""
        return self.totals["rejected"] > len(self.rejected) or self.totals["notes"] > len(self.notes)


def read_sales(data: bytes, filename: str, *, controls: Sequence[str] = (),
               overrides: Mapping[str, str | None] | None = None, sheet: str | None = None,
               today: date | None = None) -> SalesPreview:
    """Read a daily sales series: a date column, a sales column and optionally a region column.

    With regions, the campaign's region is the first one in the file and the others are control regions
    (regions with "control"/"контроль" in their name, or named in ``controls``, are always controls). The
    unit is revenue when the sales column's header names money (выручка, revenue, ₽, $, €), else orders.
    A day outside 2000 to a year after ``today`` refuses its row; a file of too many rows or regions, or a
    series longer than ten years, is refused whole (planner.ingest.reasons)."""
    try:
        return _read_sales(data, filename, controls, overrides, sheet, today)
    except (ResultsFileError, ingest.UnreadableFile):
        raise
    except Exception as exc:
        raise ingest.UnreadableFile("unexpected", detail=type(exc).__name__) from exc


def _sales_mapping(headers: Sequence[str], overrides: Mapping[str, str | None] | None) -> dict[str, str | None]:
    over = {header_key(k): v for k, v in (overrides or {}).items()}
    words = {"day": _DATE_WORDS, "sales": _SALES_WORDS, "region": _REGION_WORDS}
    rules = {"day": r"\bдат|\bdate|\bday\b|\bдень\b|период|period", "sales": r"продаж|sales|выручк|revenue|заказ|order"
             r"|units|штук|количеств|сумм", "region": r"регион|region|город|city|market|рынок|\bгео\b|\bgeo\b|area"}
    out: dict[str, str | None] = {h: None for h in headers}
    taken: set[str] = set()
    for rank in (0, 1, 2):
        for h in headers:
            if out[h] is not None:
                continue
            key = header_key(h)
            for f in ("day", "sales", "region"):
                if f in taken:
                    continue
                hit = ((rank == 0 and key in over and over[key] == f)
                       or (rank == 1 and key not in over and key in {header_key(w) for w in words[f]})
                       or (rank == 2 and key not in over and re.search(rules[f], key)))
                if hit:
                    out[h] = f
                    taken.add(f)
                    break
    return out


def _read_sales(data: bytes, filename: str, controls: Sequence[str], overrides: Mapping[str, str | None] | None,
                sheet: str | None, today: date | None = None) -> SalesPreview:
    raw = _read(data, filename, _DATE_WORDS, overrides, sheet, limits.MAX_SALES_ROWS)
    mapping = _sales_mapping([str(h) for h in raw.columns], overrides)
    source = {f: h for h, f in mapping.items() if f}
    if "day" not in source:
        raise ResultsFileError("no_date_column")
    if "sales" not in source:
        raise ResultsFileError("no_sales_column")
    regions = _cells(raw, source["region"]).str.slice(0, 100).tolist() if "region" in source else [""] * len(raw)
    distinct = len({r for r in regions if r})
    if distinct > limits.MAX_SALES_REGIONS:  # before any date is read
        raise ResultsFileError("too_many_regions", count=distinct, limit=limits.MAX_SALES_REGIONS)
    issues: list[RowIssue] = []
    days = _dates(raw, source["day"], issues, today)
    sales = _numbers(raw, source["sales"], "sales", issues)
    rows = raw.index.to_numpy()
    refused = np.isin(rows, np.fromiter((i.row for i in issues), dtype=np.int64, count=len(issues)))
    no_day = np.array([d is None for d in days], dtype=bool)
    for pos in np.flatnonzero(~refused & (no_day | np.isnan(sales))):  # a blank date or sales cell refuses its row
        if no_day[pos]:
            issues.append(RowIssue(int(rows[pos]), source["day"], "not_a_date", {"value": ""}))
        else:
            issues.append(RowIssue(int(rows[pos]), source["sales"], "not_a_number", {"value": ""}))
    keep = ~(refused | no_day | np.isnan(sales))
    frame = pd.DataFrame({"day": np.asarray(days, dtype=object)[keep],
                          "region": np.asarray(regions, dtype=object)[keep],
                          "sales": np.asarray(sales, dtype=float)[keep], "row": rows[keep].astype(int)})
    refused_rows = int(len(rows) - keep.sum())
    notes: list[RowIssue] = []
    dup = frame.duplicated(["day", "region"], keep="last")
    if dup.any():
        last = frame.drop_duplicates(["day", "region"], keep="last")[["day", "region", "row"]]
        earlier = frame.loc[dup, ["day", "region", "row"]].merge(last, on=["day", "region"], suffixes=("", "_later"))
        notes = [RowIssue(int(r), source["day"], "duplicate_day", {"later": int(later)})
                 for r, later in zip(earlier["row"], earlier["row_later"], strict=True)]
        frame = frame[~dup].reset_index(drop=True)
    if frame.empty:
        raise ResultsFileError("empty_series")
    first, last_day = min(frame["day"]), max(frame["day"])
    span = (last_day - first).days + 1
    if span > limits.MAX_SALES_SPAN_DAYS:
        raise ResultsFileError("sales_span_too_long", first=first.isoformat(), last=last_day.isoformat(), days=span,
                               limit=limits.MAX_SALES_SPAN_DAYS)
    present = set(frame["region"])
    named = [r for r in dict.fromkeys(regions) if r and r in present]  # in the file's order
    wanted = {c.strip().lower() for c in controls}
    ctrl = {r for r in named if _CONTROL_RE.search(r.lower()) or r.lower() in wanted}
    if named and not ctrl and len(named) > 1:
        ctrl = set(named[1:])
    frame["control"] = frame["region"].isin(ctrl)
    unit = "revenue" if re.search(r"выручк|revenue|руб|сумм|amount|rub|usd|eur|доход", header_key(source["sales"])) \
        else "orders"
    issues.sort(key=lambda i: (i.row, i.column))
    notes.sort(key=lambda i: (i.row, i.column))
    totals = {"rejected": len(issues), "refused_rows": refused_rows, "notes": len(notes)}
    groups = issue_groups("refused", issues) + issue_groups("note", notes)
    return SalesPreview(frame=frame.sort_values(["control", "region", "day"]).reset_index(drop=True),
                        rows_read=len(raw), mapping=mapping, rejected=issues[:LISTED], notes=notes[:LISTED],
                        unit=unit, totals=totals, groups=groups)


def store_sales(engine: Engine, campaign_id: int, preview: SalesPreview | pd.DataFrame, *,
                access: Access, unit: str | None = None) -> int:
    """Replace the campaign's sales series (one transaction). Returns days stored."""
    frame = preview.frame if isinstance(preview, SalesPreview) else preview
    unit = unit or (preview.unit if isinstance(preview, SalesPreview) else None)
    days = [(rec.day, str(rec.region or ""), bool(getattr(rec, "control", False)), float(rec.sales))
            for rec in frame.itertuples()]
    try:
        repo.replace_sales(engine, campaign_id, days, unit=unit, access=access)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None
    return len(frame)


def load_sales(engine: Engine, campaign_id: int, *, access: Access) -> pd.DataFrame:
    """The campaign's sales series: day, region, control, sales (empty when none was stored)."""
    try:
        return repo.load_sales(engine, campaign_id, access=access)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None


def campaigns_with_results(engine: Engine, *, access: Access) -> set[int]:
    """Ids of the workspace's campaigns with at least one placement result (one query)."""
    return repo.campaigns_with_results(engine, access=access)


def campaign_of(engine: Engine, campaign_id: int, *, access: Access) -> Campaign:
    try:
        return campaign_repo.get_campaign(engine, campaign_id, access=access)
    except CampaignNotFound:
        raise GoalError("campaign", value=campaign_id) from None


def placements_of(engine: Engine, campaign_id: int, *, access: Access) -> pd.DataFrame:
    frame = load_results(engine, campaign_id, access=access)
    return frame.rename(columns={"placement_id": "id"})[["id", "handle", "platform", "format", "status"]]
