import numpy as np
import pandas as pd
import pytest

from planner import audience


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
