#!/usr/bin/env bash
# What the tests need beyond npm: Debian's docker-registry (a real OCI registry), htpasswd
# (bcrypt users for it), openssl (a CA for its TLS), zsh and fish (the completion scripts
# run in them) and prometheus (promtool checks serve's /metrics; about 90 s to install).
# Installed only when missing.
set -euo pipefail
missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
command -v openssl >/dev/null || missing+=(openssl)
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
command -v promtool >/dev/null || missing+=(prometheus)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing test dependencies: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
