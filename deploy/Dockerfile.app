# syntax=docker/dockerfile:1
# The app image: gateway (`gateway`, the default), action server (`actions`), jobs without HTTP
# (`worker`, for GATEWAY_RUNS_JOBS=false), migrations
# (`migrate`) and every other `python -m assistant` command. Build from the repository root:
#   docker build -f deploy/Dockerfile.app -t booking-assistant:$(git rev-parse --short HEAD) .
# Installs exactly requirements/runtime.lock (no resolver at build time, no dev tools).
# Base pinned by exact tag (the Python .venv is built with); pin by digest in your registry
# mirror with `--build-arg PYTHON_IMAGE=python:3.11.7-slim-bookworm@sha256:...`.
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m pip install uv==0.13.9 \
 && python -m venv /opt/venv
COPY requirements/runtime.lock /tmp/runtime.lock
RUN uv pip sync --python /opt/venv/bin/python /tmp/runtime.lock

FROM ${PYTHON_IMAGE}
# One unprivileged user; the code is root-owned and read-only to it, only DATA_DIR is its own.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
 && install -d -o app -g app /var/lib/assistant
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY assistant/ assistant/
COPY actions/ actions/
COPY calendar_sync/ calendar_sync/
COPY scheduling/ scheduling/
COPY domain.yml endpoints.yml credentials.yml ./
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/var/lib/assistant \
    GATEWAY_HOST=0.0.0.0 \
    ACTION_SERVER_HOST=0.0.0.0
USER 10001:10001
EXPOSE 8000 5055
ENTRYPOINT ["python", "-m", "assistant"]
CMD ["gateway"]
