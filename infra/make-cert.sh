#!/usr/bin/env bash
# A self-signed TLS certificate for a local, lcl.example.com-style hostname.
# Usage: infra/make-cert.sh [HOSTNAME] [OUTPUT_DIR]
#   writes OUTPUT_DIR/HOSTNAME.crt and OUTPUT_DIR/HOSTNAME.key (default: lcl.example.com,
#   infra/nginx/certs). Valid for HOSTNAME, *.HOSTNAME, localhost and 127.0.0.1, so the
#   same file works for the compose stack and for the loopback nginx test.
# Trust it (or accept the browser warning) for development only; production gets a real
# certificate (Let's Encrypt, the load balancer's, ...) mounted in the same place.
set -euo pipefail

host="${1:-lcl.example.com}"
out="${2:-$(dirname "$0")/nginx/certs}"
days="${CERT_DAYS:-825}"

if [[ ! "$host" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; then
  echo "make-cert.sh: not a hostname: $host" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "make-cert.sh: openssl is not installed" >&2; exit 1; }

mkdir -p "$out"
umask 077
# CA:FALSE and serverAuth keep strict verifiers (Python 3.13, browsers) happy with a leaf
# that is trusted directly, without a CA of its own.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -sha256 \
  -days "$days" -subj "/CN=$host" \
  -addext "subjectAltName=DNS:$host,DNS:*.$host,DNS:localhost,IP:127.0.0.1" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$out/$host.key" -out "$out/$host.crt" 2>/dev/null
chmod 644 "$out/$host.crt"
echo "$out/$host.crt"
