/**
 * Everything the launch script downloads from outside the distribution, with
 * what it is checked against. A version and its digest change together.
 */

/** The release .deb bundles its own Node, so nothing else on the instance has to match it. */
export const CODE_SERVER_RELEASE = {
  version: '4.100.3',
  /** SHA-256 of code-server_<version>_amd64.deb as published on the GitHub release. */
  sha256: '0000000000000000000000000000000000000000000000000000000000000000',
} as const;

export function codeServerDebUrl(version: string = CODE_SERVER_RELEASE.version): string {
  return `https://github.com/coder/code-server/releases/download/v${version}/code-server_${version}_amd64.deb`;
}

/** AWS CLI v2 for the aws layer: the x86_64 Linux installer of exactly this version, by its SHA-256. */
export const AWS_CLI_RELEASE = {
  version: '2.36.11',
  sha256: '50fbb7a2f44a78eab4a210088040e8f0bc4b9937cac8043c2354269d58614df6',
} as const;

export function awsCliZipUrl(version: string = AWS_CLI_RELEASE.version): string {
  return `https://awscli.amazonaws.com/awscli-exe-linux-x86_64-${version}.zip`;
}

/** Node.js LTS line for the developer layer; the tarball is checked against nodejs.org's SHASUMS256.txt. */
export const NODE_LTS_MAJOR = 22;

/** kubectl, checked against the .sha256 published next to the binary on dl.k8s.io. */
export const KUBECTL_VERSION = 'v1.32.0';

/** Signing keys of the apt repositories and release files, by full fingerprint. */
export const SIGNING_KEYS = {
  docker: '9DC858229FC7DD38854AE2D88D81803C0EBFCD88',
  hashicorp: '798AEC654E5C15428C8E42EEAA16FCBCA621E701',
} as const;
