from tests.test_pages_apptest import app  # noqa
def test_dbg(app):
    at = app("pages/whatif.py", lang="en")
    at.segmented_control(key="ladder").set_value("civilian").run()
    print("A", [ (s.key, s.value) for s in at.segmented_control], [e.value for e in at.error], at.exception)
    at.segmented_control(key="allocation_by").set_value("category")
    print("B", at.session_state["allocation_by"] if "allocation_by" in at.session_state else None)
    at.run()
    print("C", [ (s.key, s.value) for s in at.segmented_control], [e.value for e in at.error], at.exception)
