"""Guichet's benchmarks: `make bench` (or `python -m bench --help`); bench/README.md reads them.

Every figure is printed as a ratio against a baseline measured in the same run, on a throwaway
database, so that a slower or busier machine changes the milliseconds but not the conclusions.
"""
