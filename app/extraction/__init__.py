"""Turning an article's words into candidate predictions (codebooks and deadlines: app.language)."""
