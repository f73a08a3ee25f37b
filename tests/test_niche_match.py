"""Which of the brief's niches brought a blogger into the plan, and whether it is their main niche or a secondary
one ("Only these niches: Beauty" takes a blogger whose second niche is beauty: the plan says so)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.estimates import metrics
from planner.planning import plan


def test_niche_match_names_the_niche_and_whether_it_is_the_main_one():
    match, primary = plan.niche_match(pd.Series(["beauty;fashion", "fashion;beauty", "food", None]), ("beauty",))
    assert match.tolist() == ["beauty", "beauty", "", ""] and primary.tolist() == [True, False, False, False]
    match, primary = plan.niche_match(pd.Series(["beauty;fashion"]), ())
    assert match.tolist() == [""] and primary.tolist() == [True]


def test_a_plan_on_only_these_niches_marks_bloggers_in_through_a_secondary_niche(small_sample):
    df = metrics.enrich(small_sample)
    df.insert(0, "id", np.arange(1, len(df) + 1))
    brief = plan.Brief(budget=800_000, niches=("beauty",), niche_mode="only", min_credibility=0.0,
                       allow_estimated_prices=True)
    cands = plan.build_candidates(df, brief)
    result = plan.describe(cands, plan.solve(cands, brief, time_limit=5), brief, df)
    rows = result.placements
    assert len(rows) and {"niche_match", "niche_primary"} <= set(rows.columns)
    by_id = df.set_index("id")["niches"].astype(str)
    for bid, match, primary in zip(rows["id"], rows["niche_match"], rows["niche_primary"], strict=True):
        own = by_id.loc[bid].split(";")
        if match:
            assert match == "beauty" and match in own and primary == (own[0] == "beauty")
