"""What every page shares: settings, the engine, the cached catalog, formatting shortcuts.

UI glue only; the domain lives in planner/.
"""

from __future__ import annotations

import concurrent.futures
import math
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from planner.app.catalog import open_catalog
from planner.core.i18n import DEFAULT_LANG, LANGUAGES, error_text, t
from planner.core.markdown import literal
from planner.core.memo import LruMemo, Unkeyable, value_key
from planner.core.money import (
    DEFAULT_FX_RUB,
    SYMBOLS,
    Rates,
    UnknownCurrency,
    format_compact,
    format_money,
    format_number,
    format_percent,
)
from planner.core.schema import CURRENCIES
from planner.estimates.catalog import Catalog
from planner.storage import db, store
from planner.storage.access import OWNER, PLANNER, VIEWER, Access, Forbidden, NoWorkspace, normal_email, resolve
from planner.storage.db import Engine
from planner.storage.models import DEFAULT_WORKSPACE_ID, LOCAL_USER_EMAIL

if TYPE_CHECKING:
    from planner.app.pitch import Ahead
    from planner.reporting.pitch import Solved

APP_PATH = str(Path(__file__).resolve().parent.parent / "app.py")
# st.session_state key of the Plan page's brief on screen (a frozen planner.planning.brief.Brief, its list, locks,
# kick-outs and rates included): the typed state other pages take ("Take the Plan page's brief").
PLAN_BRIEF = "_brief_of_plan_page"
# what the Database page hands the other pages, by these st.session_state keys only: the shortlist (blogger ids),
# the filters on screen (Filters.to_dict()) and the tier bounds in use (followers where micro, mid, macro and mega
# begin; None: planner.estimates.benchmarks' defaults)
SHORTLIST = "db_shortlist"
DB_FILTERS = "db_filters"
TIER_BOUNDS = "db_tier_bounds"
# st.session_state key of the plan on screen on the Plan page (a planner.app.planning.PlanOutcome): the next lock,
# kick-out or reach weight starts from it, and the Barter page compares its placements
PLAN_SHOWN = "_plan_of_plan_page"


def leave_legacy_pages_mode() -> None:
    """Called first by app.py. On the first visit of a fresh server Streamlit runs app.py as the main page
    of a legacy pages/ app (its page id differs from every st.navigation page, so the visitor's first click
    would be taken for a page switch and lose its widget values): switch to st.navigation mode and rerun."""
    from streamlit import config
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and not config.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()


def require_router() -> None:
    """Make sure the page runs under app.py's st.navigation.

    Streamlit treats a folder named ``pages/`` beside the entry script as a legacy (v1) multipage app
    until the first st.navigation call, so a first visit straight to /plan would run the page alone,
    without the settings sidebar. A page that finds app.py missing from its call stack switches the
    process to st.navigation mode and reruns through the router.
    """
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == APP_PATH:
            return
        frame = frame.f_back  # type: ignore[assignment]
    from streamlit import config
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    if not config.get_option("global.appTest"):
        st.rerun()  # the server: from now on every run goes through app.py
    # AppTest resets that flag before every run, so a rerun would come back here and lose the run's widget
    # events: run the router in place instead (it draws the sidebar and runs this page under st.navigation)
    import runpy

    runpy.run_path(APP_PATH, run_name="__main__")
    st.stop()


@dataclass(frozen=True)
class Settings:
    lang: str
    currency: str
    fx: tuple[tuple[str, float], ...]

    @property
    def fx_map(self) -> dict[str, float]:
        return dict(self.fx)

    @property
    def rates(self) -> Rates:
        """The exchange rates in use (an editable assumption): the one way amounts change currency."""
        return Rates.of(self.fx_map)

    def shown(self, amount, from_ccy: str = "RUB"):
        """An amount (scalar or array) in ``from_ccy`` in the display currency; NaN for an unknown currency."""
        try:
            return self.rates.convert(amount, from_ccy, self.currency)
        except UnknownCurrency:
            return amount * float("nan")

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.currency]

    def t(self, key: str, **kwargs: object) -> str:
        return t(key, self.lang, **kwargs)

    def money(self, value, decimals: int = 0) -> str:
        return format_money(value, self.currency, self.lang, decimals)

    def number(self, value, decimals: int = 0) -> str:
        return format_number(value, self.lang, decimals)

    def compact(self, value) -> str:
        return format_compact(value, self.lang)

    def percent(self, value, decimals: int = 1) -> str:
        return format_percent(value, self.lang, decimals)

    def error(self, exc: BaseException, ccy: str = "RUB") -> str:
        """A coded error (planner.core.errors) in the page's language, its amounts (in ``ccy``, the plan's
        currency) in the display currency: "budget 1 ₽ is below ... (2,800 ₽)", never a bare number."""
        return error_text(exc, self.lang, money=lambda v: self.money(self.shown(v, ccy)),
                          text=literal)  # names and handles in it are data: shown as typed, never as Markdown


def current_lang() -> str:
    """The language before the selector is drawn: the widget's state, else the URL (?lang=ru)."""
    lang = st.session_state.get("lang") or st.query_params.get("lang") or DEFAULT_LANG
    return lang if lang in LANGUAGES else DEFAULT_LANG


MISSING = "—"  # what a table shows in a cell with no value (Streamlit's own default is the word "None")


def dataframe(where: Any, data: Any = None, **kwargs: Any) -> Any:
    """``where.dataframe`` as every page draws one: a missing value is "—", never "None"."""
    kwargs.setdefault("placeholder", MISSING)
    return where.dataframe(data, **kwargs)


def data_editor(where: Any, data: Any, **kwargs: Any) -> Any:
    """``where.data_editor`` as every page draws one: an empty cell is empty, never "None"."""
    kwargs.setdefault("placeholder", "")
    return where.data_editor(data, **kwargs)


