"""Enforcement documents (执法文书): numbered, rendered as DOCX and PDF, hashed, verifiable."""
