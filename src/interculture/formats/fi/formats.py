"""Finnish dates as Finnish public services write them: "2.12.2026" (the rest: Django's fi)."""

DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j.n.Y \\k\\l\\o G.i"
