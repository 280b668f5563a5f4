# Interop Hub: multi-stage build. mattn/go-sqlite3 needs cgo, so the binary
# is built with gcc against glibc and run on a small glibc image.
# (No Docker engine runs where this was written: keep it correct by reading.)

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/interophub . \
 && mkdir -p /out/data

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/interophub /usr/local/bin/interophub
# The data folder must exist and belong to the nonroot user (uid 65532):
# a new named volume takes the ownership of the image's folder.
COPY --from=build --chown=65532:65532 /out/data /data
ENV HUB_ADDR=:8080 HUB_DATA=/data
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/interophub"]
CMD ["serve"]
