# precheck service image: Debian's libime language model, kenlm built from source, non-root user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PRECHECK_DATA_DIR=/var/lib/precheck

RUN apt-get update \
 && apt-get install -y --no-install-recommends libime-data-language-model build-essential cmake zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/precheck
COPY pyproject.toml README.md ./
COPY app ./app
COPY lexicons ./lexicons
RUN pip install --no-deps "pycorrector>=1.1.2" \
 && pip install ".[cluster]" \
 && apt-get purge -y --auto-remove build-essential cmake zlib1g-dev \
 && useradd --system --home /var/lib/precheck --create-home precheck

USER precheck
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["precheck", "serve", "--host", "0.0.0.0", "--port", "8000"]
