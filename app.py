"""The web app: python app.py [--host 127.0.0.1] [--port 7860] [--config policyqa.toml]

Login is optional: POLICYQA_AUTH=user:password[,user2:password2]. Binds 127.0.0.1 unless configured."""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

if __name__ == "__main__":
    from policyqa.web.app import main

    raise SystemExit(main())
