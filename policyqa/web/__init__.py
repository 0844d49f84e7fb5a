"""The web app (Gradio): `python app.py`; see `policyqa.web.app`."""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline: no telemetry calls, set before gradio loads
