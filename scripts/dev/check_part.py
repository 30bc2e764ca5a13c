"""Temporary helper for writing questionnaire parts: validate a part and score Hämeenlinna on it.

usage: .venv/bin/python scripts/dev/check_part.py PART.yaml ANSWERS.yaml
"""
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
from interculture.engine.loader import answer_values, load_answers_file, load_questionnaire_file  # noqa: E402
from interculture.engine.scoring import score, validate_answers  # noqa: E402

q = load_questionnaire_file(sys.argv[1])
answers = load_answers_file(sys.argv[2])["answers"]
values = answer_values(answers)
errors = validate_answers(q, values)
for e in errors:
    print("INVALID", e)
city = yaml.safe_load((Path(__file__).resolve().parents[2] / "src/interculture/data/cities/hameenlinna.yaml").read_text())
published = city["rounds"][0]["published_report"]["rates"]
s = score(q, values)
print(f"questions={len(q.questions)} mandatory={sum(x.mandatory for x in q.questions)} "
      f"core={sum(x.core for x in q.questions)} missing={s.missing}")
for ind in q.indicators:
    qs = q.questions_of(ind.id)
    r = s.rate(ind.id)
    target = published.get(ind.id, {}).get("city")
    ok = "OK " if r is not None and target is not None and abs(r - target) <= 2 else "OFF"
    print(f"{ok} {ind.id:24} n={len(qs)} mand={sum(x.mandatory for x in qs)} core={sum(x.core for x in qs)} "
          f"core_rate={s.core_indicators[ind.id]} ext_rate={s.indicators[ind.id]} published={target}")
