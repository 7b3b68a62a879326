import { WORKSPACE_HOME, WORKSPACE_USER } from './layer.js';
import { shellQuote } from './shell-quote.js';

export const STATE_DIR = '/var/lib/porthole';
export const PROGRESS_FILE = `${STATE_DIR}/progress`;

/** A launch id names one launch of an instance; the engine makes a fresh one for every create and resume. */
export const LAUNCH_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The launch script's shared part: state, logging, progress markers, the
 * step runner, and the helpers steps may use (apt_install, fetch_verified,
 * require_fingerprint, trusted_apt_key, as_user). `stateDir` is only moved
 * when the step runner itself is exercised away from an instance.
 */
export function scriptPrelude(totalSteps: number, stateDir: string = STATE_DIR, launchId?: string): string {
  if (launchId !== undefined && !LAUNCH_ID_PATTERN.test(launchId)) throw new Error(`launch id "${launchId}" is not letters, digits and dashes`);
  // A disk from a snapshot or an image still holds the markers of the launch that made it; each line names its launch, so those never read as this one's.
  const marker = launchId === undefined ? '' : `launch ${launchId} `;
  return `set -euo pipefail
shopt -s inherit_errexit
umask 022
export HOME=\${HOME:-/root}

readonly state_dir=${shellQuote(stateDir)}
readonly progress_file="$state_dir/progress"
readonly log_file="$state_dir/launch.log"
readonly total_steps=${totalSteps}
install -d -m 0755 "$state_dir" "$state_dir/steps"
current_step=''
apt_updated=0

log() {
  printf '%s porthole: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" | tee -a "$log_file" >&2
}

# One line per update, "[launch <id> ]step <i> of <n> <name> <running|ok|failed>"; the last line is the state.
progress() {
  printf '${marker}step %s of %s %s %s\\n' "$1" "$total_steps" "$2" "$3" >>"$progress_file"
}

on_exit() {
  local status=$?
  if ((status != 0)) && [[ -n $current_step ]]; then
    progress "\${current_step%% *}" "\${current_step#* }" failed
    log "step \${current_step#* } failed with exit status $status"
  fi
}
trap on_exit EXIT

# run_step INDEX NAME DIGEST FUNCTION: a step with a digest runs once per content.
run_step() {
  local index=$1 name=$2 digest=$3 body=$4
  current_step="$index $name"
  if [[ -n $digest && -e "$state_dir/steps/$digest.done" ]]; then
    log "step $index of $total_steps: $name: already done"
    progress "$index" "$name" ok
    current_step=''
    return 0
  fi
  progress "$index" "$name" running
  log "step $index of $total_steps: $name"
  "$body"
  if [[ -n $digest ]]; then
    : >"$state_dir/steps/$digest.done"
  fi
  progress "$index" "$name" ok
  current_step=''
}

apt_install() {
  if ((apt_updated == 0)); then
    apt-get -o DPkg::Lock::Timeout=600 -q update
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends "$@"
}

# fetch_verified URL SHA256 DEST: DEST appears only when the download has exactly that digest.
fetch_verified() {
  local url=$1 expected=$2 dest=$3 actual
  curl -fsSL --retry 5 --retry-connrefused -o "$dest.part" "$url"
  actual=$(sha256sum "$dest.part")
  actual=\${actual%% *}
  if [[ $actual != "$expected" ]]; then
    rm -f "$dest.part"
    log "refusing $url: its SHA-256 is $actual, expected $expected"
    return 1
  fi
  mv -f "$dest.part" "$dest"
}

# require_fingerprint KEYFILE FINGERPRINT: the file holds that one primary key and no other.
require_fingerprint() {
  local found
  found=$(gpg --batch --show-keys --with-colons "$1" | awk -F: '$1 == "pub" { primary = 1; next } $1 == "fpr" && primary { print $10; primary = 0 }')
  if [[ $found != "$2" ]]; then
    log "refusing the key in $1: fingerprint $found, expected $2"
    return 1
  fi
}

# trusted_apt_key NAME URL FINGERPRINT: /etc/apt/keyrings/NAME.asc, for a signed-by= source.
trusted_apt_key() {
  local key
  key=$(mktemp)
  curl -fsSL --retry 5 -o "$key" "$2"
  require_fingerprint "$key" "$3"
  install -D -m 0644 "$key" "/etc/apt/keyrings/$1.asc"
  rm -f "$key"
  apt_updated=0
}

# as_user COMMAND...: run as the workspace user with a clean environment.
as_user() {
  (cd ${WORKSPACE_HOME} && runuser -u ${WORKSPACE_USER} -- env -i HOME=${WORKSPACE_HOME} USER=${WORKSPACE_USER} LOGNAME=${WORKSPACE_USER} PATH=/usr/local/bin:/usr/bin:/bin "$@")
}
`;
}
