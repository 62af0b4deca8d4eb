# The Hindsight image: the API, the one-shot migration and the scheduler all run `hindsight`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 hindsight \
    && useradd --system --uid 10001 --gid hindsight --home-dir /srv/hindsight --no-create-home hindsight

WORKDIR /srv/hindsight
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
# Editable, so `app` is imported from this tree: the CLI looks for migrations/ beside app/,
# which a plain `pip install .` would leave behind. The nlp extra (spaCy and its English
# pipeline, pinned by hash) gives extraction the dependency parse; the app runs without it.
RUN pip install --no-cache-dir --editable '.[nlp]' \
    && rm -rf build \
    && mkdir var && chown hindsight:hindsight var

USER hindsight
EXPOSE 8000
CMD ["hindsight", "serve", "--host", "0.0.0.0", "--port", "8000"]
