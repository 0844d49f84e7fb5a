"""Who may use PolicyQA: user accounts with roles and API keys, and the audit trail of what was shown to whom."""
