"""The Streamlit glue, the only place besides app.py and the pages that imports streamlit. A page imports the
module it uses (`from ui import data, state, widgets`):

- `ui.state`: session and URL state (the language, the run through app.py, the levers in a shared link);
- `ui.auth`: authentication and access (sign-in, the visitor's role);
- `ui.data`: the cached engine, reads and figures, and the writes: the one way a page reaches the data;
- `ui.widgets`: what pages share on screen (filters, dates, charts, downloads, questions);
- `ui.sections`: page sections more than one page places.
"""
