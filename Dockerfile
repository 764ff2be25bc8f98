# jobrec Telegram bot. Build: docker build -t jobrec .
# Run:   docker run --env-file .env -v "$PWD/var:/app/var" -v /path/to/data:/data:ro jobrec
# The model bundle lives in var/models (train it with `jobrec train`, or let the bot's
# scheduled retraining build one from DATA_PATH); the SQLite database in var/jobrec.db.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLBACKEND=Agg \
    DATA_PATH=/data

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject or constraints change.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code; installed in place so alembic.ini and migrations/ sit next to the package.
COPY README.md alembic.ini ./
COPY migrations ./migrations
COPY recommender ./recommender
COPY bot ./bot
RUN pip install --no-deps -e . \
    && useradd --create-home --uid 10001 jobrec \
    && mkdir -p /app/var /data \
    && chown -R jobrec:jobrec /app/var

USER jobrec
VOLUME ["/app/var"]

# Migrations first (also done at bot start-up; explicit here so a failing one stops the container).
CMD ["sh", "-c", "jobrec db upgrade && exec jobrec bot"]
