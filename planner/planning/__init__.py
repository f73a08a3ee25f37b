"""Planning: the brief, candidate placements, the audience reach model and the optimiser that trades
deduplicated reach against niche fit under a budget."""
