"""The append-only Merkle log of every record (issue 17)."""
