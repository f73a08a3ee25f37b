

def test_the_overlap_legend_shows_decimals_when_overlaps_are_small():
    """Overlaps of a fraction of a per cent: the legend's ticks must not all read "0"."""
    import numpy as np

    from planner.reporting import charts
    small = np.array([[1.0, 0.004, 0.002], [0.004, 1.0, 0.001], [0.002, 0.001, 1.0]])
    spec = charts.overlap_heatmap(small, ["@a", "@b", "@c"]).to_dict()
    fmt = spec["encoding"]["color"]["legend"]["format"]
    ticks = [0.1, 0.2, 0.3, 0.4]
    import re
    decimals = int(re.search(r"\.(\d)", fmt).group(1))
    assert len({round(x, decimals) for x in ticks}) == len(ticks)
    big = np.array([[1.0, 0.4], [0.4, 1.0]])
    assert charts.overlap_heatmap(big, ["@a", "@b"]).to_dict()["encoding"]["color"]["legend"]["format"] == ",.0f"
