"""The Briefing's Previous and Next are enabled for the view they stand beside: a click's step was taken during the
run, after both buttons were drawn, so on view 2 Previous stayed disabled and on the last view Next enabled, until
the next run (found in the browser walk)."""

from __future__ import annotations

from tests.support import no_failure

BRIEFING = "pages/briefing.py"


def test_previous_and_next_follow_the_view_they_stand_beside(app):
    at = app(BRIEFING, lang="en")
    no_failure(at)
    n = int(at.markdown[0].value.rsplit(" ", 1)[-1].strip("*"))  # 'View 1 of 17'
    assert at.button(key="prev").disabled and not at.button(key="next").disabled
    at.button(key="next").click().run()
    assert at.markdown[0].value.startswith("View 2 ") and not at.button(key="prev").disabled
    for _ in range(n - 2):
        at.button(key="next").click().run()
    no_failure(at)
    assert at.markdown[0].value.startswith(f"View {n} ") and at.button(key="next").disabled
    at.button(key="prev").click().run()
    assert not at.button(key="next").disabled
