#!/usr/bin/env bash
# Validates deploy/ without a container engine or a Kubernetes cluster:
#   1. compose.yaml against the compose-spec JSON schema, the Kubernetes objects (kustomize output,
#      the optional Orleans-hosting component, the secret example) against the Kubernetes models,
#      strictly (unknown fields fail) — node tools from npm, cached outside the repository;
#   2. a self-test: broken copies of the files must fail step 1;
#   3. the deploy tests (tests/DarwinGrid.Deploy.Tests): settings, images, ports, health checks, GPU
#      reservations, non-root users, and the three compose silos started with their environment
#      against a local Redis and PostgreSQL (skip with --no-dotnet).
# What this cannot do (no daemon here): build the images or run the containers. See README.md.
set -euo pipefail
deploy="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$deploy")"
tools="${DARWINGRID_VALIDATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/darwingrid-deploy-validate}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== node tools ($tools)"
mkdir -p "$tools"
cp "$deploy/validate/package.json" "$deploy/validate/validate.mjs" "$tools/"
(cd "$tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null)

render() { # <kustomization dir> <out file>: kustomize if kubectl has it, else the listed files as they are
  if command -v kubectl >/dev/null; then
    kubectl kustomize "$1" > "$2"
  else
    sed -n 's/^  - \(.*\.yaml\)$/\1/p' "$1/kustomization.yaml" | while read -r f; do cat "$1/$f"; echo "---"; done > "$2"
  fi
}

echo "== schema checks"
render "$deploy/k8s" "$work/k8s.yaml"
files=("$work/k8s.yaml" "$deploy/k8s/secret.example.yaml")
if command -v kubectl >/dev/null; then
  # The base with the optional component, as a user enabling it would render it.
  mkdir -p "$work/with-hosting"
  cp -r "$deploy/k8s/." "$work/with-hosting/"
  printf 'components:\n  - components/orleans-kubernetes-hosting\n' >> "$work/with-hosting/kustomization.yaml"
  render "$work/with-hosting" "$work/k8s-with-hosting.yaml"
  grep -q "serviceAccountName: darwingrid-silo" "$work/k8s-with-hosting.yaml"
  files+=("$work/k8s-with-hosting.yaml")
fi
node "$tools/validate.mjs" "$deploy" "${files[@]}"

echo "== self-test: broken files must fail"
expect_failure() { # <what> <deploy dir> <k8s file>
  if node "$tools/validate.mjs" "$2" "$3" >"$work/out" 2>&1; then
    echo "self-test FAILED: $1 passed validation"; cat "$work/out"; exit 1
  fi
  echo "ok   rejected: $1 ($(grep -m1 FAIL "$work/out" | cut -c1-110))"
}
broken="$work/broken"
mkdir -p "$broken"
cp "$deploy/.env.example" "$broken/"
sed 's/^    healthcheck: \*silo-healthcheck$/    healthcheck: *silo-healthcheck\n    helthcheck: {}/' "$deploy/compose.yaml" > "$broken/compose.yaml"
expect_failure "compose service with an unknown key" "$broken" "$deploy/k8s/secret.example.yaml"
cp "$deploy/compose.yaml" "$broken/compose.yaml"
sed 's/containerPort: 11111/containerPort: "eleven"/' "$work/k8s.yaml" > "$work/bad-port.yaml"
expect_failure "containerPort that is not an integer" "$broken" "$work/bad-port.yaml"
sed 's/^\(\s*\)terminationGracePeriodSeconds: 40/\1terminationGracePeriodSeconds: 40\n\1nodeSelecter: {}/' "$work/k8s.yaml" > "$work/bad-field.yaml"
expect_failure "misspelt pod spec field" "$broken" "$work/bad-field.yaml"

if [ "${1:-}" != "--no-dotnet" ]; then
  echo "== deploy tests"
  dotnet test "$root/tests/DarwinGrid.Deploy.Tests" --nologo -v q
fi
echo "deploy/ validated"
