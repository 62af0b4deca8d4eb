"""The hedge codebooks, open to read: every phrase with its probability and its source."""
