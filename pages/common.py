"""What every page shares: settings, the engine, the cached catalog, formatting shortcuts.

UI glue only; the domain lives in planner/.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy.engine import Engine

from planner import db, metrics, store
from planner.catalog import Catalog
from planner.i18n import DEFAULT_LANG, LANGUAGES, t
from planner.money import DEFAULT_FX_RUB, SYMBOLS, format_compact, format_money, format_number, format_percent
from planner.models import DEFAULT_WORKSPACE_ID

CURRENCIES = ("RUB", "USD", "EUR")


@dataclass(frozen=True)
class Settings:
    lang: str
    currency: str
    fx: tuple[tuple[str, float], ...]

    @property
    def fx_map(self) -> dict[str, float]:
        return dict(self.fx)

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


def current_lang() -> str:
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in LANGUAGES else DEFAULT_LANG


def settings_sidebar() -> Settings:
    """Language and currency in the sidebar of every page (bound to the URL: ?lang=ru&ccy=USD)."""
    lang = current_lang()
    with st.sidebar:
        st.subheader(t("app.settings", lang))
        lang = st.selectbox(t("app.language", lang), list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                            key="lang", bind="query-params")
        currency = st.selectbox(t("app.currency", lang), CURRENCIES,
                                format_func=lambda c: f"{SYMBOLS[c]} {c}", key="ccy", bind="query-params")
        st.session_state.setdefault("fx_usd", DEFAULT_FX_RUB["USD"])
        st.session_state.setdefault("fx_eur", DEFAULT_FX_RUB["EUR"])
        with st.expander(t("app.fx_caption", lang, usd=format_number(st.session_state["fx_usd"], lang, 2),
                           eur=format_number(st.session_state["fx_eur"], lang, 2))):
            st.number_input(t("app.fx_usd", lang), min_value=0.01, step=1.0, key="fx_usd")
            st.number_input(t("app.fx_eur", lang), min_value=0.01, step=1.0, key="fx_eur")
    fx = (("RUB", 1.0), ("USD", float(st.session_state["fx_usd"])), ("EUR", float(st.session_state["fx_eur"])))
    return Settings(lang=lang, currency=currency, fx=fx)


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


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalog(url: str, workspace_id: int, version: str, fx: tuple[tuple[str, float], ...]) -> Catalog:
    frame = store.load_bloggers(engine(), workspace_id=workspace_id)
    return Catalog(metrics.enrich(frame), fx=dict(fx))


def catalog(s: Settings, workspace_id: int = DEFAULT_WORKSPACE_ID) -> Catalog:
    eng = engine()
    return _catalog(str(eng.url), workspace_id, store.data_version(eng, workspace_id), s.fx)
