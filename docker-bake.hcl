# Polyarch's images. Run from the repository root (paths are relative to it):
#   docker buildx bake --push busybox      the multi-arch base (scripts/base-image.sh sets BUSYBOX_DIR)
#   docker buildx bake --push echo         examples/echo, FROM that base
#   docker buildx bake --push invoker      polyarch-invoker's own image (scripts/images.sh sets the directories)
#   docker buildx bake --push builder      polyarch-builder's own image (docker CLI + buildx + git inside)
# busybox and echo build linux/amd64, linux/arm64 and linux/ppc64le in one OCI index; invoker and builder only
# linux/amd64 and linux/arm64: Microsoft serves no .NET runtime pack for linux-ppc64le.

variable "REGISTRY" {
  # Where images are pushed and where the base is pulled from (plain HTTP on loopback).
  default = "127.0.0.1:5000"
}

variable "BUSYBOX_DIR" {
  # Directory with <arch>/busybox static binaries from Debian (filled by scripts/base-image.sh).
  default = ".polyarch/base/context"
}

variable "TAG" {
  default = "latest"
}

# For the service images (scripts/images.sh fills them): each directory holds amd64/ and arm64/ subdirectories.
variable "INVOKER_ROOTFS" {
  # amd64.tar and arm64.tar: the Debian 12 roots scripts/rootfs.sh built for the invoker
  default = ".polyarch/images/invoker/rootfs"
}
variable "INVOKER_APP" {
  # amd64/ and arm64/: `dotnet publish --self-contained` of invoker/Polyarch.Invoker, plus an empty state/
  default = ".polyarch/images/invoker/app"
}
variable "BUILDER_ROOTFS" {
  default = ".polyarch/images/builder/rootfs"
}
variable "BUILDER_APP" {
  default = ".polyarch/images/builder/app"
}

# OCI annotations every image Polyarch pushes carries (conventions.md); scripts/images.sh passes git's values.
variable "SOURCE" {
  default = "https://example.invalid/polyarch"
}
variable "REVISION" {
  default = "unknown"
}
variable "CREATED" {
  default = "1970-01-01T00:00:00Z"
}

group "default" {
  targets = ["echo"]
}

target "_multiarch" {
  platforms = ["linux/amd64", "linux/arm64", "linux/ppc64le"]
  labels = {
    "org.opencontainers.image.vendor" = "Polyarch"
  }
}

target "busybox" {
  inherits = ["_multiarch"]
  context  = "scripts/base"
  contexts = {
    busybox = BUSYBOX_DIR
  }
  tags = ["${REGISTRY}/polyarch/busybox:${TAG}"]
  labels = {
    "org.opencontainers.image.title"       = "polyarch/busybox"
    "org.opencontainers.image.description" = "Debian's static busybox, FROM scratch, for amd64, arm64 and ppc64le"
  }
}

target "echo" {
  inherits = ["_multiarch"]
  context  = "examples/echo"
  args = {
    BASE_IMAGE = "${REGISTRY}/polyarch/busybox:latest"
  }
  tags = ["${REGISTRY}/demo/echo:${TAG}"]
  labels = {
    "org.opencontainers.image.title" = "demo/echo"
    "io.polyarch.action.protocol"    = "http"
    "io.polyarch.action.port"        = "8080"
  }
}

# A Polyarch service FROM a Debian 12 root (nothing can be pulled, so there is no base image): the root's tarball
# (ADD unpacks it), the self-contained publish for TARGETARCH, a non-root user (10001) that owns only its state
# directory. Reaching the engine socket as that user takes `--group-add <the socket's group>`.
function "service_dockerfile" {
  params = [app]
  result = <<-EOT
    FROM scratch
    ARG TARGETARCH
    ADD $${TARGETARCH}.tar /
    COPY --from=app $${TARGETARCH}/ /opt/polyarch/
    COPY --from=app --chown=10001:10001 state/ /var/lib/polyarch/
    ENV HOME=/var/lib/polyarch \
        POLYARCH_STATE_DIR=/var/lib/polyarch \
        DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
        PATH=/opt/polyarch:/usr/local/bin:/usr/bin:/bin
    WORKDIR /var/lib/polyarch
    USER 10001:10001
    ENTRYPOINT ["/opt/polyarch/${app}"]
    CMD ["--help"]
    EOT
}

target "_service" {
  platforms = ["linux/amd64", "linux/arm64"]
  labels = {
    "org.opencontainers.image.vendor"   = "Polyarch"
    "org.opencontainers.image.source"   = SOURCE
    "org.opencontainers.image.revision" = REVISION
    "org.opencontainers.image.created"  = CREATED
  }
  # Annotations as the builder writes them (Buildx/BakeArguments.cs): on the index and on every manifest, through the
  # image exporter's own keys, which survive the push (bake's `annotations` attribute reached only the manifests
  # here, with its "index,manifest:" prefix as part of the key).
  output = [join(",", concat(["type=image", "push=true"], flatten([
    for k, v in {
      "org.opencontainers.image.source"   = SOURCE
      "org.opencontainers.image.revision" = REVISION
      "org.opencontainers.image.created"  = CREATED
    } : ["annotation-index.${k}=${v}", "annotation-manifest.${k}=${v}"]
  ])))]
}

target "invoker" {
  inherits          = ["_service"]
  context           = INVOKER_ROOTFS
  contexts          = { app = INVOKER_APP }
  dockerfile-inline = service_dockerfile("polyarch-invoker")
  tags              = distinct(["${REGISTRY}/polyarch/invoker:${TAG}", "${REGISTRY}/polyarch/invoker:latest"])
  labels = {
    "org.opencontainers.image.title"       = "polyarch/invoker"
    "org.opencontainers.image.description" = "polyarch-invoker: runs actions on a Docker engine (DOCKER_HOST or a mounted socket) or in-cluster on Kubernetes"
  }
}

target "builder" {
  inherits          = ["_service"]
  context           = BUILDER_ROOTFS
  contexts          = { app = BUILDER_APP }
  dockerfile-inline = service_dockerfile("polyarch-builder")
  tags              = distinct(["${REGISTRY}/polyarch/builder:${TAG}", "${REGISTRY}/polyarch/builder:latest"])
  labels = {
    "org.opencontainers.image.title"       = "polyarch/builder"
    "org.opencontainers.image.description" = "polyarch-builder: git push -> docker buildx bake -> one OCI index, driving an engine through DOCKER_HOST or a mounted socket"
  }
}
