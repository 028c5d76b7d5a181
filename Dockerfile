# syntax=docker/dockerfile:1
# agencybot: a static binary in a distroless image, running as non-root.
#   docker build -t agencybot .
#   docker run -d --env-file .env -v agencybot-data:/data -p 127.0.0.1:9090:9090 agencybot

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO_ENABLED=0: the embedded FerretDB uses modernc.org/sqlite (pure Go), so
# the binary is fully static.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/agencybot ./cmd/agencybot \
 && mkdir -p /out/data /out/backups

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/agencybot /usr/local/bin/agencybot
# The data and backup directories belong to the image's non-root user (65532).
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build --chown=65532:65532 /out/backups /backups
USER 65532:65532
ENV DATA_DIR=/data \
    BACKUP_DIR=/backups \
    HTTP_ADDR=:9090 \
    LOG_FORMAT=json
VOLUME ["/data", "/backups"]
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s \
  CMD ["/usr/local/bin/agencybot", "health"]
ENTRYPOINT ["/usr/local/bin/agencybot"]
CMD ["run"]