@dataclass(frozen=True)
class ChosenFile:
    """A file chosen in an uploader: its name and bytes."""

    name: str
    data: bytes


def kept_upload(label: str, key: str, lang: str, **kwargs: Any) -> ChosenFile | None:
    """``st.file_uploader(label, key=key, **kwargs)`` in a tab drawn only while open, whose chosen file outlives the
    tab being closed: Streamlit forgets a widget that a run did not draw, so the file is kept beside it and offered
    again (with a line saying so and a button that removes it) when the tab is opened again. A file the user removes
    from the uploader, while it is drawn, is gone."""
    keep = f"_kept_{key}"
    was_drawn = key in st.session_state  # absent: the uploader was not drawn in the last run (its tab was closed)
    up = st.file_uploader(label, key=key, **kwargs)
    if up is not None:
        chosen = ChosenFile(up.name, up.getvalue())
        st.session_state[keep] = chosen
        return chosen
    if was_drawn:  # drawn and empty: the user removed the file (or never chose one)
        st.session_state.pop(keep, None)
        return None
    kept: ChosenFile | None = st.session_state.get(keep)
    if kept is None:
        return None
    line, forget = st.columns([5, 1], vertical_alignment="center")
    line.caption(t("upload.kept", lang, name=literal(kept.name)))
    if forget.button(t("upload.forget", lang), key=f"{keep}_forget"):
        st.session_state.pop(keep, None)
        st.rerun()
    return kept


def forget_upload(key: str) -> None:
    """Drop the file :func:`kept_upload` keeps for the uploader ``key`` (it was stored: not offered again)."""
    st.session_state.pop(f"_kept_{key}", None)


def money_format(currency: str) -> str:
    """An amount input's format: whole roubles (no "800.00" on a Russian page), cents in dollars and euros."""
    return "%.0f" if currency == "RUB" else "%.2f"


def multiselect(where: Any, label: str, options: Any, **kwargs: Any) -> Any:
    """``where.multiselect`` (st or a column) as every page draws one: the frontend's bulk action ("Select all",
    "Select 3 matches") exists only in English, so a Russian page does not offer it."""
    return where.multiselect(label, options, select_all=current_lang() == "en", **kwargs)


# ---- URL state: a filtered view can be shared as a link ------------------------------------------
@dataclass(frozen=True)
class UrlParam:
    """A widget value mirrored in the URL. ``kind``: list, str, int, float, bool; ``options`` limits
    list and str values, ``lo``/``hi`` numbers (a number outside them is clamped to the widget's range; anything
    else in a hand-edited URL — "1e999", "abc", NaN — is dropped, never an error)."""

    kind: str
    default: Any = None
    options: Sequence[Any] | None = None
    lo: float | None = None
    hi: float | None = None
    max_length: int = 200


def _parse(p: UrlParam, raw: str) -> Any:
    raw = raw[: max(p.max_length, 1) * 50]  # a hand-made URL can be long: never parse megabytes
    if p.kind == "list":
        items = [x for x in raw.split(",") if x]
        return [x for x in items if p.options is None or x in p.options]
    if p.kind in ("int", "float"):
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(raw)
        if p.lo is not None:
            value = max(value, p.lo)
        if p.hi is not None:
            value = min(value, p.hi)
        return int(round(value)) if p.kind == "int" else value
    if p.kind == "bool":
        return raw.lower() in ("1", "true", "yes")
    if p.options is not None and raw not in p.options:
        raise ValueError(raw)
    return raw[: p.max_length]


def _dump(p: UrlParam, value: Any) -> str:
    if p.kind == "list":
        return ",".join(str(v) for v in value)
    if p.kind == "bool":
        return "1" if value else "0"
    if p.kind == "float":  # every digit kept: a shared link reproduces the very same filter (not 1.23457e+06)
        v = float(value)
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(value)


def load_url_state(spec: Mapping[str, UrlParam], flag: str) -> None:
    """Once per session, seed widget state from the URL (before the widgets are drawn)."""
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    for key, p in spec.items():
        raw = st.query_params.get(key)
        if raw is None:
            continue
        try:
            st.session_state[key] = _parse(p, raw)
        except (TypeError, ValueError):
            continue


def url_params(spec: Mapping[str, UrlParam]) -> dict[str, str]:
    """The URL's parameters for the current widget values (defaults left out to keep it short): what
    :func:`save_url_state` writes at the end of the run, and what a share link shows during it (the state on
    screen, never the run before)."""
    out: dict[str, str] = {}
    for key, p in spec.items():
        value = st.session_state.get(key, p.default)
        if not (value is None or value == p.default or value == [] or value == ""):
            out[key] = _dump(p, value)
    return out


def save_url_state(spec: Mapping[str, UrlParam]) -> None:
    """Mirror the current widget values in the URL; defaults are left out to keep it short."""
    wanted = url_params(spec)
    for key in spec:
        if key not in wanted:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]


# ---- a brief in a link: stored by its fingerprint, the link carries the short id ------------------------
BRIEF_URL = {"brief": UrlParam("str", "", max_length=64)}


def link_brief(brief_dict: Mapping[str, Any] | None) -> str:
    """Store a brief's JSON dict (planner.storage.lists) and return the short id a link carries ("" for none)."""
    if not brief_dict:
        return ""
    import hashlib
    import json

    from planner.storage import lists as stored
    text = json.dumps(dict(brief_dict), sort_keys=True, separators=(",", ":"), default=str)
    fp = hashlib.sha256(text.encode()).hexdigest()[:32]
    done: set[str] = st.session_state.setdefault("_linked_briefs", set())
    if fp not in done:  # stored once per session and brief: a rerun asks the database nothing
        stored.store_brief(engine(), fp, json.loads(text), access=workspace())
        done.add(fp)
    return fp


