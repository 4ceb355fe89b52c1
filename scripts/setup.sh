#!/usr/bin/env bash
# Installs, through Debian's apt, every system package igbench needs to build, test, run and
# plot. Idempotent: does nothing when all are present.
#   scripts/setup.sh            compiler, CMake, libraries, MPI, HDF5, Python analysis stack
#   scripts/setup.sh --slurm    also a local SLURM (slurmctld, slurmd, munge) for the job tests
# Without root and without password-less sudo it prints the apt-get line (and the environment
# modules a cluster user would load instead) and exits 2.
set -euo pipefail

packages=(
  build-essential cmake git pkg-config time
  libeigen3-dev libopenmpi-dev openmpi-bin libhdf5-dev hdf5-tools
  libboost-program-options-dev libgtest-dev libgmock-dev libbenchmark-dev librandom123-dev nlohmann-json3-dev
  python3 python3-numpy python3-h5py python3-matplotlib python3-pytest
  pybind11-dev python3-dev python3-pandas python3-hypothesis jupyter-nbconvert python3-ipykernel python3-sklearn
  clang libfuzzer-14-dev libclang-rt-14-dev libomp-14-dev ccache
)
for arg in "$@"; do
  case "$arg" in
    --slurm) packages+=(slurmctld slurmd slurm-client munge) ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (use --slurm or --help)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

apt_line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  runner=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  runner=(sudo -n)
else
  cat >&2 <<MSG
setup.sh: missing packages and no root: ${missing[*]}
Install them as root with:
  $apt_line
On a cluster, load the equivalent environment modules instead, for example:
  module load gcc cmake openmpi hdf5 boost eigen googletest python
MSG
  exit 2
fi
echo "setup.sh: installing ${missing[*]}" >&2
"${runner[@]}" apt-get update -qq
"${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
