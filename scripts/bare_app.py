"""The baseline of bench_scores.py: a minimal async FastAPI JSON endpoint, nothing else.

Served with the same uvicorn flags as the app, so every target is a ratio to this process's
requests per second measured in the same run (issue 16).
"""

from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    """The smallest JSON answer FastAPI gives."""
    return {"status": "ok"}
