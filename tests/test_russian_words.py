"""A Russian-speaking client reads Russian: every page, walked in Russian on the shipped sample (the finished sample
campaign included), shows no Latin word outside the names a Russian text keeps as they are (platforms and tools,
currency and file codes, metric acronyms) and the user's own data (handles). Texts, widget labels and options,
metric values and table cells are read; a word that slips through names its page and text."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from planner.core.schema import CURRENCIES
from planner.storage.access import LOCAL
from tests.conftest import app_test, open_tab, shown_texts

# Names and units a Russian text writes in Latin letters.
ALLOWED = frozenset({
    # platforms, tools and sources named on the pages
    "Instagram", "YouTube", "TikTok", "Telegram", "VK", "Twitch", "Modash", "HypeAuditor", "Upfluence", "GRIN",
    "Traackr", "Insense", "Sainsbury", "Streamlit", "Excel", "Google", "Sheets",
    # the benchmarks' sources (sites, tools, an agency) as their names are written
    "Epicstars", "Heepsy", "Mediakix", "Stellar", "seedingops", "minter", "untapper", "MINT", "BBDO", "Group",
    # file formats and codes
    "CSV", "XLSX", "XLS", "ODS", "PDF", "PPTX", "JSON", "URL", "ID", "UTM", "ISO",
    # metric acronyms as Russian marketers write them
    "ROMI", "ROAS", "ROI", "CPM", "CPA", "CPC", "CPL", "CTR", "CR", "ER", "EMV", "KPI", "DiD", "AR", "P10", "P50",
    "P90", "seed",
    # the language selector names each language in itself
    "English",
    *CURRENCIES,
})
WORD = re.compile(r"(?<![@\w/.])[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z]+)*")
PAGES = ["app.py", "pages/database.py", "pages/plan.py", "pages/barter.py", "pages/results.py", "pages/scenarios.py"]
# the tabs a page draws only while they are open (st.tabs with a key and on_change="rerun"): walked one by one
LAZY_TABS = {"pages/plan.py": ("plan_tab", ["plan.tab_saved"]),
             "pages/results.py": ("results_tab", ["results.tab_goals", "results.tab_results", "results.tab_sales"])}
# ... and the expanders drawn only while open (st.expander with a key and on_change="rerun"): opened together
LAZY_BOXES = {"pages/database.py": ["db_facets"],
              "pages/barter.py": ["barter_assumptions_box"],
              "pages/plan.py": ["plan_overlap_box", "plan_backups_box", "plan_pools_box"],
              "pages/results.py": ["results_funnel_box", "results_pva_box", "results_history_box"],
              "pages/scenarios.py": ["sc_more_box", "sc_barter_box", "sc_assumptions_box", "sc_placements_box",
                                     "sc_points_box", "sc_marginal_box", "sc_share_box"]}


def _views(page: str, lang: str):
    """The page as opened, then with each of its lazy tabs open: (its name, the AppTest after the run)."""
    at = app_test(lang, timeout=180).run()
    if page != "app.py":
        at.switch_page(page).run()
    yield page, at
    if page in LAZY_BOXES:
        for box in LAZY_BOXES[page]:
            at.session_state[box] = True
        yield f"{page} [expanders]", at.run()
    key, tabs = LAZY_TABS.get(page, ("", []))
    for tab in tabs:
        yield f"{page} [{tab}]", open_tab(at, key, tab, lang)


def _texts(at) -> list[str]:
    out = list(shown_texts(at))
    for m in at.metric:
        out += [str(m.value), str(getattr(m, "delta", "") or "")]
    for kind in ("selectbox", "multiselect", "radio"):
        for w in getattr(at, kind):
            out += [str(o) for o in w.options]
    for d in [*at.dataframe, *at.get("data_editor")]:  # the tables and the editable tables
        frame = d.value
        config = json.loads(d.proto.columns or "{}")  # the column labels the reader sees (column_config)
        for c in frame.columns:
            conf = config.get(str(c), config.get(f"col:{c}", {}))
            if conf.get("hidden"):
                continue
            out.append(str(conf.get("label") or c))
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]):  # pandas 3: "str"
                out += [str(x) for x in frame[c].dropna().head(200).tolist()]
    return out


def _latin(text: str, data: frozenset[str]) -> list[str]:
    if text.strip() in data:  # a name the user gave (a blogger's, a campaign's) is shown as given
        return []
    for name in data:
        if len(name) > 3 and name in text:
            text = text.replace(name, " ")
    text = re.sub(r":[a-z]+-badge\[|:material/[a-z_]+:", " ", text)  # Streamlit's Markdown directives
    text = re.sub(r"@\S+", " ", text)  # handles are the user's data
    text = re.sub(r"\b[a-z_]+_\*|\b[a-z]+(?:_[a-z0-9]+)+\b", " ", text)  # column names of a file (estimated_*)
    text = re.sub(r"https?://\S+", " ", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED]


def _data_names(url: str) -> frozenset[str]:
    """The names stored as the user's data: bloggers' and campaigns'."""
    from planner import campaigns
    from planner.storage import db, store
    engine = db.get_engine(url)
    names = set(store.load_bloggers(engine)["name"].dropna().astype(str))
    names |= set(campaigns.list_campaigns(engine, access=LOCAL)["name"].astype(str))
    return frozenset(n.strip() for n in names if n.strip())


