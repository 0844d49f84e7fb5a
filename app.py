"""The web app: python app.py [--host 127.0.0.1] [--port 7860] [--config policyqa.toml]

Login is optional: POLICYQA_AUTH=user:password[,user2:password2]. Binds 127.0.0.1 unless configured."""

from policyqa.cli import serve_main

if __name__ == "__main__":
    raise SystemExit(serve_main())