def draft_link(page: str, brief_dict: Mapping[str, Any] | None) -> str:
    """The link of a page whose brief changes with every click (the Plan page): the brief on screen is kept under
    one random id per session and page (planner.storage.lists.store_draft), replaced when the brief changes, so the
    address bar keeps one link while the user works. Opening it (a reload, a new tab, a colleague) shows the brief
    on screen at that moment; a session that opened someone else's link gets its own id at its first change.
    Changing the URL on every click costs the browser a re-render of the whole app (Streamlit's frontend keeps the
    query string in its root state): about 0.3–0.6 s per interaction on the Plan page on two cores."""
    if not brief_dict:
        return ""
    import hashlib
    import json
    import secrets

    from planner.storage import lists as stored
    text = json.dumps(dict(brief_dict), sort_keys=True, separators=(",", ":"), default=str)
    fp = hashlib.sha256(text.encode()).hexdigest()[:32]
    held: dict[str, str] = st.session_state.setdefault(f"_draft_link_{page}", {})
    if held.get("fp") != fp:  # written once per change of the brief: a rerun asks the database nothing
        slot = held.get("slot") or secrets.token_hex(16)
        stored.store_draft(engine(), slot, json.loads(text), access=workspace())
        held.update(slot=slot, fp=fp)
    return held["slot"]


def linked_brief(fp: str) -> dict[str, Any] | None:
    """The brief JSON dict a link's short id names, or None."""
    from planner.storage import lists as stored
    if not fp or not all(c in "0123456789abcdef" for c in fp):
        return None
    return stored.load_brief(engine(), fp, access=workspace())


SETTINGS_URL = {"lang": UrlParam("str", DEFAULT_LANG, tuple(LANGUAGES)), "ccy": UrlParam("str", "RUB", CURRENCIES)}


def _url_choice(name: str, options: Sequence[str], default: str) -> int:
    value = st.query_params.get(name, default)
    return list(options).index(value) if value in options else list(options).index(default)


def settings_sidebar() -> Settings:
    """Language and currency in the sidebar of every page, mirrored in the URL (?lang=ru&ccy=USD)."""
    lang = current_lang()
    with st.sidebar:
        st.subheader(t("app.settings", lang))
        lang = st.selectbox(t("app.language", lang), list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="lang",
                            index=_url_choice("lang", list(LANGUAGES), DEFAULT_LANG), persist_state="session")
        currency = st.selectbox(t("app.currency", lang), CURRENCIES, format_func=lambda c: f"{SYMBOLS[c]} {c}",
                                key="ccy", index=_url_choice("ccy", CURRENCIES, "RUB"), persist_state="session")
        shown_usd = st.session_state.get("fx_usd", DEFAULT_FX_RUB["USD"])
        shown_eur = st.session_state.get("fx_eur", DEFAULT_FX_RUB["EUR"])
        with st.expander(t("app.fx_caption", lang, usd=format_number(shown_usd, lang, 2),
                           eur=format_number(shown_eur, lang, 2))):
            usd = st.number_input(t("app.fx_usd", lang), min_value=0.01, value=float(DEFAULT_FX_RUB["USD"]), step=1.0,
                                  key="fx_usd", persist_state="session")
            eur = st.number_input(t("app.fx_eur", lang), min_value=0.01, value=float(DEFAULT_FX_RUB["EUR"]), step=1.0,
                                  key="fx_eur", persist_state="session")
    save_url_state(SETTINGS_URL)
    fx = (("RUB", 1.0), ("USD", float(usd)), ("EUR", float(eur)))
    convert_money_inputs(st.session_state.get("_last_ccy"), currency, dict(fx))
    st.session_state["_last_ccy"] = currency
    return Settings(lang=lang, currency=currency, fx=fx)


MONEY_INPUTS = ("plan_budget", "pmin", "pmax")  # widget keys holding an amount in the display currency


def convert_money_inputs(old: str | None, new: str, fx: Mapping[str, float]) -> None:
    """When the currency changes, amounts the user typed keep their value (1 500 000 ₽ -> $16,667)."""
    convert_amounts(MONEY_INPUTS, old, new, Rates.of(fx))


def convert_amounts(keys: Sequence[str], old: str | None, new: str, rates: Rates) -> None:
    """The amounts held under ``keys`` (typed in ``old``) restated in ``new``, to the cent: the one conversion of
    typed amounts on every page."""
    if not old or old == new:
        return
    for key in keys:
        value = st.session_state.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            st.session_state[key] = round(float(rates.convert(float(value), old, new)), 2)


def keep_amounts(keys: Sequence[str], marker: str, s: Settings,
                 defaults: Mapping[str, float] | None = None, base: str = "RUB") -> None:
    """A page's typed amounts keep their value when the display currency changes (1 200 ₽ -> $13.33), whether
    the page was open at the change or its values were restored later: ``marker`` records the currency they
    were typed in. ``defaults`` (in ``base``) fill the keys not set yet, in the display currency."""
    ss = st.session_state
    convert_amounts(keys, ss.get(marker), s.currency, s.rates)
    for key, amount in (defaults or {}).items():
        if key not in ss:
            ss[key] = round(float(s.rates.convert(float(amount), base, s.currency)), 2)
    ss[marker] = s.currency


def settings() -> Settings:
    """The settings chosen in the sidebar this run (app.py draws the sidebar before the page)."""
    s = st.session_state.get("_settings")
    if isinstance(s, Settings):
        return s
    return Settings(DEFAULT_LANG, "RUB", tuple(DEFAULT_FX_RUB.items()))


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    eng = db.get_engine(url)
    db.ensure_sample(eng)
    return eng


