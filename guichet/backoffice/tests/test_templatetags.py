import datetime as dt

import pytest

from guichet.backoffice.templatetags.backoffice import duration_fr


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (dt.timedelta(minutes=12, seconds=40), "12 min"),
        (dt.timedelta(hours=2, minutes=5), "2 h 05 min"),
        (dt.timedelta(hours=24), "1 j"),
        (dt.timedelta(days=3, hours=4, minutes=59), "3 j 4 h"),
        (None, "—"),
    ],
)
def test_a_duration_reads_as_an_agent_says_it(delta, text):
    assert duration_fr(delta) == text
