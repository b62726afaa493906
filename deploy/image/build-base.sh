#!/usr/bin/env bash
# A Java 17 base image for the node's Jib build, made from Debian's packages only (no registry):
# debootstrap a minimal bookworm with openjdk-17-jre-headless, trim it, and write it in the
# format of `docker save`, which Jib takes as `tar://` base.
#
#   deploy/image/build-base.sh [OUT.tar]      # default target/chat-jre-base.tar; needs root and debootstrap
#   CHAT_BASE_ROOTFS=DIR deploy/image/build-base.sh   # reuse (or keep) the unpacked tree in DIR
#
# Then: mvn -pl node -am -Pimage package -DskipTests   (see node/pom.xml, profile image)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/target/chat-jre-base.tar}
rootfs=${CHAT_BASE_ROOTFS:-$(mktemp -d)}
mirror=${CHAT_DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ ! -x "$rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ]; then
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$rootfs" "$mirror"
fi
# what a JVM in a container never reads
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/* "$rootfs"/tmp/*

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# numeric owners and a fixed mtime: the same tree gives the same layer
tar -C "$rootfs" --numeric-owner --sort=name --mtime='2020-01-01 00:00Z' -cf "$work/layer.tar" .
diff_id=sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"2020-01-01T00:00:00Z","created_by":"deploy/image/build-base.sh: debian bookworm minbase + openjdk-17-jre-headless"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["chat-jre-base:17"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "$out: $(du -h "$out" | cut -f1)"
