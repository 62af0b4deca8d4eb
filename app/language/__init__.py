"""The language layer: hedge codebooks (versioned data with sources) and the deadline parser.

It sits below every domain and imports nothing of the app but settings, so predictions,
extraction, scoring and the web can all use it.
"""
