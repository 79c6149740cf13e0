#!/usr/bin/env bash
# Builds the FaceToon Studio desktop bundle for Linux x86-64:
#   target/bundle/FaceToon/                 app-image (launcher bin/FaceToon, trimmed Java runtime)
#   target/bundle/facetoon_<version>_amd64.deb   Debian package, installs to /opt/facetoon
#
# Usage: scripts/build-bundle.sh [--skip-maven] [--app-image-only]
#   --skip-maven      use the jar and target/lib from an earlier `./mvnw -DskipTests package`
#   --app-image-only  stop after the app-image (no dpkg/fakeroot needed)
#
# Needs a JDK 17+ with jpackage and jmods, unzip, and for the .deb Debian's dpkg and fakeroot.
# The native libraries (libtorch, OpenCV, OpenBLAS, FFmpeg, JNA, JavaFX) are unpacked here, at build time,
# into the image, so the installed studio never unpacks them into the user's home folder.
set -euo pipefail

cd "$(dirname "$0")/.."
skip_maven=false
app_image_only=false
for arg in "$@"; do
    case "$arg" in
        --skip-maven) skip_maven=true ;;
        --app-image-only) app_image_only=true ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done

out=target/bundle
in=$out/input
lib=target/lib
platform=linux-x86_64
# The project's version: the first <version> at two spaces of indentation is the project's own.
version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }
need() { command -v "$1" >/dev/null || { echo "missing tool: $1 ($2)" >&2; exit 1; }; }
need jpackage "a JDK 17+"
need unzip "apt-get install unzip"

if ! $skip_maven; then
    step "maven package"
    ./mvnw -q -B -DskipTests package
fi
[ -f target/facetoon.jar ] && [ -d "$lib" ] || { echo "target/facetoon.jar or $lib missing: run without --skip-maven" >&2; exit 1; }

step "input folder"
rm -rf "$out"
mkdir -p "$in/lib" "$in/native/torch" "$in/native/opencv" "$in/native/jna" "$out/tmp"
cp target/facetoon.jar "$in/"

# unzip that accepts patterns matching nothing in one jar (exit status 11, reported only on failure).
unzip_some() {
    local rc=0
    unzip "$@" 2>"$out/tmp/unzip.err" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 11 ]; then
        cat "$out/tmp/unzip.err" >&2
        return "$rc"
    fi
}

jar_of() { # the single jar in target/lib matching a glob
    local matches=("$lib"/$1)
    [ ${#matches[@]} -eq 1 ] && [ -f "${matches[0]}" ] || { echo "expected one jar for $1, found: ${matches[*]}" >&2; exit 1; }
    echo "${matches[0]}"
}
torch_native=$(jar_of "pytorch-native-cpu-*-$platform.jar")
torch_jni=$(jar_of "pytorch-jni-*.jar")
jna=$(jar_of "jna-[0-9]*.jar")

# Plain jars go on the class path as they are; the natives-only jars are handled below.
for j in "$lib"/*.jar; do
    case "$(basename "$j")" in
        pytorch-native-*|opencv-*-"$platform".jar|openblas-*-"$platform".jar|javacpp-*-"$platform".jar|ffmpeg-*-"$platform".jar) ;;
        *) cp "$j" "$in/lib/" ;;
    esac
done

# JavaFX: its natives next to its jars, where JavaFX looks before unpacking to ~/.openjfx/cache.
for j in "$lib"/javafx-*-linux.jar; do
    unzip_some -qq -o -j "$j" '*.so' -d "$in/lib/"
done

# PyTorch: libtorch unpacked (symbol tables stripped: -90 MB, dynamic symbols kept) plus the JNI
# library under DJL's cache layout, for the CPU build and for a CUDA 12.8 libtorch the user brings.
unzip -q -o -j "$torch_native" "pytorch/cpu/$platform/*" -d "$in/native/torch/"
if command -v strip >/dev/null; then
    strip --strip-unneeded "$in"/native/torch/*.so*
fi
jni_version=$(unzip -p "$torch_jni" jnilib/pytorch.properties | sed -n 's/^jni_version=//p')
pt_version=${jni_version%%-*}
djl_version=${jni_version#*-}
for flavor in cpu cu128; do
    dir="$in/native/djl/pytorch/$pt_version-$flavor-$platform"
    mkdir -p "$dir"
    unzip -q -p "$torch_jni" "jnilib/$platform/$flavor/libdjl_torch.so" > "$dir/$djl_version-libdjl_torch.so"
done

# OpenCV, OpenBLAS, JavaCPP, FFmpeg: every library in one flat folder (java.library.path), minus the Python
# bindings, OpenBLAS's own Java bindings and FFmpeg's device library (screen and sound capture, which needs
# PulseAudio), which the app never loads; FFmpeg's command-line programs are left out too.
for j in "$(jar_of "opencv-*-$platform.jar")" "$(jar_of "openblas-*-$platform.jar")" "$(jar_of "javacpp-*-$platform.jar")" \
         "$(jar_of "ffmpeg-*-$platform.jar")"; do
    unzip_some -qq -o -j "$j" '*.so' '*.so.*' -d "$in/native/opencv/" \
        -x '*cpython*' '*python3*' '*/libjniopenblas*' '*/libavdevice*' '*/libjniavdevice*'
done
# The OpenCV jar also carries Haar cascades and licence texts, read from the class path: keep those
# (and only those) in a jar of the same name.
opencv_natives=$(jar_of "opencv-*-$platform.jar")
mkdir -p "$out/tmp/opencv-share"
unzip -q -o "$opencv_natives" "org/bytedeco/opencv/$platform/share/*" -d "$out/tmp/opencv-share"
jar --create --file "$in/lib/$(basename "$opencv_natives")" -C "$out/tmp/opencv-share" .

# JNA's dispatch library, loaded through jna.boot.library.path.
unzip -q -o -j "$jna" 'com/sun/jna/linux-x86-64/libjnidispatch.so' -d "$in/native/jna/"

for d in "$in" "$in"/lib "$in"/native/*; do du -sh "$d"; done | sed 's/^/  /'

step "app-image (jlink + jpackage)"
jpackage @jpackage.cfg --type app-image --input "$in" --dest "$out" --app-version "$version"
du -sh "$out/FaceToon" | sed 's/^/  /'

if $app_image_only; then
    rm -rf "$out/tmp"
    step "done"
    exit 0
fi

step "deb"
need dpkg "Debian: apt-get install dpkg"
need fakeroot "Debian: apt-get install fakeroot"
# The package's name, description, vendor and copyright come from jpackage.cfg; launcher and runtime
# options there are not allowed together with --app-image, so only these lines are passed on.
grep -E '^--(name|vendor|description|copyright|icon) ' jpackage.cfg > "$out/tmp/identity.cfg"
jpackage @"$out/tmp/identity.cfg" @src/packaging/linux/deb.cfg --type deb --app-image "$out/FaceToon" \
    --dest "$out" --app-version "$version"
rm -rf "$out/tmp"
ls -la "$out"/*.deb | sed 's/^/  /'
step "done"
