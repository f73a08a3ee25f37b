"""Benchmarks (``python -m planner bench ...``): speed and memory of the planner itself; what drives the app in a
browser or over Streamlit's protocol is in the top-level ``uibench`` package (planner imports no Streamlit)."""
