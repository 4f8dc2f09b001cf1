"""Helpers shared by several claims of the reasoning family: symbols, strategies and functions.

None at present: each claim module keeps its own helpers (the mediation tables of E-23 and E-24 differ in
what they read: weights with positivity against plain probabilities).
"""
