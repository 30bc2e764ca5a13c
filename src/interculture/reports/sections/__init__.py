"""The sections of the Index Report, one module per part of seed 002's order."""
