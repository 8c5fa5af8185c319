#!/usr/bin/env bash
# Restore a backup made by infra/backup.sh.
#
#   DATABASE_URL=postgres://... infra/restore.sh BACKUP_DIR [--media]
#
# The database is restored into DATABASE_URL, which must exist and be empty (create it
# with `createdb`), in one transaction: it is all restored or not at all.
# --media also puts the media back: the bucket's objects to the versions in media.json,
# or media.tar.gz unpacked into MEDIA_ROOT.
# Then run `python manage.py migrate` if the code is newer than the backup.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-$(command -v python || command -v python3)}"
fail() { echo "restore.sh: $*" >&2; exit 2; }

[ $# -ge 1 ] || fail "usage: restore.sh BACKUP_DIR [--media]"
backup="$1"
media="${2:-}"
[ -z "$media" ] || [ "$media" = "--media" ] || fail "unknown option: $media"
[ -f "$backup/db.dump" ] || fail "no db.dump in $backup"
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (the database to restore into)"
case "$DATABASE_URL" in
  postgres://*|postgresql://*|psql://*|pgsql://*) ;;
  *) fail "DATABASE_URL is not a PostgreSQL URL" ;;
esac
url="postgresql://${DATABASE_URL#*://}"

tables="$(psql "$url" -qtAX -v ON_ERROR_STOP=1 \
  -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" \
  || fail "cannot connect to the target database"
[ "$tables" = "0" ] || fail "the target database is not empty ($tables tables); restore into a new one"

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname "$url" "$backup/db.dump"
echo "database restored from $backup/db.dump"

if [ "$media" = "--media" ]; then
  if [ -f "$backup/media.json" ]; then
    "$python" "$here/media_manifest.py" restore "$backup/media.json"
  elif [ -f "$backup/media.tar.gz" ]; then
    [ -n "${MEDIA_ROOT:-}" ] || fail "MEDIA_ROOT is not set: where should media.tar.gz go?"
    mkdir -p "$MEDIA_ROOT"
    tar -xzf "$backup/media.tar.gz" -C "$MEDIA_ROOT"
    echo "media unpacked into $MEDIA_ROOT"
  else
    fail "no media.json or media.tar.gz in $backup"
  fi
fi
