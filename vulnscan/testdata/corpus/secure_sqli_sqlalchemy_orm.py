# label: secure
# round: 2
from sqlalchemy import select, func
from sqlalchemy.orm import Session
from models import Ticket


def count_by_status(session: Session, status: str) -> int:
    return session.execute(select(func.count()).where(Ticket.status == status)).scalar()
