# label: vulnerable CWE-798
# round: 1
from sqlalchemy import create_engine

engine = create_engine("postgresql://app:Tr0ub4dor3@db.internal:5432/app")
