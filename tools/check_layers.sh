#!/usr/bin/env bash
# check_layers.sh — the include graph follows the layers and has no cycle.
#   core  <-  nn, env, io, ml  <-  rl, replay  <-  viz  <-  cli
# A file may include headers of its own folder and of lower layers only (nn, env, io and ml
# do not use each other). A public header include/deepq/X.h belongs to the layer that defines
# its functions (table below; a header missing from it is an error), and every function it
# declares must be defined in that layer's folder. The CLI includes public headers and its own
# only. Usage: tools/check_layers.sh [REPO_ROOT]; exit 1 on any violation.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

declare -A LEVEL=([core]=0 [nn]=1 [env]=1 [io]=1 [ml]=1 [rl]=2 [replay]=2 [viz]=3 [cli]=4)
declare -A PUBLIC=(
  [common]=core [rng]=core [nprandom]=core
  [nn]=nn
  [env]=env [vecenv]=env [lunar]=env
  [golden]=replay
  [csv]=io [fsio]=io [ndarray]=io [npz]=io [safetensors]=io [tb]=io
  [regress]=ml
  [config]=rl [dataset]=rl [dqn]=rl [export]=rl [fqi]=rl [heads]=rl [noisy]=rl [nstep]=rl [per]=rl
  [replay]=rl [schedule]=rl [tabular]=rl [apex]=rl [sweep]=rl
  [action_noise]=rl [cont]=rl [cont_config]=rl [cont_math]=rl
  [plot]=viz [render]=viz [video]=viz [window]=viz
)
# Known exceptions, each with the work that removes it (none today).
ALLOW=" "
bad=0
fail() { echo "check_layers: $*" >&2; bad=1; }

for h in include/deepq/*.h; do
  b=$(basename "$h" .h)
  [[ -n ${PUBLIC[$b]:-} ]] || fail "$h: no layer for this public header (add it to PUBLIC)"
done

# layer of a file: its folder under src/, cli, or the PUBLIC table for include/deepq
layer_of() {
  case $1 in
    src/*/*) local d=${1#src/}; echo "${d%%/*}" ;;
    cli/*) echo cli ;;
    include/deepq/*) local b=${1##*/}; echo "${PUBLIC[${b%.h}]:-}" ;;
    *) echo "" ;;
  esac
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
files=$(ls src/*/*.c src/*/*.h src/*/*.cpp cli/*.c cli/*.h include/deepq/*.h 2>/dev/null)
for f in $files; do
  from=$(layer_of "$f")
  dir=$(dirname "$f")
  while IFS= read -r inc; do
    [[ -n $inc ]] || continue
    # resolve: deepq/X.h -> include/deepq/X.h; dir/X.h -> src/dir/X.h; X.h -> same folder
    case $inc in
      deepq/*) target=include/$inc ;;
      */*) target=src/$inc ;;
      *) target=$dir/$inc ;;
    esac
    if [[ ! -f $target ]]; then
      fail "$f includes \"$inc\", which is not a file of the tree ($target)"
      continue
    fi
    to=$(layer_of "$target")
    echo "$f $target" >>"$edges"
    if [[ $ALLOW == *" $f:$target "* ]]; then
      continue
    elif [[ $from == cli && $target == src/* ]]; then
      fail "$f includes library-internal $target (the CLI uses public headers only)"
    elif [[ $from != "$to" ]]; then
      if ((LEVEL[$to] >= LEVEL[$from])); then
        fail "$f ($from) includes $target ($to): only lower layers may be included"
      fi
    fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done

# Every function a public header declares is exported: marked DQ_API (deepq/common.h), as the
# library is compiled with hidden visibility.
unmarked=$(grep -nE '^[a-z][a-zA-Z0-9_ *]*[ *]dq_[a-z0-9_]+\(' include/deepq/*.h | grep -vE ':(static|typedef|DQ_API) ')
[[ -z $unmarked ]] || fail "public declarations without DQ_API: $(echo "$unmarked" | head -5 | tr '\n' ' ')"

# A public header declares only functions its own layer defines (config.h: src/rl, not src/io).
defs=$(grep -HoE '^[a-z][a-zA-Z0-9_ *]*[ *](dq_[a-z0-9_]+)\(' src/*/*.c src/*/*.cpp 2>/dev/null |
       sed -E 's#^src/([a-z]+)/[^:]*:.*[ *](dq_[a-z0-9_]+)\($#\2 \1#' | sort -u)
for h in include/deepq/*.h; do
  b=$(basename "$h" .h)
  want=${PUBLIC[$b]:-}
  for fn in $(grep -vE '^(static|typedef)' "$h" | grep -oE '^(DQ_API )?[a-z][a-zA-Z0-9_ *]*[ *](dq_[a-z0-9_]+)\(' |
              sed -E 's/.*[ *](dq_[a-z0-9_]+)\($/\1/'); do
    got=$(awk -v f="$fn" '$1 == f {print $2}' <<<"$defs" | sort -u | tr '\n' ' ')
    [[ -z $got ]] && continue # defined elsewhere (inline, generated) or not at all: the build says
    [[ " $got" == *" $want "* ]] || fail "$h ($want) declares $fn, defined in src/$got"
  done
done

# No include cycle: tsort reports any loop among the file-to-file edges.
if ! tsort "$edges" >/dev/null 2>"$edges.err"; then
  fail "include cycle: $(tr '\n' ' ' <"$edges.err")"
fi
rm -f "$edges.err"

if ((bad)); then exit 1; fi
echo "check_layers: $(wc -l <"$edges") includes follow core <- nn|env|io|ml <- rl <- viz <- cli, no cycle"
