"""Benchmarks that drive the app as its users do, outside the planner (which stays free of Streamlit): headless
Chromium (``browser``, ``page``, ``pages``), Streamlit's websocket protocol (``wsclient``) and many sessions at once
(``load``). ``python -m planner bench plan|pages|load`` runs them; ``python -m uibench.page`` runs the pages alone."""
