import numpy as np
import pandas as pd
import pytest

from planner.core import audience


def test_parse_and_format_round_trip():
    pairs = audience.parse_countries("ru:0.62; KZ:10;US:7,5 %;bad;XX:abc;:0.3")
    assert pairs == [("RU", 0.62), ("KZ", pytest.approx(0.10)), ("US", pytest.approx(0.075))]
    assert audience.format_countries(pairs) == "RU:0.62;KZ:0.10;US:0.07"
    assert audience.parse_countries(None) == [] and audience.parse_countries(float("nan")) == []


def test_country_shares_per_row():
    col = pd.Series(["RU:0.6;KZ:0.2", None, "KZ:50", "RU:0.6;KZ:0.2"])
    shares = audience.country_shares(col)
    np.testing.assert_allclose(shares["RU"], [0.6, 0, 0, 0.6], rtol=1e-6)
    np.testing.assert_allclose(shares["KZ"], [0.2, 0, 0.5, 0.2], rtol=1e-6)
    assert audience.has_countries(col).tolist() == [True, False, True, True]


def test_vectorised_shares_agree_with_the_scalar_parser():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    part = st.one_of(
        st.builds(lambda c, v: f"{c}:{v}", st.sampled_from(["RU", "kz", " US ", "", "X"]),
                  st.one_of(st.floats(0, 150, allow_nan=False).map(lambda x: f"{x:.3g}"),
                            st.sampled_from(["abc", "7,5 %", "", "-1", "1e-2"]))),
        st.sampled_from(["bad", ":", "RU", ""]))
    text = st.one_of(st.none(), st.lists(part, max_size=4).map(";".join))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(text, min_size=1, max_size=8))
    def check(texts):
        got = audience.country_shares(pd.Series(texts, dtype=object))
        for i, t in enumerate(texts):
            want = dict(audience.parse_countries(t))
            for code in set(got) | set(want):
                value = got[code][i] if code in got else 0.0
                assert value == pytest.approx(want.get(code, 0.0), rel=1e-6, abs=1e-7), (t, code)

    check()
