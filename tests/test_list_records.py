"""A stored list's records are its content identity (their digest names the list in a brief): the column-wise
conversion must give exactly what converting each cell does, on any mix of types and missing values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.storage import lists as stored


def _cell_by_cell(frame: pd.DataFrame) -> list[dict]:
    cols = [c for c in stored.LIST_COLUMNS if c in frame.columns]
    return [{c: stored._plain(v) for c, v in zip(cols, row, strict=True)}
            for row in frame[cols].itertuples(index=False, name=None)]


_floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none())
_ints = st.one_of(st.integers(-10**12, 10**12), st.none())
_bools = st.one_of(st.booleans(), st.none())
_texts = st.one_of(st.text(max_size=8), st.none())
_dates = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), st.none())


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 6).flatmap(lambda n: st.tuples(
    st.lists(_floats, min_size=n, max_size=n), st.lists(_ints, min_size=n, max_size=n),
    st.lists(_bools, min_size=n, max_size=n), st.lists(_texts, min_size=n, max_size=n),
    st.lists(_dates, min_size=n, max_size=n))))
def test_column_wise_records_equal_cell_by_cell(columns):
    floats, ints, bools, texts, dates = columns
    n = len(floats)
    frame = pd.DataFrame({
        "id": np.arange(n, dtype=np.int64),
        "followers": pd.array(ints, dtype="Int64"),            # nullable integers
        "engagement_rate": pd.Series(floats, dtype=float),     # NaN and infinities
        "price_post": pd.Series([f if f is not None and abs(f) < 1e300 else 0.0 for f in floats], dtype="float64"),
        "accepts_barter": pd.array(bools, dtype="boolean"),    # nullable flags
        "handle": pd.array(texts, dtype="string"),             # strings with missing ones
        "name": pd.Series(texts, dtype=object),                # plain objects
        "updated_at": pd.Series(dates, dtype=object),          # dates
    })
    assert stored.list_records(frame) == _cell_by_cell(frame)


def test_a_real_list_keeps_its_digest(tmp_path):
    from planner.ingest import sample
    frame = sample.generate(300, seed=3).reset_index(drop=True)
    frame.insert(0, "id", np.arange(len(frame), dtype=np.int64))
    records = stored.list_records(frame)
    assert records == _cell_by_cell(frame)
    assert stored.records_digest(records) == stored.records_digest(_cell_by_cell(frame))


def test_an_uploaded_list_plans_on_what_the_database_gives_back(engine, tmp_path):
    """planner.campaigns.lists.upload gives the enriched bloggers a brief on the list plans on from the records it
    kept (the command line's `plan --bloggers` reads nothing back, issue 18): exactly the frame bloggers_for reads
    back from the database, the first time (stored) and again (kept already)."""
    from planner import ingest
    from planner.campaigns import lists
    from planner.ingest import sample
    from planner.planning.brief import Brief
    from planner.storage.access import LOCAL

    path = tmp_path / "list.csv"
    sample.generate(300, seed=3).to_csv(path, index=False)
    frame = lists.with_ids(engine, ingest.preview(path.read_bytes(), path.name).frame, access=LOCAL)
    for _ in range(2):
        spec, planned = lists.upload(engine, frame, name="list.csv", access=LOCAL)
        back = lists.bloggers_for(engine, Brief(budget=1.0, bloggers=spec), access=LOCAL)
        pd.testing.assert_frame_equal(planned, back, check_exact=True)
    assert lists._json_plain(stored.list_records(frame))
    assert not lists._json_plain([{"id": 1, "niches": ("beauty",)}])  # a tuple reads back as a list: read it back
