"""The brief: one frozen, validated object with a fingerprint that round-trips exactly through JSON."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.planning.brief import BloggerList, Brief, BriefError

# a brief with every field away from its default, and for each field another valid value
FULL = dict(
    budget=750_000.0, currency="USD", goal="sales", countries=("RU", "KZ"), gender="female", ages=("18_24", "25_34"),
    niches=("beauty", "fashion"), keywords=("serum",), platforms=("instagram", "telegram"), formats=("post", "story"),
    min_credibility=0.8, include_unknown_credibility=True, max_share=0.3,
    platform_bounds={"instagram": (0.2, 0.7), "telegram": (None, 0.4)},
    must_include=(7, 3), must_exclude=(11,), category="children", allow_packages=True, reach_weight=0.3,
    rates={"ctr": 0.015, "conversion": 0.03, "lead_rate": 0.04}, allow_estimated_prices=True, niche_mode="prefer",
    product_units=20, product_cost=400.0, product_retail=1_500.0, product_shipping=150.0,
    bloggers=BloggerList(kind="shortlist", ids=(3, 7, 9, 11)), fx={"USD": 92.5, "EUR": 101.0},
    tier_bounds=(5_000, 20_000, 100_000, 1_000_000), pool_sizes={"beauty/RU": 2_500_000.0},
    overlaps=((3, 7, 0.4),),
)
OTHER = dict(
    budget=800_000.0, currency="EUR", goal="leads", countries=("BY",), gender="male", ages=("35_44",),
    niches=("tech",), keywords=("phone",), platforms=("youtube",), formats=("video",), min_credibility=0.6,
    include_unknown_credibility=False, max_share=0.5, platform_bounds={"youtube": (0.1, None)}, must_include=(9,),
    must_exclude=(12,),
    category="alcohol", allow_packages=False, reach_weight=0.9, rates={"ctr": 0.02}, allow_estimated_prices=False,
    niche_mode="only", product_units=25, product_cost=500.0, product_retail=2_000.0, product_shipping=100.0,
    bloggers=BloggerList(kind="filter", ids=(1, 2)), fx={"USD": 95.0}, tier_bounds=(10_000, 60_000, 500_000, 2_000_000),
    pool_sizes={"beauty/RU": 3_000_000.0}, overlaps=((7, 9, 0.2),),
)
FIELDS = [f.name for f in dataclasses.fields(Brief)]


def test_every_field_is_covered():
    assert set(FULL) == set(FIELDS) == set(OTHER)


def test_round_trips_exactly_through_json():
    b = Brief(**FULL)
    back = Brief.from_json(b.to_json())
    assert back == b and back.to_json() == b.to_json() and back.fingerprint() == b.fingerprint()
    assert pickle.loads(pickle.dumps(b)) == b and hash(pickle.loads(pickle.dumps(b))) == hash(b)
    assert Brief.from_dict(json.loads(json.dumps(b.to_dict()))) == b
    assert Brief.from_json(Brief(budget=1.0).to_json()) == Brief(budget=1.0)


@pytest.mark.parametrize("name", FIELDS)
def test_each_field_round_trips_and_moves_the_fingerprint(name):
    base = Brief(**FULL)
    other = dataclasses.replace(base, **{name: OTHER[name]})
    assert other != base
    assert other.fingerprint() != base.fingerprint(), name
    back = Brief.from_json(other.to_json())
    assert back == other and getattr(back, name) == getattr(other, name)
    # leaving the field out of the fingerprint makes the two the same there
    assert other.fingerprint(without=(name,)) == base.fingerprint(without=(name,))


def test_frozen_and_its_mappings_read_only():
    b = Brief(**FULL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.budget = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        b.rates["ctr"] = 0.5  # type: ignore[index]
    with pytest.raises(TypeError):
        b.platform_bounds["vk"] = (0.1, 0.2)  # type: ignore[index]


def test_normalised_once_when_made():
    b = Brief(budget=100, currency="usd", countries=["ru", "RU", " kz "], niches=["Beauty", "beauty"],
              platforms=["Instagram"], formats=[], gender="any", category="none", rates={"ctr": 0.02},
              overlaps=[(7, 3, 0.5), (3, 7, 0.25)], must_include=[5.0])
    assert b.currency == "USD" and b.countries == ("RU", "KZ") and b.niches == ("beauty",)
    assert b.platforms == ("instagram",) and b.formats == ("post", "story", "short", "video")
    assert b.gender is None and b.category is None and b.must_include == (5,)
    assert b.rates == {"ctr": 0.02, "conversion": 0.02, "lead_rate": 0.05}
    assert b.overlaps == ((3, 7, 0.25),)  # one pair, the later value
    assert Brief(budget=1, tier_bounds=(10_000, 50_000, 500_000, 1_000_000)).tier_bounds is None  # the default


@pytest.mark.parametrize("kwargs, code", [
    ({"budget": 0}, "budget"), ({"budget": float("nan")}, "budget"), ({"budget": "x"}, "budget"),
    ({"currency": "GBP"}, "currency"), ({"goal": "fame"}, "goal"), ({"countries": ("R1",)}, "countries"),
    ({"gender": "other"}, "gender"), ({"ages": ("18_99",)}, "ages"), ({"platforms": ("myspace",)}, "platforms"),
    ({"formats": ("reel",)}, "formats"), ({"min_credibility": 75}, "min_credibility"),
    ({"max_share": 0}, "max_share_range"), ({"max_share": 1.5}, "max_share_range"),
    ({"platform_bounds": {"instagram": (0.6, 0.2)}}, "platform_bounds"),
    ({"platform_bounds": {"myspace": (0.1, None)}}, "platform_bounds"),
    ({"platform_bounds": {"vk": (None, 30)}}, "platform_bounds"),
    ({"must_include": (1, 2), "must_exclude": (2,)}, "locks_clash"), ({"category": "weapons"}, "category"),
    ({"reach_weight": 1.2}, "reach_weight"), ({"rates": {"ctr": 2}}, "rates"), ({"niche_mode": "all"}, "niche_mode"),
    ({"product_units": 3}, "product"), ({"product_units": 1.5, "product_retail": 10}, "product"),
    ({"fx": {"USD": 0}}, "fx"), ({"tier_bounds": (10, 5, 100, 1000)}, "tier_bounds"),
    ({"tier_bounds": (10, 50)}, "tier_bounds"), ({"pool_sizes": {"beauty/RU": -1}}, "pool_sizes"),
    ({"overlaps": ((1, 1, 0.5),)}, "overlaps"), ({"overlaps": ((1, 2, 1.5),)}, "overlaps"),
    ({"bloggers": {"kind": "everyone"}}, "bloggers"), ({"bloggers": {"kind": "upload", "list_id": 3}}, "bloggers"),
])
def test_bad_values_are_refused_with_their_field(kwargs, code):
    with pytest.raises(BriefError) as err:
        Brief(**{"budget": 1000, **kwargs})
    assert err.value.code == code


def test_a_list_is_known_by_its_content():
    a = BloggerList(kind="shortlist", ids=(5, 3, 5))
    b = BloggerList(kind="shortlist", ids=(3, 5))
    assert a == b and a.digest == b.digest and a.size == 2
    assert BloggerList(kind="shortlist", ids=(3, 6)).digest != a.digest
    assert BloggerList().whole_database and BloggerList().digest == ""
    up = BloggerList(kind="upload", list_id=4, digest="a" * 64, label="list.csv", size=300)
    assert BloggerList.from_dict(up.to_dict()) == up


def test_candidates_fingerprint_ignores_only_the_weight_and_rates():
    b = Brief(**FULL)
    assert dataclasses.replace(b, reach_weight=0.9, rates={"ctr": 0.5}).candidates_fingerprint() == \
        b.candidates_fingerprint()
    assert dataclasses.replace(b, must_exclude=(12,)).candidates_fingerprint() != b.candidates_fingerprint()
    with pytest.raises(KeyError):
        b.fingerprint(without=("nope",))


@settings(max_examples=60, deadline=None)
@given(budget=st.floats(min_value=1, max_value=1e12), w=st.floats(min_value=0, max_value=1),
       cred=st.floats(min_value=0, max_value=1), ids=st.lists(st.integers(-10**6, 10**9), max_size=20),
       lo=st.none() | st.floats(min_value=0, max_value=0.5), hi=st.none() | st.floats(min_value=0.5, max_value=1))
def test_any_valid_brief_round_trips(budget, w, cred, ids, lo, hi):
    b = Brief(budget=budget, reach_weight=w, min_credibility=cred, must_include=tuple(ids),
              platform_bounds={"vk": (lo, hi)}, bloggers=BloggerList(kind="filter", ids=tuple(ids)))
    back = Brief.from_json(b.to_json())
    assert back == b and back.fingerprint() == b.fingerprint()


def test_coded_errors_share_one_base_and_one_translation():
    from planner.core.errors import CodedError
    from planner.core.i18n import barter_error, error_text, plan_error, scenario_error
    from planner.planning import barter, optimiser, scenarios, uncertainty

    for cls in (BriefError, optimiser.Infeasible, optimiser.ProblemError, optimiser.SolverError,
                scenarios.ScenarioError, uncertainty.UncertaintyError, barter.BarterError):
        assert issubclass(cls, CodedError) and cls.I18N_PREFIX and cls.MESSAGES
    assert plan_error is scenario_error is barter_error is error_text
    err = BriefError("budget")
    assert error_text(err, "en") == str(err) == "the budget must be positive"
    assert error_text(err, "ru") == "бюджет должен быть больше нуля"
    assert error_text(ValueError("plain"), "ru") == "plain"


def test_a_coded_errors_names_are_shown_as_text_where_the_page_uses_markdown():
    """The pages pass planner.core.markdown.literal as error_text's ``text``: a name in the message (data: a handle,
    a file's cell) is escaped, the amounts and counts are not; the command line (no ``text``) prints it as is."""
    from planner.core.errors import Amount
    from planner.core.i18n import error_text
    from planner.core.markdown import literal
    from planner.planning import optimiser

    hostile = "[click](http://evil.example)"
    err = optimiser.Infeasible("must_and_excluded", name=hostile)
    assert error_text(err, "en") == f"{hostile} is both a must-have and excluded"
    shown = error_text(err, "en", text=literal)
    assert shown == f"{literal(hostile)} is both a must-have and excluded" and "[click](http" not in shown
    assert error_text(err, "ru", text=literal).startswith(literal(hostile))
    budget = optimiser.Infeasible("budget_below_musts", budget=Amount(1.0), cost=Amount(2800.0))
    plain = error_text(budget, "en", money=lambda v: f"{v:,.0f} ₽")
    assert error_text(budget, "en", money=lambda v: f"{v:,.0f} ₽", text=literal) == plain  # amounts untouched