def engine() -> Engine:
    """One engine per process and DATABASE_URL, migrated, seeded with the sample on first start."""
    return _engine(db.database_url())


# ---- who is using the app, in which workspace -----------------------------------------------------------------
WS_PARAM = "ws"  # the workspace in the URL (?ws=ID): a link opens the workspace it was made in, for its members
WS_KEY = "app_ws"  # the sidebar's choice of workspace (a workspace id)
_WS_CHOSEN = "_app_ws_chosen"  # the workspace id :func:`workspace` resolves (kept while the choice is not drawn)
_WS_BAD = "_app_ws_bad"  # a ?ws= that names no workspace of the user's: nothing is shown until one is chosen
_REFUSED = "_app_refused"  # a refusal met in a callback (before the run), shown by the run that follows
# what a change of workspace keeps of the session: the settings; everything else (campaigns, lists, briefs,
# shortlists, plans) belonged to the workspace left
_KEPT_ON_SWITCH = frozenset({"lang", "ccy", "fx_usd", "fx_eur", "_settings", "_last_ccy", WS_KEY, _WS_CHOSEN,
                             "_app_signed_in"})
_KEPT_PARAMS = frozenset({"lang", "ccy", WS_PARAM})
# the addresses of app.py's pages (st.Page url_path): where a visitor stopped at the gate sees the gate's screen
PAGE_PATHS = ("home", "database", "plan", "barter", "results", "scenarios")


class SignInUnreadable(RuntimeError):
    """The secrets file exists but cannot be read: the app does not guess whether sign-in was meant (it stops)."""


def sign_in_on() -> bool:
    """Whether sign-in is configured: an ``[auth]`` section in ``.streamlit/secrets.toml`` (st.login's settings:
    redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url). Without one the app is the local
    user's, in their workspaces, as the command line is. A secrets file that does not parse raises
    :class:`SignInUnreadable`: an app meant to ask for sign-in never opens to everyone because of a typo."""
    from streamlit.errors import StreamlitSecretNotFoundError

    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError as exc:
        if getattr(exc, "error_id", "") == "no-secrets-found" or "No secrets found" in str(exc):
            return False
        raise SignInUnreadable(str(exc).splitlines()[0][:300]) from None


def signed_in_email() -> str | None:
    """The e-mail address (as users are kept: planner.storage.access.normal_email) of the user signed in through
    st.login, "" for a signed-in user whose provider gave none, None when no one is signed in."""
    claims = _claims()
    if not claims.get("is_logged_in"):
        return None
    return normal_email(str(claims.get("email") or ""))


def _claims() -> dict[str, Any]:
    """What st.user holds this run (the provider's identity claims and is_logged_in), as a plain dict."""
    return dict(st.user.to_dict())


def current_user() -> str:
    """Who is using the app: the signed-in user's e-mail with sign-in on, else the local user. With sign-in on and
    no one signed in, :class:`NoWorkspace` (app.py shows the sign-in screen before any page runs)."""
    if not sign_in_on():
        return LOCAL_USER_EMAIL
    email = signed_in_email()
    if not email:
        raise NoWorkspace(st.session_state.get(_WS_CHOSEN, DEFAULT_WORKSPACE_ID), "nobody signed in")
    return email


def workspace() -> Access:
    """Who is using the app and in which workspace, with their role (planner.storage.access.Access): what every page
    passes to the planner functions that read or write a workspace's campaigns, placements, goals, results, sales
    series, scenarios, lists, briefs and column mappings (each reads only that workspace, and a write checks the
    role). The user is :func:`current_user` (the signed-in e-mail, else the local user), the workspace the one
    :func:`account_gate` chose this run (the sidebar's choice, the link's ?ws=, else the user's first); the role is
    read from the database on each call (one indexed query: a change of membership is seen at once, and a user
    removed meanwhile gets :class:`NoWorkspace`, never the data)."""
    return resolve(engine(), user=current_user(), workspace=st.session_state.get(_WS_CHOSEN) or DEFAULT_WORKSPACE_ID)


def role_name(role: str, lang: str) -> str:
    return t(f"role.{role}", lang)


def refusal_text(exc: BaseException, lang: str | None = None) -> str:
    """A refusal (a role too low, a workspace the user is not a member of) in the page's language."""
    lang = lang or current_lang()
    if isinstance(exc, Forbidden):
        return t("access.forbidden", lang, ws=literal(exc.access.label), role=role_name(exc.access.role, lang),
                 needed=role_name(exc.needed, lang))
    return t("access.no_workspace", lang)


_F = TypeVar("_F", bound=Callable[..., Any])
ROLES_IN_ORDER = (VIEWER, PLANNER, OWNER)  # the roles the pages test with :func:`allowed` (viewer < planner < owner)


def shows_refusals(fn: _F) -> _F:
    """``fn`` (a page's panel, a fragment) with a refusal shown as a message where it was met, never a traceback:
    a role changed or a membership removed since the controls were drawn (the controls of a role the user lacks are
    disabled: :func:`allowed`). app.py does the same around every page; a fragment's rerun does not pass there."""
    import functools

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (Forbidden, NoWorkspace) as exc:
            st.error(refusal_text(exc), icon=":material/lock:")
            return None
    return run  # type: ignore[return-value]


def refusals_kept(fn: _F) -> _F:
    """A widget's callback (it runs before the script) with a refusal kept for the run that follows, which shows
    it at the top of the page (:func:`account_gate`)."""
    import functools

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (Forbidden, NoWorkspace) as exc:
            st.session_state[_REFUSED] = refusal_text(exc)
            return None
    return run  # type: ignore[return-value]