@pytest.mark.slow
def test_every_page_in_russian_shows_no_latin_words(sample_app):
    data = _data_names(sample_app)
    found: dict[str, list[str]] = {}
    for page in PAGES:
        for name, at in _views(page, "ru"):
            assert not at.exception, (name, at.exception)
            texts = _texts(at)
            assert len(texts) > 10, name  # the page drew its content (not an empty state)
            for text in texts:
                for word in _latin(text, data):
                    found.setdefault(f"{name}: {word}", []).append(text[:160])
    assert not found, "\n".join(f"{k} — {v[0]!r}" for k, v in sorted(found.items()))


def _frontend_words(url: str, lang: str) -> tuple[set[int], set[str]]:
    """What the frontend itself would write on every page: each multiselect's bulk-action setting ("Select all")
    and each table's text for a missing value ("None" unless the page gives one)."""
    bulk, missing = set(), set()
    for page in PAGES:
        for _name, at in _views(page, lang):
            bulk |= {int(m.proto.select_all) for m in at.multiselect}
            missing |= {str(d.proto.placeholder) for d in at.dataframe}
    return bulk, missing


@pytest.mark.slow
def test_no_english_from_the_frontend_in_russian(sample_app):
    """Streamlit's own words are English only: a Russian page offers no "Select all" in its multiselects, and no
    table anywhere shows "None" for a missing value (in either language)."""
    bulk, missing = _frontend_words(sample_app, "ru")
    assert bulk == {0}
    assert "—" in missing and missing <= {"—", ""}  # tables say "—", editors leave the cell empty
    bulk_en, _ = _frontend_words(sample_app, "en")
    assert bulk_en and 0 not in bulk_en  # English keeps the bulk action


@pytest.mark.parametrize(("lang", "n", "text"), [
    ("en", 1, "1 placement with only an estimated price is left out"),
    ("en", 3, "3 placements with only an estimated price are left out"),
    ("ru", 1, None), ("ru", 21, None),
])
def test_a_count_and_its_word_agree(lang, n, text):
    from planner.core.i18n import t
    shown = t("plan.skipped_estimates", lang, n=n)
    if text:
        assert shown.startswith(text)
    assert "{" not in shown and "|" not in shown
    stored = t("results.sales_stored", lang, n=n)
    assert stored.endswith({("en", 1): "1 day.", ("en", 3): "3 days."}.get((lang, n), stored[-6:]))
    if lang == "ru":
        assert t("scen.list_shortlist", "ru", n="1") == "шорт-листу (1 блогер)"
        assert t("scen.list_shortlist", "ru", n="2") == "шорт-листу (2 блогера)"
        assert t("scen.list_shortlist", "ru", n="1\u202f005") == "шорт-листу (1\u202f005 блогеров)"


def test_cities_and_countries_read_in_the_pages_language():
    from planner import ingest
    assert ingest.city_name("Perm", "ru") == "Пермь" and ingest.city_name("Пермь", "en") == "Perm"
    assert ingest.city_name("Springfield", "ru") == "Springfield"  # a city not in the table: as stored
    assert ingest.country_name("AE", "ru") == "ОАЭ" and ingest.country_name("KG", "ru") == "Киргизия"


def test_russian_chart_axes_say_tysyach_not_k():
    import pandas as pd
    import vl_convert as vlc

    from planner.reporting import charts
    funnel = pd.DataFrame({"stage": ["reach", "clicks", "orders"], "label": ["Охват", "Клики", "Заказы"],
                           "value": [1_250_000, 12_000, 90], "rate": [None, 1.0, 0.75], "source": ["measured"] * 3})
    labels = {"ru": None, "en": None}
    for lang in labels:
        svg = vlc.vegalite_to_svg(charts.funnel_chart(funnel, lang).to_json())
        labels[lang] = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "1\u00a0тыс." in labels["ru"] and "1\u00a0млн" in labels["ru"]
    assert not [x for x in labels["ru"] if re.fullmatch(r"[\d.,]+[kKMG]", x)]
    assert "1K" in labels["en"] and "1M" in labels["en"]
