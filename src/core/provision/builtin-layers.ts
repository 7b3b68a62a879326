import { CODE_SERVER_SERVICE_UNIT, CODE_SERVER_UNIT } from './code-server-config.js';
import { IDLE_AGENT_PATH, IDLE_AGENT_SCRIPT, IDLE_SERVICE_UNIT, IDLE_TIMER_UNIT } from './idle-agent.js';
import { WORKSPACE_HOME, WORKSPACE_USER, type Layer } from './layer.js';
import { AWS_CLI_RELEASE, awsCliZipUrl, CODE_SERVER_RELEASE, codeServerDebUrl, KUBECTL_VERSION, NODE_LTS_MAJOR, SIGNING_KEYS } from './release-pins.js';
import { heredoc } from './shell-quote.js';

/*
 * The layers shipped with the app. Steps run as root under `set -euo
 * pipefail` and may use the launch script's helpers: log, apt_install,
 * fetch_verified URL SHA256 DEST, trusted_apt_key NAME URL FINGERPRINT.
 * Each checks whether its work is already done, so a re-run is cheap.
 */

const base: Layer = {
  name: 'base',
  description: 'The workspace user, code-server, git, unattended security upgrades and the idle agent.',
  apt: ['ca-certificates', 'curl', 'git', 'gnupg', 'iproute2', 'openssl', 'unattended-upgrades'],
  steps: [
    {
      name: 'create the workspace user',
      run: [
        `if ! id -u ${WORKSPACE_USER} >/dev/null 2>&1; then`,
        `  useradd --create-home --shell /bin/bash ${WORKSPACE_USER}`,
        'fi',
        `install -d -o ${WORKSPACE_USER} -g ${WORKSPACE_USER} -m 0755 ${WORKSPACE_HOME}/workspace ${WORKSPACE_HOME}/.local ${WORKSPACE_HOME}/.local/share ${WORKSPACE_HOME}/.local/share/code-server`,
      ].join('\n'),
    },
    {
      name: 'install code-server',
      run: [
        `if [[ "$(dpkg-query -W -f='\${Version}' code-server 2>/dev/null || true)" != '${CODE_SERVER_RELEASE.version}' ]]; then`,
        '  deb=$(mktemp --suffix=.deb)',
        `  fetch_verified '${codeServerDebUrl()}' '${CODE_SERVER_RELEASE.sha256}' "$deb"`,
        '  apt_install "$deb"',
        '  rm -f "$deb"',
        'fi',
      ].join('\n'),
    },
    {
      name: 'add the code-server service',
      run: [heredoc(`cat >/etc/systemd/system/${CODE_SERVER_UNIT}`, CODE_SERVER_SERVICE_UNIT), 'systemctl daemon-reload'].join('\n'),
    },
    {
      name: 'turn on unattended security upgrades',
      run: [
        heredoc('cat >/etc/apt/apt.conf.d/20auto-upgrades', 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n'),
        'systemctl enable unattended-upgrades.service',
      ].join('\n'),
    },
    {
      name: 'install the idle agent',
      run: [
        'install -d -m 0755 /usr/local/lib/porthole',
        heredoc(`cat >${IDLE_AGENT_PATH}`, IDLE_AGENT_SCRIPT),
        `chmod 0755 ${IDLE_AGENT_PATH}`,
        heredoc('cat >/etc/systemd/system/porthole-idle.service', IDLE_SERVICE_UNIT),
        heredoc('cat >/etc/systemd/system/porthole-idle.timer', IDLE_TIMER_UNIT),
        'systemctl daemon-reload',
      ].join('\n'),
    },
  ],
  codeServer: {
    settings: {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
    },
  },
  idleTimeoutMinutes: 60,
};

/*
 * AWS CLI v2 for IAM Identity Center sign-in on the box. The profiles the
 * workspace signs in with are per workspace (`create --aws-profile`), so the
 * launch script writes ~/.aws/config after the layers; this layer only
 * brings the CLI.
 */
const aws: Layer = {
  name: 'aws',
  description: `AWS CLI ${AWS_CLI_RELEASE.version}, checked by SHA-256, for signing in to IAM Identity Center on the workspace.`,
  extends: ['base'],
  apt: ['unzip', 'groff-base', 'less'],
  steps: [
    {
      name: `install AWS CLI ${AWS_CLI_RELEASE.version}`,
      run: [
        `if [[ "$(aws --version 2>/dev/null || true)" != 'aws-cli/${AWS_CLI_RELEASE.version} '* ]]; then`,
        '  work=$(mktemp -d)',
        `  fetch_verified '${awsCliZipUrl()}' '${AWS_CLI_RELEASE.sha256}' "$work/awscli.zip"`,
        '  unzip -q "$work/awscli.zip" -d "$work"',
        '  "$work/aws/install" --update',
        '  rm -rf "$work"',
        'fi',
      ].join('\n'),
    },
  ],
};

const developer: Layer = {
  name: 'developer',
  description: 'Compilers and build tools, Node.js LTS, Python 3 with venv and pip.',
  extends: ['base'],
  apt: ['build-essential', 'pkg-config', 'python3', 'python3-venv', 'python3-pip', 'unzip', 'xz-utils'],
  steps: [
    {
      name: `install Node.js ${NODE_LTS_MAJOR} LTS`,
      run: [
        `if [[ "$(node --version 2>/dev/null || true)" != v${NODE_LTS_MAJOR}.* ]]; then`,
        `  dist='https://nodejs.org/dist/latest-v${NODE_LTS_MAJOR}.x'`,
        '  sums=$(curl -fsSL --retry 5 "$dist/SHASUMS256.txt")',
        `  line=$(grep -E '  node-v${NODE_LTS_MAJOR}\\.[0-9]+\\.[0-9]+-linux-x64\\.tar\\.xz$' <<<"$sums")`,
        "  tarball=$(mktemp --suffix=.tar.xz)",
        '  fetch_verified "$dist/${line##* }" "${line%% *}" "$tarball"',
        '  tar -xJf "$tarball" -C /usr/local --strip-components=1 --exclude=CHANGELOG.md --exclude=LICENSE --exclude=README.md',
        '  rm -f "$tarball"',
        'fi',
      ].join('\n'),
    },
  ],
  codeServer: {
    extensions: ['ms-python.python', 'dbaeumer.vscode-eslint', 'esbenp.prettier-vscode', 'EditorConfig.EditorConfig'],
  },
};

const devops: Layer = {
  name: 'devops',
  description: 'Terraform, the AWS CLI, kubectl and Docker, from their publishers with signature or SHA-256 checks.',
  extends: ['developer', 'aws'],
  apt: ['gnupg'],
  steps: [
    {
      name: 'add the Docker and HashiCorp apt repositories',
      run: [
        '# shellcheck source=/dev/null',
        '. /etc/os-release',
        `trusted_apt_key docker "https://download.docker.com/linux/$ID/gpg" ${SIGNING_KEYS.docker}`,
        `trusted_apt_key hashicorp https://apt.releases.hashicorp.com/gpg ${SIGNING_KEYS.hashicorp}`,
        'echo "deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/$ID $VERSION_CODENAME stable" >/etc/apt/sources.list.d/docker.list',
        'echo "deb [arch=amd64 signed-by=/etc/apt/keyrings/hashicorp.asc] https://apt.releases.hashicorp.com $VERSION_CODENAME main" >/etc/apt/sources.list.d/hashicorp.list',
      ].join('\n'),
    },
    {
      name: 'install Docker and Terraform',
      run: [
        'apt_install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin terraform',
        `usermod -aG docker ${WORKSPACE_USER}`,
        'systemctl enable --now docker.service',
      ].join('\n'),
    },
    {
      name: `install kubectl ${KUBECTL_VERSION}`,
      run: [
        `if [[ "$(kubectl version --client 2>/dev/null || true)" != *'${KUBECTL_VERSION}'* ]]; then`,
        `  url='https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl'`,
        '  sha=$(curl -fsSL --retry 5 "$url.sha256")',
        '  fetch_verified "$url" "$sha" /usr/local/bin/kubectl',
        '  chmod 0755 /usr/local/bin/kubectl',
        'fi',
      ].join('\n'),
    },
  ],
  codeServer: {
    extensions: ['hashicorp.terraform', 'ms-azuretools.vscode-docker', 'redhat.vscode-yaml', 'ms-kubernetes-tools.vscode-kubernetes-tools'],
  },
};

const admin: Layer = {
  name: 'admin',
  description: 'Everything in devops plus the tools for looking after machines: htop, tmux, jq, ncdu, strace and more.',
  extends: ['devops'],
  apt: ['htop', 'tmux', 'jq', 'ncdu', 'tree', 'rsync', 'lsof', 'strace', 'dnsutils', 'mtr-tiny'],
  files: [
    {
      path: `${WORKSPACE_HOME}/.tmux.conf`,
      content: 'set -g mouse on\nset -g history-limit 50000\nset -g default-terminal "tmux-256color"\n',
      mode: '0644',
      owner: `${WORKSPACE_USER}:${WORKSPACE_USER}`,
    },
  ],
};

/** The built-in layers, base first. */
export const BUILTIN_LAYERS: readonly Layer[] = [base, aws, developer, devops, admin];