def allowed(role: str, where: Any = st) -> bool:
    """Whether the user on screen may do what ``role`` may (viewer < planner < owner): the one test a page makes
    before drawing a control that writes. When not, ``where`` (st, a column, a container; None: nothing) shows a
    caption naming the role needed, and the page draws the control disabled."""
    acc = workspace()
    if acc.can(role):
        return True
    if where is not None:
        lang = current_lang()
        where.caption(t("access.needs", lang, needed=role_name(role, lang), role=role_name(acc.role, lang)))
    return False


def _choose_workspace() -> None:
    """The sidebar's choice changed: the pages start afresh in the workspace chosen (nothing of the one left stays
    in the session or the URL)."""
    ss = st.session_state
    chosen = ss.get(WS_KEY)
    if chosen == ss.get(_WS_CHOSEN):
        return
    for key in [k for k in ss if k not in _KEPT_ON_SWITCH]:
        del ss[key]
    ss[_WS_CHOSEN] = chosen
    ss["_app_ws_url_read"] = True
    for name in [k for k in st.query_params if k not in _KEPT_PARAMS]:
        del st.query_params[name]


def _sign_in_screen(lang: str) -> None:
    """What a visitor who is not signed in sees: the app's name and a sign-in button, nothing of any workspace."""
    from streamlit.errors import StreamlitAuthError

    st.title(t("app.title", lang))
    st.markdown(t("signin.text", lang))
    auth = st.secrets["auth"] if "auth" in st.secrets else {}
    named: list[str | None] = [str(k) for k, v in auth.items() if isinstance(v, Mapping)] \
        if "client_id" not in auth else []
    for provider in named or [None]:
        label = t("signin.button_with", lang, provider=literal(provider)) if provider else t("signin.button", lang)
        if st.button(label, key=f"app_sign_in_{provider or 'default'}", type="primary", icon=":material/login:"):
            try:
                if provider:
                    st.login(provider)
                else:
                    st.login()
            except StreamlitAuthError as exc:  # the [auth] section lacks a setting: say which, to whoever set it up
                st.error(t("signin.misconfigured", lang, error=literal(str(exc).split(chr(10))[0][:300])))


def _sign_out_button(lang: str, where: Any = st) -> None:
    where.button(t("signin.sign_out", lang), key="app_sign_out", on_click=st.logout, icon=":material/logout:")


def _workspace_of_link(raw: str, mine: Sequence[Any]) -> int | None:
    """The id of the user's workspace a link's ?ws= names (its id, or its name whatever the case), else None."""
    text = str(raw).strip()[:200]
    for w in mine:
        if text == str(w.id) or text.lower() == w.name.lower():
            return int(w.id)
    return None


def _only(lang: str, draw: Callable[[], Any], *, title: bool = True) -> NoReturn:
    """End the run with ``draw`` as the app's only page (under the app's title): no navigation to any other page, at
    whatever address the visitor came (a link to /results shows the same screen)."""
    def screen() -> None:
        if title:
            st.title(t("app.title", lang))
        draw()

    home = st.Page(screen, title=t("app.title", lang), url_path="welcome", default=True)
    # the same screen at every page's address: a link to /results shows it too, without "Page not found"
    st.navigation([home, *(st.Page(screen, title=t("app.title", lang), url_path=path) for path in PAGE_PATHS)],
                  position="hidden").run()
    st.stop()
    raise AssertionError("st.stop() ends the run")  # for the type checker: st.stop is not marked NoReturn


def account_gate(lang: str) -> Access:
    """Who is using the app, and in which workspace, before any page runs (app.py). Without sign-in: the local user
    in "Local" (a choice in the sidebar only when the command line gave them more workspaces). With sign-in: a visitor
    not signed in sees the sign-in screen only; a signed-in user (known by the e-mail their provider gave: a new one
    is added with no membership, planner.storage.workspaces.sign_in) chooses among the workspaces they are a member
    of in the sidebar (kept in the URL as ?ws=ID), with their role and a sign-out button; a user of no workspace is
    told to ask an owner; a link's ?ws= of a workspace the user is not a member of shows nothing of it. Every case
    where no workspace can be shown ends the run here (st.stop)."""
    from planner.storage import workspaces as members

    ss = st.session_state
    eng = engine()
    try:
        signing = sign_in_on()
    except SignInUnreadable as exc:
        unreadable = t("signin.unreadable", lang, error=literal(str(exc)))
        _only(lang, lambda: st.error(unreadable))
    if signing:
        email = signed_in_email()
        if email is None:
            _only(lang, lambda: _sign_in_screen(lang), title=False)
        if ss.get("_app_signed_in") != email:  # the user's row, once per session: made on the first sign-in
            claims = _claims()
            verified = claims.get("email_verified")  # a provider that does not say: None
            try:
                members.sign_in(eng, email, name=str(claims.get("name") or ""),
                                subject=str(claims.get("sub") or "") or None,
                                verified=verified if isinstance(verified, bool) else None)
            except members.SignInRefused as exc:
                refusal = t(f"signin.refused.{exc.code}", lang, email=literal(exc.email))
                def refused_screen() -> None:
                    st.error(refusal)
                    _sign_out_button(lang)
                _only(lang, refused_screen)
            ss["_app_signed_in"] = email
        user = email or LOCAL_USER_EMAIL
    else:
        user = LOCAL_USER_EMAIL
    mine = members.list_workspaces(eng, user=user)
    if not mine:
        def no_workspace() -> None:
            st.info(t("ws.none", lang, email=literal(user)))
            st.code(f"python -m planner workspace add-member WORKSPACE {user} --role planner", language="bash")
            if signing:
                _sign_out_button(lang)
        _only(lang, no_workspace)
    ids = [int(w.id) for w in mine]
    if not ss.get("_app_ws_url_read"):  # a link's ?ws=, once per session (the sidebar's choice rules afterwards)
        ss["_app_ws_url_read"] = True
        raw = st.query_params.get(WS_PARAM)
        if raw is not None:
            picked = _workspace_of_link(raw, mine)
            if picked is None:
                ss[_WS_BAD] = True
            ss[_WS_CHOSEN] = picked
    chosen = ss.get(_WS_CHOSEN)
    if chosen not in ids:
        chosen = None if ss.get(_WS_BAD) else ids[0]
        ss[_WS_CHOSEN] = chosen
    if chosen is not None:
        ss.pop(_WS_BAD, None)
    by_id = {int(w.id): w for w in mine}
    if signing or len(mine) > 1 or chosen is None:
        with st.sidebar:
            if signing:
                st.caption(t("ws.signed_in_as", lang, email=literal(user)))
            if WS_KEY not in ss or ss[WS_KEY] != chosen:  # None: nothing chosen (the link named none of theirs)
                ss[WS_KEY] = chosen
            st.selectbox(t("ws.choose", lang), ids, key=WS_KEY, on_change=_choose_workspace,
                         placeholder=t("ws.pick", lang),
                         format_func=lambda i: f"{by_id[i].name} · {role_name(by_id[i].role, lang)}")
            if signing:
                _sign_out_button(lang)
        if chosen is not None and st.query_params.get(WS_PARAM) != str(chosen):
            st.query_params[WS_PARAM] = str(chosen)
    refused = ss.pop(_REFUSED, None)
    if refused:
        st.error(refused, icon=":material/lock:")
    def not_a_member() -> None:
        st.warning(t("access.no_workspace", lang), icon=":material/lock:")
    if chosen is None:
        _only(lang, not_a_member)
    try:
        return workspace()
    except NoWorkspace:  # removed from it a moment ago
        ss.pop(_WS_CHOSEN, None)
        _only(lang, not_a_member)


