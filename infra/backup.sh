#!/usr/bin/env bash
# Back up a Mortar CMS: the database and the list of media object versions.
#
#   DATABASE_URL=postgres://... infra/backup.sh [BACKUP_ROOT]
#
# Writes BACKUP_ROOT/<UTC time>/ (default BACKUP_ROOT: ./backups):
#   db.dump     pg_dump custom format (compressed; restore with infra/restore.sh)
#   media.json  with AWS_STORAGE_BUCKET_NAME set: every key and its current version id in
#               the (versioned) bucket: media is not copied, the bucket keeps the versions
#   media.tar.gz  without a bucket: the local MEDIA_ROOT folder
# In the compose stack: docker compose run --rm -v "$PWD/backups:/backups" api infra/backup.sh /backups
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-$(command -v python || command -v python3)}"
fail() { echo "backup.sh: $*" >&2; exit 2; }

[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (postgres://USER:PASSWORD@HOST:5432/NAME)"
case "$DATABASE_URL" in
  postgres://*|postgresql://*|psql://*|pgsql://*) ;;
  *) fail "DATABASE_URL is not a PostgreSQL URL; only PostgreSQL is backed up" ;;
esac
command -v pg_dump >/dev/null || fail "pg_dump is not installed (Debian: postgresql-client)"
# libpq knows postgres:// and postgresql://; django-environ also accepts psql:// and pgsql://.
url="postgresql://${DATABASE_URL#*://}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="${1:-backups}/$stamp"
mkdir -p "$target"

pg_dump --format=custom --no-owner --no-privileges --file "$target/db.dump" "$url"
echo "database: $target/db.dump ($(du -h "$target/db.dump" | cut -f1))"

if [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
  "$python" "$here/media_manifest.py" save "$target/media.json"
elif [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
  tar -czf "$target/media.tar.gz" -C "$MEDIA_ROOT" .
  echo "media: $target/media.tar.gz"
else
  echo "media: no bucket and no MEDIA_ROOT folder, nothing to back up"
fi
echo "$target"
