"""Benchmarks (``python -m planner bench ...``): the only part of planner allowed to start Streamlit."""