@st.cache_resource(show_spinner=False, max_entries=2)
def _catalog(url: str, workspace_id: int, version: str) -> Catalog:
    """The workspace's filter catalog (its bloggers with estimates), opened once per data version for everyone:
    from its snapshot on disk when a previous server left one, else built and snapshotted in the background
    (planner.app.catalog). Its prices stay in each row's own currency, so a user's exchange rates never rebuild
    it (they are applied per call: Catalog.amounts)."""
    return open_catalog(engine(), workspace_id, background=True)


def catalog(s: Settings | None = None, workspace_id: int | None = None) -> Catalog:
    """The shared catalog of the workspace's current data version (default: the workspace on screen,
    :func:`workspace`). Pass ``s.rates`` to its mask, select, summary and amounts: the rates are not in the catalog
    (``s`` is accepted for the callers that pass it)."""
    eng = engine()
    workspace_id = workspace().workspace_id if workspace_id is None else workspace_id
    return _catalog(str(eng.url), workspace_id, store.data_version(eng, workspace_id))


# ---- widget values that outlive a language switch and a page switch ------------------------------
def restore_widgets(store: str, keys: Sequence[str], lang: str) -> None:
    """Call before drawing the widgets. A selectbox, radio or multiselect remembers its choice as the text
    it showed, so after a language switch Streamlit no longer finds it among the options (the choice is lost,
    or a chip keeps the old language); and leaving the page drops every widget's value. The values are kept
    in ``st.session_state[store]`` (see :func:`remember_widgets`) and put back here on a language switch or
    when the widget's own state is gone."""
    held: dict[str, Any] = st.session_state.setdefault(store, {})
    switched = held.get("__lang") not in (None, lang)
    for key in keys:
        if key in held and (switched or key not in st.session_state):
            st.session_state[key] = held[key]
    held["__lang"] = lang


def remember_widgets(store: str, keys: Sequence[str]) -> None:
    """Call after drawing the widgets: keep their values for :func:`restore_widgets`."""
    held: dict[str, Any] = st.session_state.setdefault(store, {})
    for key in keys:
        if key in st.session_state:
            held[key] = st.session_state[key]


# ---- results kept for the session -----------------------------------------------------------------
_T = TypeVar("_T")


def session_lru(name: str, key: Hashable, make: Callable[[], _T], limit: int) -> _T:
    """A value kept in this session's LRU cache ``st.session_state[name]`` (an OrderedDict of at most ``limit``
    entries): the cached one when ``key`` is there (now the most recent), else ``make()``, stored."""
    cache = st.session_state.get(name)
    if not isinstance(cache, OrderedDict):
        cache = OrderedDict()
        st.session_state[name] = cache
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = make()
    cache[key] = value
    while len(cache) > limit:
        cache.popitem(last=False)
    return value


_SHARED: dict[str, LruMemo] = {}
_SHARED_LOCK = threading.Lock()


_CHARTS = LruMemo(96)


