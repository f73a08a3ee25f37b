import ast
from pathlib import Path

import pytest

from planner.core.i18n import LANGUAGES, TEXT, missing_translations, t
from planner.core.money import NBSP, NNBSP, Rates, format_compact, format_money, format_number, format_percent

ROOT = Path(__file__).resolve().parent.parent


def test_money_formats_per_locale():
    assert format_money(12500, "RUB", "ru") == f"12{NNBSP}500{NBSP}₽"
    assert format_money(12500, "USD", "en") == "$12,500"
    assert format_money(12500, "EUR", "en") == "€12,500"
    assert format_money(12500, "RUB", "en") == f"12,500{NBSP}₽"
    assert format_money(1234.5, "USD", "ru", 2) == f"1{NNBSP}234,50{NBSP}$"
    assert format_money(-300, "USD", "en") == "−$300"
    assert format_money(float("nan"), "USD", "en") == "—"


def test_numbers_and_percent():
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567, "ru") == f"1{NNBSP}234{NNBSP}567"
    assert format_percent(3.456, "ru", 2) == f"3,46{NBSP}%"
    assert format_compact(1_200_000, "en") == "1.2M"
    assert format_compact(35_000, "ru") == f"35{NBSP}тыс."
    assert format_compact(999, "en") == "999"


def test_convert_via_rub():
    assert Rates.of({"RUB": 1, "USD": 90, "EUR": 100}).convert(90.0, "RUB", "USD") == pytest.approx(1.0)
    assert Rates.of({"RUB": 1, "USD": 90, "EUR": 99}).convert(1.0, "EUR", "USD") == pytest.approx(1.1)


def test_every_key_has_every_language():
    assert missing_translations() == []
    assert set(LANGUAGES) == {"en", "ru"}


def test_russian_differs_where_it_should():
    """A Russian string identical to the English one must be a proper name, a number range or a unit."""
    allowed_same = {v["en"] for k, v in TEXT.items() if k.startswith(("platform.", "age."))} | {"ER, %"} \
        | {TEXT[k]["en"] for k in ("scen.band", "pitch.band", "pitch.as.band", "pitch.col.band_p10",
                                   "pitch.col.band_p90")} \
        | {TEXT["pitch.sources_item"]["en"]}  # "P10–P90: 4.7–5.7M", percentile names; "{column}: {sources}"
    same = [k for k, v in TEXT.items() if v["en"] == v["ru"] and v["en"] not in allowed_same]
    assert same == []


def test_placeholders_match_between_languages():
    import string

    for key, entry in TEXT.items():
        # an inline plural "{n|placement|placements}" is the parameter n
        fields = [{f.split("|")[0] for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in LANGUAGES]
        assert fields[0] == fields[1], key


def _string_args_to_streamlit(path: Path) -> list[str]:
    """String literals passed straight to st.* calls (labels, texts): they would bypass translation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            base = node.func.value
            root = base
            chain = []
            while isinstance(root, ast.Attribute):
                chain.append(root.attr)
                root = root.value
            if set(chain) & {"session_state", "query_params", "column_config", "context"}:
                continue
            if isinstance(root, ast.Name) and root.id in ("st",) and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.strip():
                    if node.func.attr not in ("Page", "set_page_config", "cache_resource", "cache_data", "form"):
                        found.append(f"{path.name}:{node.lineno} st.{node.func.attr}({first.value!r})")
    return found


def test_pages_pass_no_raw_strings_to_streamlit():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    offenders = [o for f in files for o in _string_args_to_streamlit(f)]
    assert offenders == []


def test_t_formats_and_falls_back():
    assert t("db.of_total", "ru", total="5") == "из 5"
    assert t("no.such.key", "ru") == "no.such.key"


def test_import_reasons_are_translated():
    from planner.core.i18n import reason

    assert reason("not_a_number", {"value": "abc"}, "ru") == "не число: «abc»"
    assert reason("followers_missing", {}, "ru") == "не указано число подписчиков"
    assert reason("not_a_number", {"value": "abc"}, "en") == "not a number: 'abc'"
    assert reason("platform_link_mismatch", {"value": "vk", "link": "telegram"}, "ru") == (
        "платформа «vk» не совпадает со ссылкой на профиль (telegram)")


def test_rates_are_the_one_place_currencies_change():
    import numpy as np
    import pytest

    from planner.core.money import Rates, UnknownCurrency

    r = Rates.of({"USD": 100.0})
    assert r.convert(1_000, "USD", "RUB") == 100_000 and r.rate("EUR") == 98.0
    f = r.factors(np.array(["RUB", "USD", None], dtype=object), "USD", default="RUB")
    assert f.tolist() == pytest.approx([0.01, 1.0, 0.01])
    with pytest.raises(UnknownCurrency):
        r.factors(np.array(["GBP"], dtype=object), "RUB")  # never silently taken as roubles
    with pytest.raises(ValueError):
        Rates((("USD", -1.0),))


def test_every_plan_error_has_its_russian_text_with_the_same_parameters():
    import string

    from planner.core import i18n
    from planner.planning.optimiser import INFEASIBLE, NO_PLAN
    from planner.planning.plan import BRIEF_ERRORS

    english = {**{f"brief_error.{k}": v for k, v in BRIEF_ERRORS.items()},
               **{f"infeasible.{k}": v for k, v in INFEASIBLE.items()},
               **{f"no_plan.{k}": v for k, v in NO_PLAN.items()}}
    assert set(english) == set(i18n.PLAN_ERROR_RU)

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, text in english.items():
        assert fields(text) == fields(i18n.PLAN_ERROR_RU[key]), key


def test_plan_errors_are_shown_in_the_pages_language():
    import numpy as np
    import pandas as pd
    import pytest

    from planner.core.i18n import plan_error
    from planner.estimates import metrics
    from planner.planning import optimiser, plan

    df = metrics.enrich(pd.DataFrame({"id": [1], "handle": ["a"], "platform": ["telegram"], "followers": [1000],
                                      "credibility": [0.9]}))
    with pytest.raises(plan.BriefError) as brief_exc:
        plan.build_candidates(df, plan.Brief(budget=1e6))
    assert brief_exc.value.code == "only_estimates"
    assert "estimated prices" in plan_error(brief_exc.value, "en")
    assert "оценочные цены" in plan_error(brief_exc.value, "ru")
    pb = optimiser.Problem(cost=np.array([5.0]), reach=np.array([10.0]), fit=np.array([1.0]), pool=np.array([0]),
                           blogger=np.array([0]), platform=np.array([0]), pool_size=np.array([100.0]), budget=1.0,
                           must_in=[0])
    with pytest.raises(optimiser.Infeasible) as inf_exc:
        optimiser.solve(pb, 0.5, time_limit=10)
    assert inf_exc.value.code == "budget_below_musts"
    assert plan_error(inf_exc.value, "ru").startswith("бюджет")
