# label: vulnerable CWE-89
# round: 2
from sqlalchemy import text
from sqlalchemy.orm import Session


def count_by_status(session: Session, status: str) -> int:
    stmt = text("SELECT count(*) FROM tickets WHERE status = '{}'".format(status))
    return session.execute(stmt).scalar()
