#!/usr/bin/env bash
# Benchmarks the MnistClassifier sample's teacher and student on this machine ("here", a local target)
# and over SSH ("edge": a throwaway OpenSSH server on 127.0.0.1 with keys and a known_hosts file made
# here, as the Category=Targets tests do), side by side; the figures in the README's "Benchmark on the
# target" come from it. Training is cut to 1 epoch and 1 repeat: the latencies depend on the models'
# shapes, not on how well they learned.
# Needs: the built host (dotnet build Compression.sln), openssh-server, python3.
# Usage: tools/targets/ssh-demo.sh [work folder]   (default: a new temp folder; kept, with report.md)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-$(mktemp -d /tmp/compression-ssh-demo.XXXXXX)}"
mkdir -p "$work/sshd" "$work/remote"
cd "$work/sshd"
rm -f host_key host_key.pub client_key client_key.pub
ssh-keygen -q -t ed25519 -N "" -C demo-host -f host_key
ssh-keygen -q -t ed25519 -N "" -C demo-client -f client_key
cp client_key.pub authorized_keys
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "[127.0.0.1]:$port $(cat host_key.pub)" > known_hosts
cat > sshd_config <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $work/sshd/host_key
AuthorizedKeysFile $work/sshd/authorized_keys
PidFile $work/sshd/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
CONFIG
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$work/sshd/sshd_config" -h "$work/sshd/host_key" 2> "$work/sshd/sshd.log" &
sshd_pid=$!
trap 'kill "$sshd_pid" 2>/dev/null || true' EXIT
sleep 1

sample="$repo/samples/MnistClassifier"
python3 - "$sample" "$work" "$port" <<'PY'
import json, sys
sample, work, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = json.load(open(f"{sample}/compression.json"))
for key in ("$schema", "baseline", "licensePolicy"):
    c.pop(key, None)
for split in ("train", "test"):
    for f in ("features", "labels"):
        c["data"][split][f] = f"{sample}/{c['data'][split][f]}"
c["teacher"]["training"]["epochs"] = 1
c["stages"] = [s for s in c["stages"] if s["stage"] != "benchmark"]
distill = next(s for s in c["stages"] if s["stage"] == "distill")["settings"]
distill.update({"epochs": 1, "repeats": 1, "compareWithScratch": False})
profile = {"batchSizes": [1, 64], "warmup": 20, "iterations": 200, "intraOpThreads": 1}
c["targets"] = [
    {"name": "here", "kind": "local", **profile},
    {"name": "edge", "kind": "ssh", "host": "127.0.0.1", "port": port, "identityFile": f"{work}/sshd/client_key",
     "knownHostsFile": f"{work}/sshd/known_hosts", "remoteDirectory": f"{work}/remote", **profile},
]
c["budgets"] = {"minAccuracyRetention": 0.5, "targets": {"edge": {"maxP95LatencyMs": 50, "minSpeedup": 0.5}}}
json.dump(c, open(f"{work}/compression.json", "w"), indent=2)
PY
dotnet "$repo/src/Compression.Host/bin/Debug/net10.0/compress.dll" run "$work/compression.json" --work-dir "$work/work"
echo "left in the remote folder: $(ls -A "$work/remote" | wc -l) entries; report: $work/work/report.md"
