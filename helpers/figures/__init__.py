"""Plotly figure builders: they take model results and return or update figures."""
