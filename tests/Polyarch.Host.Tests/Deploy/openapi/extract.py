#!/usr/bin/env python3
"""Keep the part of the official Kubernetes OpenAPI (swagger 2.0) spec that the rendered manifests need.

Usage: extract.py SWAGGER_JSON > kubernetes-openapi.json

SWAGGER_JSON is kubernetes/kubernetes api/openapi-spec/swagger.json, or the verbatim copy that
kubernetes-client/python keeps as kubernetes/swagger.json.unprocessed (see SOURCE). The output holds "info" and
the transitive closure of $refs from the kinds below, each definition verbatim (descriptions included).
"""
import json
import sys

# (group, version, kind) of every object invoker/deploy and builder/deploy render (with their components),
# plus Pod: the invoker's pod template lives in a ConfigMap.
KINDS = [
    ("", "v1", "Namespace"), ("", "v1", "ServiceAccount"), ("", "v1", "ConfigMap"), ("", "v1", "Secret"),
    ("", "v1", "Service"), ("", "v1", "PersistentVolumeClaim"), ("", "v1", "Pod"),
    ("apps", "v1", "Deployment"),
    ("rbac.authorization.k8s.io", "v1", "Role"), ("rbac.authorization.k8s.io", "v1", "RoleBinding"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole"), ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
]
PREFIX = "#/definitions/"


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value[len(PREFIX):]
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def main(path):
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    definitions = spec["definitions"]
    roots = []
    for group, version, kind in KINDS:
        names = [n for n, d in definitions.items()
                 if {"group": group, "version": version, "kind": kind} in d.get("x-kubernetes-group-version-kind", [])]
        if len(names) != 1:
            sys.exit(f"{path}: expected one definition for {group or 'core'}/{version} {kind}, found {names}")
        roots.append(names[0])
    kept, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in kept:
            kept.add(name)
            todo.extend(refs(definitions[name]))
    out = {"swagger": spec["swagger"], "info": spec["info"],
           "definitions": {n: definitions[n] for n in sorted(kept)}}
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
