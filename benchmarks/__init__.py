"""`make bench`: how fast the shop answers, beside a bare Flask endpoint served the same way.

Run with `python -m benchmarks` (see README.md); nothing here is imported by the shop.
"""
