# The KREM dashboard in a container. The database lives in the volume /data (KREM_DB=/data/krem.db),
# kept apart from the code so the demo files in /app/data/demo are never hidden by a mounted volume.
#   docker build -t krem .
#   docker run -d --name krem -p 8501:8501 -v krem-data:/data \
#     -v "$PWD/.streamlit/secrets.toml:/app/.streamlit/secrets.toml:ro" krem
# Replicated to a bucket: add -e KREM_REPLICA=s3://bucket/krem -e KREM_REPLICA_ENDPOINT=… and the keys.
# See docs/deploy.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    KREM_DB=/data/krem.db

WORKDIR /app
# DejaVu Sans for the report's PDF (every Norwegian letter, dash and «»; docs/report.md).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Run as an ordinary user that owns only the data directory.
RUN useradd --system --uid 10001 --home-dir /data krem \
    && mkdir -p /data \
    && chown krem:krem /data
USER krem
VOLUME ["/data"]

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"

# serve.py (when present) adds extra routes such as the calendar feed; app.py is the plain app. With
# KREM_REPLICA set, Litestream supervises the app and replicates /data/krem.db (scripts/docker-entrypoint.sh).
CMD ["sh", "scripts/docker-entrypoint.sh"]