def chart(make: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """``make(*args, **kwargs)``, one of planner.reporting.charts' functions (pure: the chart from its arguments
    alone), remembered for every session of the process by its name and its arguments' content
    (planner.core.memo.value_key): a page run draws the same report, plan or curve again without building its
    charts again (on the Results page they were half of a run's server time). Arguments without an exact key are
    built every time. The chart is read-only for everyone."""
    try:
        key = (make.__module__, make.__qualname__, value_key(args), value_key(kwargs))
    except Unkeyable:
        return make(*args, **kwargs)

    def own(v: Any) -> Any:  # the kept chart holds its own data: a frame the page changes later is not its
        return v.copy() if isinstance(v, pd.DataFrame | pd.Series | np.ndarray) else v

    return _CHARTS.get(key, lambda: make(*map(own, args), **{k: own(v) for k, v in kwargs.items()}))


def shared_lru(name: str, key: Hashable, make: Callable[[], _T], limit: int, shared: int = 32) -> _T:
    """:func:`session_lru`, whose misses are answered from a memo of the same name shared by every session of
    this server process (at most ``shared`` entries): a reload, a new tab or a colleague's link on the same brief
    and data gets the value already made (the same plan, at once), never one made for another database (the key
    carries the database's URL). The value is read-only for everyone."""
    with _SHARED_LOCK:
        memo = _SHARED.setdefault(name, LruMemo(shared))
    where = db.database_url()
    return session_lru(name, key, lambda: memo.get((where, key), make), limit)


def _pitch_bytes(engine: Engine, cid: int, fmt: str, lang: str, currency: str, rates: Rates, client: str,
                 bloggers: pd.DataFrame, scenarios: tuple[str, ...], access: Access) -> bytes:
    from planner.app import pitch
    return pitch.make(engine, cid, fmt, lang=lang, currency=currency, rates=rates, client=client,
                      bloggers=bloggers, scenarios=scenarios, access=access).data


# a saved campaign's own pitch files, built in the background as soon as its download buttons are drawn, one at a time
# (a worker thread), once for every replica (planner.app.pitch.shared_file: the file is kept in the database, the
# replica that claims it builds it); this process's futures by database, key and format, so that a rerun or another
# session here asks the database nothing
_PITCHES = LruMemo(12)
_PITCH_WORKER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pitch-prebuild")


def pitch_key(engine: Engine, cid: int, s: Settings, client: str, access: Access) -> Ahead:
    """What a saved campaign's pitch (without compared scenarios) depends on (planner.app.pitch.Ahead: the
    campaign's versions and the bloggers' data version read from the database, the language, currency, exchange
    rates and client). Made only for a campaign of ``access``'s workspace (another's is not found)."""
    from planner.app import pitch
    return pitch.ahead(engine, int(cid), lang=s.lang, currency=s.currency, rates=s.rates, client=client,
                       access=access)


# the files queued for each pitch (the same campaign, reader and client in any version), by its latest version: a
# newer version (a status edited, the data changed) cancels the older version's files not started yet, so that the
# worker goes on to the files that can still be asked for
_PITCH_QUEUED: OrderedDict[Hashable, tuple[str, list[concurrent.futures.Future]]] = OrderedDict()
_PITCH_QUEUED_LOCK = threading.Lock()


def _queue_pitch(where: str, key: Ahead, future: concurrent.futures.Future) -> None:
    import dataclasses
    ident = (where, dataclasses.replace(key, version=""))
    with _PITCH_QUEUED_LOCK:
        kept = _PITCH_QUEUED.get(ident)
        if kept is not None and kept[0] != key.version:
            for older in kept[1]:
                older.cancel()  # only one not started yet: its click builds it, should anyone still ask
            kept = None
        if kept is None:
            kept = _PITCH_QUEUED[ident] = (key.version, [])
        _PITCH_QUEUED.move_to_end(ident)
        kept[1][:] = [f for f in kept[1] if not f.done()] + [future]
        while len(_PITCH_QUEUED) > 64:
            _PITCH_QUEUED.popitem(last=False)


def _prebuilt(key: Ahead, engine: Engine, fmt: str, bloggers: pd.DataFrame, access: Access,
              solved: Solved | None = None) -> Callable[[], bytes]:
    """The file's bytes when the download is clicked: started now in the background (or found already made, here
    or by another replica); when another replica is building it, the click waits for its file. ``solved``: the
    brief's plan already solved (planner.reporting.pitch.Solved), given to a build started now. A newer version of
    the same pitch cancels this one's build if it has not started; the click then builds it, as it does a file still
    queued behind the other formats (the clicked format first)."""
    from planner.app import pitch
    where = db.database_url()
    memo_key = (where, key, fmt)
    found = _PITCHES.peek(memo_key)
    if found is not None and found.cancelled():  # drawn again after a newer version cancelled it: queued again
        _PITCHES.discard(memo_key, found)

    def submit() -> concurrent.futures.Future:
        made = _PITCH_WORKER.submit(pitch.shared_file, engine, key, fmt, bloggers=bloggers, access=access,
                                    wait=False, solved=solved)
        _queue_pitch(where, key, made)
        return made

    future = _PITCHES.get(memo_key, submit)

    def fetch() -> bytes:
        current = _PITCHES.peek(memo_key)  # a click before may have taken the build over and kept its file
        queued = current if current is not None and not current.cancelled() else future
        # still queued behind the other formats: the click takes it over (cancelled there, built here at once; the
        # formats of one pitch share its document, so nothing is gathered twice)
        took_over = queued.cancel()
        data = None
        if not took_over:
            try:
                data = queued.result()
            except concurrent.futures.CancelledError:  # a newer version came first: this one is built on the click
                data = None
        if data is None:
            data = pitch.shared_file(engine, key, fmt, bloggers=bloggers, access=access, solved=solved)
        assert data is not None
        if took_over:  # kept for the next click, as the worker would have
            done: concurrent.futures.Future = concurrent.futures.Future()
            done.set_result(data)
            _PITCHES.discard(memo_key, queued)
            _PITCHES.get(memo_key, lambda: done)
        return data
    return fetch


def _prebuild_on() -> bool:
    """Pitches are built ahead unless ``PLANNER_NO_PREBUILD`` is set (the test suite sets it: its pages would
    otherwise build three files in the background for every saved campaign they show; a test turns it on)."""
    import os
    return not os.environ.get("PLANNER_NO_PREBUILD")


def prebuild_pitch(engine: Engine, cid: int, s: Settings, bloggers: pd.DataFrame, *, client: str = "",
                   solved: Solved | None = None) -> None:
    """Start building a campaign's own pitch files in the background now (a save: its download buttons are drawn
    later, on another tab), with the key :func:`pitch_downloads` makes for the same reader and ``client``, so the
    buttons find the build already running or done. ``solved``: the plan just saved as the page solved it (its
    candidates, plan and frontier: planner.reporting.pitch.Solved), so that the build does not solve it again (it is
    used only for the brief and data it was solved for). Never raises: a failure here is the click's to say."""
    from planner.app import pitch
    if not _prebuild_on():
        return
    try:
        acc = workspace()
        ahead = pitch_key(engine, cid, s, client, acc)
        for fmt in pitch.FORMATS:
            _prebuilt(ahead, engine, fmt, bloggers, acc, solved)
    except Exception:  # noqa: BLE001 - the buttons build it on the click and say why it failed
        return


def pitch_curve_ahead(engine: Engine, brief: Any, bloggers: pd.DataFrame, data_version: str) -> None:
    """The budget curve a pitch of the plan on screen draws, planned in the background once the plan has stayed on
    the screen a moment (planner.reporting.pitch.plan_curve_ahead; a newer plan of this session stops it), so that
    the pitch of a save is ready soon after it: the curve is most of a pitch's build. Off with the pitches built
    ahead (:func:`_prebuild_on`). Never raises: a failure is the build's to meet and say."""
    from planner.app import pitch
    if not _prebuild_on():
        return
    try:
        wish = st.session_state.setdefault("_pitch_curve_wish", pitch.CurveWish())
        pitch.plan_curve_ahead(engine, brief, bloggers=bloggers, data_version=data_version, access=workspace(),
                               wish=wish)
    except Exception:  # noqa: BLE001 - the build plans the curve itself
        return


def pitch_curve_pause() -> None:
    """Stop this session's budget curve being planned ahead (:func:`pitch_curve_ahead`) while the page does heavy
    work of its own on the same brief (the frontier); the next :func:`pitch_curve_ahead` plans it again."""
    wish = st.session_state.get("_pitch_curve_wish")
    if wish is not None:
        wish.key = None


def pitch_downloads(engine: Engine, cid: int, s: Settings, bloggers: pd.DataFrame, *, key: str,
                    scenarios: Sequence[str] = (), client: str | None = None) -> None:
    """A saved campaign's pitch for the client (XLSX, PPTX, PDF) in the page's language and currency, with the
    saved ``scenarios`` compared beside the plan when named. The campaign's own pitch is built in the background as
    soon as the buttons are drawn (:func:`pitch_key`: a click hands over the finished file); with scenarios, each
    file is made when its button is clicked (a callable, on Streamlit's download thread). ``client``: the client's
    name when the page already asks for it; otherwise a field for it is drawn."""
    from functools import partial

    from planner.app import pitch
    st.markdown(f"**{s.t('pitch.exports')}**")
    cols = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    if client is None:
        client = cols[0].text_input(s.t("pitch.client"), key=f"{key}_client", max_chars=200)
    else:
        cols[0].caption(s.t("pitch.cmp_client", client=literal(client)) if client.strip()
                        else s.t("pitch.cmp_no_client"))
    names = tuple(str(n) for n in scenarios)
    acc = workspace()
    try:  # "Client – Campaign – pitch – 2026-12-04.pptx", the name the command line writes too
        file_names = pitch.file_names(engine, cid, lang=s.lang, client=client, access=acc)
    except pitch.PitchError:  # the campaign is gone: the click says so
        file_names = {fmt: f"pitch.{fmt}" for fmt in pitch.FORMATS}
    try:  # a campaign's own pitch is built ahead, in the background; one with compared scenarios on the click
        ahead = pitch_key(engine, cid, s, client, acc) if not names and _prebuild_on() else None
    except Exception:  # noqa: BLE001 - the campaign is gone or unreadable: the click builds it and says why
        ahead = None
    for col, fmt in zip(cols[1:], pitch.FORMATS, strict=True):
        data = _prebuilt(ahead, engine, fmt, bloggers, acc) if ahead is not None else None
        col.download_button(
            s.t(f"pitch.download.{fmt}"),
            data=data or partial(_pitch_bytes, engine, cid, fmt, s.lang, s.currency, s.rates, client, bloggers,
                                 names, acc),
            file_name=file_names[fmt], mime=pitch.MIME[fmt], key=f"{key}_{fmt}_{cid}",
            on_click="ignore", help=s.t("pitch.download_help"), icon=":material/download:",
        )


# ---- warm-up -------------------------------------------------------------------------------------
_WARM_LOCK = threading.Lock()
_WARM_STARTED = False
# what the other pages import on their first open, after the first page is drawn: the charts (Altair: about 1 s of
# imports on these cores, 2.7 s under load, that a first visit of the Plan page used to wait for), the report and
# what it imports (scipy's statistics, the XLSX writer), the plan's and the scenarios' modules and the pitch
WARM_MODULES = ("planner.reporting.charts", "planner.app.refine", "planner.planning.scenarios",
                "planner.campaigns.report", "planner.reporting.export", "planner.app.pitch")


def warm_up_later() -> None:
    """Once per server process, after a page has been drawn: import what the other pages' first opens need
    (:data:`WARM_MODULES`) on a background thread, so that they do not wait for it. Nothing is
    computed for anyone; an import that fails here fails again, with its message, where it is used."""
    global _WARM_STARTED
    with _WARM_LOCK:
        if _WARM_STARTED:
            return
        _WARM_STARTED = True

    def run() -> None:
        import importlib
        for name in WARM_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the page that needs it reports it
                return

    threading.Thread(target=run, name="planner-warm-up", daemon=True).start()
