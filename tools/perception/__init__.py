"""Perception: what an item image shows (atoms by colour class) and how the structure projects onto it."""
