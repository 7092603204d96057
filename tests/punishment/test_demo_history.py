"""The demo's year of published results: many results across the departments and the year, in
various categories, follow-ups in various states, credit classes moved, joint punishment entries
with one repaired; loaded once."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select

from spotcheck.demo.accounts import load_demo
from spotcheck.demo.draws import load_demo_draws
from spotcheck.demo.history import load_demo_history
from spotcheck.demo.people import load_demo_people
from spotcheck.demo.plans import load_demo_plans
from spotcheck.demo.publication import load_demo_publications
from spotcheck.demo.targets import load_demo_targets
from spotcheck.demo.tasks import load_demo_tasks
from spotcheck.followup.credit import CreditEvent
from spotcheck.followup.models import FollowUp
from spotcheck.publication.models import Publication
from spotcheck.punishment.models import PunishmentEntry

TODAY = date(2026, 11, 26)


def test_the_demo_portal_shows_a_year_of_published_results(app, db_session, tmp_path, monkeypatch, client):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(tmp_path / "evidence"))
    with app.app_context():
        load_demo(db_session)
        load_demo_targets(db_session)
        load_demo_people(db_session)
        load_demo_plans(db_session)
        load_demo_draws(db_session)
        load_demo_tasks(db_session, TODAY)
        load_demo_publications(db_session, TODAY)
        report = load_demo_history(db_session, TODAY)
    db_session.commit()

    publications = list(db_session.scalars(select(Publication)))
    assert report.published >= 30 and len(publications) >= 30
    months = {p.checked_on.month for p in publications}
    assert len(months) >= 5 and all(p.published_on <= TODAY for p in publications)
    codes = {d["code"] for p in publications for d in p.departments}
    assert {"SCJG", "WSJK", "YJGL", "WLJ", "RSJ"} <= codes
    categories = Counter(p.result_category for p in publications)
    assert {"no_problem", "pending_followup", "corrected", "not_disclosed", "unreachable",
            "non_cooperation"} <= set(categories)
    assert any(p.late for p in publications), "one published late, counted against its department"

    states = {f.state for f in db_session.scalars(select(FollowUp))}
    assert {"open", "corrected", "overdue", "closed"} <= states
    assert db_session.scalar(select(func.count()).select_from(CreditEvent)
                             .where(CreditEvent.kind == "department_rule")) > 0
    entries = list(db_session.scalars(select(PunishmentEntry)))
    assert len(entries) >= 2 and [e.state for e in entries].count("repaired") == 1

    assert load_demo_history(db_session, TODAY).published == 0, "loaded once"
    page = client.get("/public/punishments").get_data(as_text=True)
    assert "严重不配合检查" in page
