# label: secure
# round: 2
import pandas as pd


def ratio(df: pd.DataFrame) -> pd.DataFrame:
    return df.eval("ratio = a / b")
