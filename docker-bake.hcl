# Polyarch's images. Run from the repository root (paths are relative to it):
#   docker buildx bake --push busybox      the multi-arch base (scripts/base-image.sh sets BUSYBOX_DIR)
#   docker buildx bake --push echo         examples/echo, FROM that base
# Every target builds linux/amd64, linux/arm64 and linux/ppc64le in one OCI index.

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
