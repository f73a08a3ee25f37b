"""Influencer media planner: the domain, importable and testable without Streamlit."""

__version__ = "0.1.0"
