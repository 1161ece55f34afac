#!/usr/bin/env bash
# Fails when a user-facing string has no Vietnamese translation (or a fuzzy one), or when a
# compiled catalogue is out of date. Every catalogue is checked: the project's (locale/vi) and
# each app's own (eiso/<app>/locale/vi). The catalogues are refreshed on copies, so the tree
# stays untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/messages.sh --into "$tmp" >/dev/null
status=0
normal() { msgcat --sort-output --no-location "$1" | grep -v '^"POT-Creation-Date:'; }
check() {  # check <label> <fresh.po> <committed.po> <committed.mo>
  local label=$1 fresh=$2 po=$3 mo=$4
  local untranslated fuzzy
  untranslated=$(msgattrib --untranslated --no-obsolete "$fresh" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$fresh" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry with any non-empty selection: it counts as one.
  if [ "$untranslated" -gt 1 ] || [ "$fuzzy" -gt 1 ]; then
    echo "$label: catalogue incomplete — $((untranslated - 1)) untranslated, $((fuzzy > 0 ? fuzzy - 1 : 0)) fuzzy:"
    msgattrib --untranslated --no-obsolete "$fresh" | grep '^msgid ' | sed -n '2,40p'
    status=1
  fi
  if ! cmp -s <(normal "$fresh") <(normal "$po"); then
    echo "$label: $po is not up to date with the code: run 'make messages' and commit it."
    status=1
  fi
  msgfmt --check -o "$tmp/check.mo" "$po"
  if ! cmp -s "$tmp/check.mo" "$mo"; then
    echo "$label: $mo is stale: run 'make messages' and commit it."
    status=1
  fi
}
for dir in eiso/*/; do  # every app keeps its own catalogue (scripts/messages.sh --app)
  if [ -f "$dir/apps.py" ] && [ ! -f "$dir/locale/vi/LC_MESSAGES/django.po" ]; then
    echo "${dir%/}: no Vietnamese catalogue: run 'bash scripts/messages.sh --app ${dir%/}'"
    status=1
  fi
done
check project "$tmp/root.fresh.po" locale/vi/LC_MESSAGES/django.po locale/vi/LC_MESSAGES/django.mo
for dir in eiso/*/; do
  app=${dir%/}
  [ -d "$app/locale" ] || continue
  name=$(basename "$app")
  check "$name" "$tmp/$name.fresh.po" "$app/locale/vi/LC_MESSAGES/django.po" \
    "$app/locale/vi/LC_MESSAGES/django.mo"
done
[ "$status" -eq 0 ] && echo "translations: every catalogue complete, current and compiled"
exit "$status"
