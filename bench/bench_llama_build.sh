#!/usr/bin/env bash
# What building llama-cpp-python costs, as the README built it before and with the options it
# gives now: wall and CPU (user + sys, compilers included) of one uncached wheel build of the
# locked sdist per variant, one build at a time.
#
#   full:   CMAKE_ARGS="-DGGML_NATIVE=OFF"                          (the README's old options)
#   nomtmd: ... -DLLAVA_BUILD=OFF                                   (no multimodal library)
#   lean:   ... -DLLAVA_BUILD=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE=.ci/llama-cpp-lean.cmake
#           (no llama.cpp common library either: the README's options now)
#
# Usage: bash bench/bench_llama_build.sh [variant ...]   (default: all three; minutes each)
# Needs: python3 with pip, the project's .venv (its uv), a C++ compiler, PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
uv=$root/.venv/bin/uv
[ -x "$uv" ] || uv=/work/main/.venv/bin/uv
work=$(mktemp -d /tmp/llama-build-XXXX)
trap 'rm -rf "$work"' EXIT

# The sdist uv.lock names, fetched once and checked against the lock's hash.
version=$(python3 - <<'EOF'
import tomllib
lock = tomllib.load(open("uv.lock", "rb"))
(package,) = [p for p in lock["package"] if p["name"] == "llama-cpp-python"]
print(package["version"], package["sdist"]["hash"].removeprefix("sha256:"))
EOF
)
read -r version sha <<<"$version"
python3 -m pip download -q --no-deps --no-binary :all: "llama-cpp-python==$version" -d "$work/sdist" \
    2> >(grep -v "is ignored" >&2)
sdist=$(ls "$work"/sdist/*.tar.gz)
echo "$sha  $sdist" | sha256sum -c --quiet

declare -A ARGS=(
    [full]="-DGGML_NATIVE=OFF"
    [nomtmd]="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF"
    [lean]="-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE='$root/.ci/llama-cpp-lean.cmake'"
)
python=$(command -v python3.11 || command -v python3)
for variant in "${@:-full nomtmd lean}"; do
    for name in $variant; do
        out=$work/$name
        mkdir -p "$out"
        start_load=$(cut -d' ' -f1 /proc/loadavg)
        CMAKE_ARGS="${ARGS[$name]}" UV_NO_CACHE=1 UV_PYTHON_DOWNLOADS=never \
            /usr/bin/time -f "%e %U %S" -o "$out/time" \
            "$uv" build --wheel --python "$python" -o "$out/dist" "$sdist" >"$out/log" 2>&1 \
            || { tail -20 "$out/log"; exit 1; }
        read -r wall user sys <"$out/time"
        steps=$(grep -o '^\[[0-9]*/[0-9]*\]' "$out/log" | tail -1 || true)
        printf '%-7s wall %6.0f s  cpu %6.0f s (user %.0f + sys %.0f)  compile steps %s  ' \
            "$name" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$user" "$sys" "${steps:-?}"
        printf 'load avg %s -> %s  wheel %s\n' "$start_load" "$(cut -d' ' -f1 /proc/loadavg)" \
            "$(du -h "$out"/dist/*.whl | cut -f1)"
    done
done
