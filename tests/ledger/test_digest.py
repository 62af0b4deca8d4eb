"""The weekly digest carries the log's latest signed checkpoint, so its readers keep copies."""

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.ledger import keys
from app.ledger import service as ledger
from app.models import Subscription, User, utc_now
from app.notifications import digest
from tests.conftest import MovableClock


def test_the_digest_shows_the_latest_checkpoint(
    engine: Engine, settings: Settings, clock: MovableClock
) -> None:
    with Session(engine) as session:
        user = User(email="desk@example.org", role="editor", created_at=utc_now())
        session.add(user)
        session.flush()
        subscription = Subscription(
            user_id=user.id or 0,
            channel="email",
            address="desk@example.org",
            events=["digest.weekly"],
            created_at=utc_now(),
        )
        session.add(subscription)
        made = ledger.checkpoint(session=session, signer=keys.load_signer(settings))
        session.commit()
        week = digest.iso_week(clock.now().date())
        built = digest.build_digest(
            session, subscription, week, clock.now().date(), settings=settings
        )
    assert built.checkpoint == made.note
    text = digest.render_text(built, None)
    html = digest.render_html(built, None)
    assert made.note in text
    assert made.note.split("\n")[2] in html
