import { IDLE_LOG_PATH } from '../logs/log-sources.js';
import { WORKSPACE_HOME } from './layer.js';

export const IDLE_AGENT_PATH = '/usr/local/lib/porthole/idle-agent';
export const IDLE_CONFIG_PATH = '/etc/porthole/idle.conf';
export const IDLE_WARNING_PATH = '/var/lib/porthole/idle-warning';
/** code-server touches it on use, at most once a minute, and every minute while a window is open. */
export const HEARTBEAT_PATH = `${WORKSPACE_HOME}/.local/share/code-server/heartbeat`;
export const DEFAULT_WARNING_LEAD_MINUTES = 5;

/**
 * The idle agent, run every minute by porthole-idle.timer: the shell form
 * of decideIdleAction (idle-decision.ts), which it must agree with. Its
 * inputs can be pointed elsewhere (NOW, HEARTBEAT_FILE, IDLE_CONFIG,
 * IDLE_WARNING_FILE, SSH_PORT, POWEROFF_CMD) so it can be run against real
 * files with a chosen clock.
 */
export const IDLE_AGENT_SCRIPT = `#!/bin/bash
# Porthole idle agent: warns, then powers the workspace off, once code-server
# has seen no use and no SSH connection is open for the configured time.
set -euo pipefail

config=\${IDLE_CONFIG:-${IDLE_CONFIG_PATH}}
heartbeat=\${HEARTBEAT_FILE:-${HEARTBEAT_PATH}}
marker=\${IDLE_WARNING_FILE:-${IDLE_WARNING_PATH}}
ssh_port=\${SSH_PORT:-22}
poweroff_cmd=\${POWEROFF_CMD:-systemctl poweroff}
now=\${NOW:-$(date +%s)}

timeout_minutes=0
warning_lead_minutes=${DEFAULT_WARNING_LEAD_MINUTES}
if [[ -r $config ]]; then
  while IFS='=' read -r key value; do
    case $key in
      timeout_minutes) timeout_minutes=$value ;;
      warning_lead_minutes) warning_lead_minutes=$value ;;
    esac
  done <"$config"
fi
[[ $timeout_minutes =~ ^[0-9]+$ ]] || timeout_minutes=0
[[ $warning_lead_minutes =~ ^[0-9]+$ ]] || warning_lead_minutes=${DEFAULT_WARNING_LEAD_MINUTES}

# Idle since the later of the last heartbeat and boot: a heartbeat left from
# before a restart says nothing about now.
last=$(awk '$1 == "btime" { print $2 }' /proc/stat)
if [[ -e $heartbeat ]]; then
  beat=$(stat -c %Y "$heartbeat")
  if ((beat > last)); then last=$beat; fi
fi
sessions=$(ss -Htn state established "( sport = :$ssh_port )" | wc -l)
warned_at=''
if [[ -r $marker ]]; then
  warned_at=$(awk '$1 == "warned-at" { print $2 }' "$marker")
fi

# Lines start with the time, as in the launch log, so "porthole logs --since" can place them.
say() {
  printf '%s idle-agent: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"
}

write_warning() {
  printf 'stop-at %s\\nwarned-at %s\\n' "$1" "$2" >"$marker.tmp"
  mv -f "$marker.tmp" "$marker"
}

if ((timeout_minutes == 0 || sessions > 0)); then
  rm -f "$marker"
  exit 0
fi
stop_at=$((last + timeout_minutes * 60))
lead=$((warning_lead_minutes < timeout_minutes ? warning_lead_minutes : timeout_minutes))
if ((now < stop_at - lead * 60)); then
  rm -f "$marker"
  exit 0
fi
if [[ -z $warned_at ]]; then
  planned=$((stop_at > now + 60 ? stop_at : now + 60))
  write_warning "$planned" "$now"
  say "idle since $last: stopping at $planned unless the workspace is used"
  exit 0
fi
deadline=$((stop_at > warned_at + 60 ? stop_at : warned_at + 60))
if ((now < deadline)); then
  write_warning "$deadline" "$warned_at"
  exit 0
fi
say "idle since $last and warned at $warned_at: powering off"
read -ra command <<<"$poweroff_cmd"
"\${command[@]}"
`;

export const IDLE_SERVICE_UNIT = `[Unit]
Description=Porthole idle agent: stop the workspace when unused

[Service]
Type=oneshot
ExecStart=${IDLE_AGENT_PATH}
StandardOutput=append:${IDLE_LOG_PATH}
StandardError=inherit
`;

export const IDLE_TIMER_UNIT = `[Unit]
Description=Run the Porthole idle agent every minute

[Timer]
OnBootSec=1min
OnUnitActiveSec=1min
AccuracySec=10s

[Install]
WantedBy=timers.target
`;

export function idleConfig(timeoutMinutes: number, warningLeadMinutes = DEFAULT_WARNING_LEAD_MINUTES): string {
  return `timeout_minutes=${timeoutMinutes}\nwarning_lead_minutes=${warningLeadMinutes}\n`;
}
