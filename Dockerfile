# Multi-stage build: the SPA, the server, then a small runtime image.
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
COPY openapi/ /src/openapi/
RUN npm run build

FROM rust:1-bookworm AS server
WORKDIR /src
COPY . .
RUN cargo build --release -p kariz

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /var/lib/kariz kariz && mkdir -p /var/lib/kariz && chown kariz /var/lib/kariz
COPY --from=server /src/target/release/kariz /usr/local/bin/kariz
COPY --from=web /src/web/dist /usr/share/kariz/web
USER kariz
WORKDIR /var/lib/kariz
ENV KARIZ_BIND=0.0.0.0:8080 KARIZ_DATA_DIR=/var/lib/kariz KARIZ_WEB_DIR=/usr/share/kariz/web KARIZ_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fs http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["kariz"]
CMD ["serve"]
