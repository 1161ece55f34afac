#!/usr/bin/env bash
# Refresh (and compile) the Vietnamese catalogues. Each app under eiso/ that has a locale/
# folder keeps its own catalogue (eiso/<app>/locale/vi/LC_MESSAGES/django.po), so work on one
# app never rewrites another's translations; the project catalogue (locale/vi) holds what is
# left: config/ and the project-wide templates/.
#   scripts/messages.sh            refresh every catalogue and compile it
#   scripts/messages.sh --app eiso/X refresh and compile one app's catalogue only (creates it)
#   scripts/messages.sh --project  refresh and compile the project catalogue (locale/vi) only
#   scripts/messages.sh --into DIR refresh copies under DIR (the tree stays untouched)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
ADMIN="$ROOT/.venv/bin/django-admin"
# makemessages stamps POT-Creation-Date on every run: keep the committed stamp when nothing
# else changed, so refreshing never shows up as a change.
keep_stamp() {  # keep_stamp <po>
  local po=$1 committed
  committed=$(git show "HEAD:$po" 2>/dev/null) || return 0
  if diff -q <(grep -v '^"POT-Creation-Date:' "$po") \
       <(printf '%s\n' "$committed" | grep -v '^"POT-Creation-Date:') >/dev/null; then
    printf '%s\n' "$committed" > "$po"
  fi
}

into=""
if [ "${1:-}" = "--into" ]; then into="$2"; fi
if [ "${1:-}" = "--app" ]; then
  app=${2%/}
  case "$app" in eiso/?*) ;; *) echo "--app takes an app folder, e.g. eiso/objectives" >&2; exit 2 ;; esac
  po="$app/locale/vi/LC_MESSAGES/django.po"
  if [ ! -f "$po" ]; then  # a new catalogue starts with the project's header
    mkdir -p "$(dirname "$po")"
    sed -n '1,/^$/p' locale/vi/LC_MESSAGES/django.po > "$po"
  fi
  (cd "$app" && env -u DJANGO_SETTINGS_MODULE "$ADMIN" makemessages -l vi --no-obsolete -v0 \
    --ignore=tests --ignore=migrations)
  keep_stamp "$po"
  msgfmt --check -o "$app/locale/vi/LC_MESSAGES/django.mo" "$po"
  echo "$po: $(msgattrib --untranslated "$po" | grep -c '^msgid ' || true) untranslated (the header counts as 1)"
  exit 0
fi

apps=()
for dir in eiso/*/; do
  [ -d "$dir/locale" ] && apps+=("${dir%/}")
done

# The project catalogue holds config/ and templates/ only: every app keeps its own.
ignores=(--ignore=.venv --ignore=node_modules --ignore=static/vendor --ignore=e2e --ignore=bench
  --ignore=eiso/*)

refresh_root() {
  EISO_DEV=1 "$PY" manage.py makemessages -l vi "${ignores[@]}" --no-obsolete -v0
}
refresh_app() {
  # Without settings, makemessages writes into the app's own locale/ folder.
  (cd "$1" && env -u DJANGO_SETTINGS_MODULE "$ADMIN" makemessages -l vi --no-obsolete -v0 \
    --ignore=tests --ignore=migrations)
}

if [ "${1:-}" = "--project" ]; then
  refresh_root
  keep_stamp locale/vi/LC_MESSAGES/django.po
  msgfmt --check -o locale/vi/LC_MESSAGES/django.mo locale/vi/LC_MESSAGES/django.po
  echo "locale/vi: $(msgattrib --untranslated locale/vi/LC_MESSAGES/django.po | grep -c '^msgid ' || true) untranslated (the header counts as 1)"
  exit 0
fi

if [ -n "$into" ]; then
  # Work on a copy of the tree's catalogues.
  mkdir -p "$into"
  cp -r locale "$into/root"
  refresh_root
  cp locale/vi/LC_MESSAGES/django.po "$into/root.fresh.po"
  cp "$into/root/vi/LC_MESSAGES/django.po" locale/vi/LC_MESSAGES/django.po
  for app in "${apps[@]}"; do
    name=$(basename "$app")
    cp "$app/locale/vi/LC_MESSAGES/django.po" "$into/$name.committed.po"
    refresh_app "$app"
    cp "$app/locale/vi/LC_MESSAGES/django.po" "$into/$name.fresh.po"
    cp "$into/$name.committed.po" "$app/locale/vi/LC_MESSAGES/django.po"
  done
  exit 0
fi

refresh_root
keep_stamp locale/vi/LC_MESSAGES/django.po
"$PY" manage.py compilemessages -l vi --ignore=.venv --ignore=node_modules -v0
for app in "${apps[@]}"; do
  refresh_app "$app"
  keep_stamp "$app/locale/vi/LC_MESSAGES/django.po"
  msgfmt --check -o "$app/locale/vi/LC_MESSAGES/django.mo" "$app/locale/vi/LC_MESSAGES/django.po"
done
echo "catalogues: locale/vi ${apps[*]}"
