"""The accessibility audit: every route × state × language of accessibility/routes.toml in
real Chromium, checked against points 1–16 of ACCESSIBILITY.md, plus the Nu Html Checker.

Run it with `make audit` or `python -m accessibility.audit --help`; tests/test_audit.py
runs it inside `make test`.

- plan.py      the list (routes.toml) and the visits it expands to
- live.py      the app on a free localhost port, with a temp database
- journeys.py  putting a session into a state (answers, check your answers, sent)
- browser.py   the visits and the checks that need a page
- probe.js     the measuring done inside the page
- rules.py     verdicts from measurements (pure, unit-tested)
- vnu.py       point 15, one Java run for every page
- report.py    accessibility/report/index.html and summary.json
"""
