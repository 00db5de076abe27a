#!/bin/sh
# The scheduled jobs of compose.yaml's `jobs` service: once a day at JOBS_AT (default 03:00,
# in TZ) a backup (kept BACKUP_KEEP_DAYS days), then a full search reindex, then expired
# sessions removed, then the 180-day 最終確認日 reminders (remind_stale). A failing job is logged and the loop goes on to the next day.
set -u
JOBS_AT="${JOBS_AT:-03:00}"
BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

while true; do
  now=$(date +%s)
  next=$(date -d "today ${JOBS_AT}" +%s)
  [ "$next" -le "$now" ] && next=$(date -d "tomorrow ${JOBS_AT}" +%s)
  sleep $((next - now))
  python manage.py backup "$BACKUP_DIR" || echo "jobs: backup failed" >&2
  find "$BACKUP_DIR" -name 'tsunagari-backup-*.tar.gz' -mtime +"$BACKUP_KEEP_DAYS" -delete
  python manage.py search_reindex --verbosity 0 || echo "jobs: search_reindex failed" >&2
  python manage.py clearsessions || echo "jobs: clearsessions failed" >&2
  python manage.py remind_stale || echo "jobs: remind_stale failed" >&2
done
