# Polyarch's images. Run from the repository root (paths are relative to it):
#   docker buildx bake --push busybox      the multi-arch base (scripts/base-image.sh sets BUSYBOX_DIR)
#   docker buildx bake --push echo         examples/echo, FROM that base
#   docker buildx bake --push invoker      polyarch-invoker's own image (scripts/images.sh sets the directories)
#   docker buildx bake --push builder      polyarch-builder's own image (docker CLI + buildx + git inside)
#   docker buildx bake python-runtime      polyarch/python:3.11, the runtime of Python code actions (scripts/runtimes.sh
#                                          sets the roots' directory and the tag; it pushes through the output below)
# busybox, echo and python-runtime build linux/amd64, linux/arm64 and linux/ppc64le in one OCI index; invoker and builder only
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

# The Python data-science runtime of code actions (issue 13): Debian 12's python3, numpy, scipy and scikit-learn on a
# root scripts/rootfs.sh built per architecture (scripts/runtimes.sh), and the action proxy of invoker/runtimes/python,
# which takes the code at OpenWhisk's POST /init. User 10001; /tmp is the only place it writes (zip actions unpack there).
variable "PYTHON_ROOTFS" {
  # amd64.tar, arm64.tar and ppc64le.tar: the Debian 12 roots (filled by scripts/runtimes.sh)
  default = ".polyarch/runtimes/python/rootfs"
}
variable "PYTHON_TAG" {
  # scripts/runtimes.sh passes 3.11-<hash of the inputs>; :3.11 is moved to the same index afterwards
  default = "3.11"
}

target "python-runtime" {
  platforms = ["linux/amd64", "linux/arm64", "linux/ppc64le"]
  context   = PYTHON_ROOTFS
  contexts  = { proxy = "invoker/runtimes/python" }
  dockerfile-inline = <<-EOT
    FROM scratch
    ARG TARGETARCH
    ADD $${TARGETARCH}.tar /
    COPY --from=proxy proxy/ /opt/polyarch/python-runtime/
    ENV HOME=/tmp \
        LANG=C.UTF-8 \
        PYTHONUNBUFFERED=1 \
        PYTHONDONTWRITEBYTECODE=1 \
        PATH=/usr/local/bin:/usr/bin:/bin
    WORKDIR /tmp
    USER 10001:10001
    EXPOSE 8080
    ENTRYPOINT ["python3", "-u", "/opt/polyarch/python-runtime/actionproxy.py"]
    EOT
  tags = ["${REGISTRY}/polyarch/python:${PYTHON_TAG}"]
  labels = {
    "org.opencontainers.image.vendor"      = "Polyarch"
    "org.opencontainers.image.title"       = "polyarch/python"
    "org.opencontainers.image.description" = "Python 3.11 with numpy, scipy and scikit-learn (Debian 12) and an OpenWhisk action proxy: POST /init with code, a zip or a notebook, POST /run"
    "org.opencontainers.image.version"     = "3.11"
    "org.opencontainers.image.source"      = SOURCE
    "org.opencontainers.image.revision"    = REVISION
    "org.opencontainers.image.created"     = CREATED
    # Placement: OpenWhisk's action protocol (the invoker calls it "http": /init once, /run per activation) on 8080.
    "io.polyarch.action.protocol" = "http"
    "io.polyarch.action.port"     = "8080"
    "io.polyarch.runtime"         = "python:3.11"
  }
  # As the builder writes them: OCI annotations on the index and every manifest, and the placement labels repeated on
  # each child descriptor with the marker (registry/Polyarch.Registry/Placement/PlacementAnnotations.cs), so placement
  # picks a platform from the index alone.
  output = [join(",", concat(["type=image", "push=true"], flatten([
    for k, v in {
      "org.opencontainers.image.source"   = SOURCE
      "org.opencontainers.image.revision" = REVISION
      "org.opencontainers.image.created"  = CREATED
      "org.opencontainers.image.title"    = "polyarch/python"
      "org.opencontainers.image.version"  = "3.11"
    } : ["annotation-index.${k}=${v}", "annotation-manifest.${k}=${v}"]
    ]), [
    for k, v in {
      "io.polyarch.placement"       = "v1"
      "io.polyarch.action.protocol" = "http"
      "io.polyarch.action.port"     = "8080"
    } : "annotation-manifest-descriptor.${k}=${v}"
  ]))]
}
