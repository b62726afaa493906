#!/usr/bin/env bash
# Offline validation of k8s/base/*.yaml and k8s/split/*.yaml: Kubernetes API schemas (npm
# kubernetes-models), unknown fields, cross-references, drain and memory budgets, and that
# kustomize renders; then each overlay in k8s/overlays/ as rendered, through the same checks.
# Usage: bash k8s/validate.sh   (from anywhere; needs node >= 18 and npm; kubectl optional)
# Dependencies go to k8s/.validate/ (git-ignored), or to $VALIDATE_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deps=${VALIDATE_DIR:-$here/.validate}

if [ ! -f "$deps/node_modules/kubernetes-models/package.json" ] || [ ! -f "$deps/node_modules/js-yaml/package.json" ]; then
  mkdir -p "$deps"
  [ -f "$deps/package.json" ] || echo '{"private":true}' > "$deps/package.json"
  echo "installing kubernetes-models@4.5.1 and js-yaml@4.1.0 into $deps" >&2
  npm install --prefix "$deps" --no-audit --no-fund --loglevel=error \
    kubernetes-models@4.5.1 js-yaml@4.1.0 >&2
fi

VALIDATE_NODE_MODULES="$deps/node_modules" node "$here/validate.mjs" "$here"

if command -v kubectl >/dev/null 2>&1; then
  for dir in "$here/base" "$here/split"; do
    n=$(kubectl kustomize "$dir" | grep -c '^kind:')
    echo "kustomize ok: ${dir#"$(dirname "$here")"/}/ renders $n objects"
  done
  # each overlay as kustomize renders it, through the same checks
  rendered=$(mktemp -d)
  trap 'rm -rf "$rendered"' EXIT
  for overlay in "$here"/overlays/*/; do
    name=$(basename "$overlay")
    mkdir -p "$rendered/$name"
    kubectl kustomize "$overlay" > "$rendered/$name/rendered.yaml"
    echo "overlay $name:"
    VALIDATE_NODE_MODULES="$deps/node_modules" node "$here/validate.mjs" "$rendered/$name" | grep -v "^ok "
  done
else
  echo "kubectl not found: kustomize rendering and the overlays not checked" >&2
fi
