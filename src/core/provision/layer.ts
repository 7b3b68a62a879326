/**
 * A layer: one small, typed piece of a workspace's environment. Layers
 * extend others, in order; composing them gives the launch script. The
 * shape here and the schema in layer-schema.ts describe the same file.
 */
export interface Layer {
  name: string;
  description: string;
  /** Layers this one stands on, applied before it, in this order. */
  extends?: string[];
  /** Debian/Ubuntu packages, installed with apt-get. */
  apt?: string[];
  /** Named shell steps; each must be safe to run again. */
  steps?: LayerStep[];
  files?: LayerFile[];
  /** Environment variables for code-server and login shells. */
  env?: Record<string, string>;
  codeServer?: {
    /** Open VSX ids, `publisher.name`. */
    extensions?: string[];
    /** Merged into the workspace user's settings.json. */
    settings?: Record<string, unknown>;
  };
  dotfiles?: {
    /** A git URL cloned into ~/.dotfiles. */
    repo: string;
    /** Run in the clone as the workspace user, e.g. `./install.sh`. */
    install?: string;
  };
  /** The idle stop this layer suggests when the workspace sets none. */
  idleTimeoutMinutes?: number;
  /** TCP ports the workspace's programs serve: forwarded here as soon as they listen, whatever the auto-forward range. */
  ports?: number[];
}

export interface LayerStep {
  name: string;
  run: string;
}

export interface LayerFile {
  path: string;
  content: string;
  /** Octal permissions, e.g. "0644". */
  mode?: string;
  /** `user:group`, e.g. "porthole:porthole". */
  owner?: string;
}

/** Where a layer was found, in override order: a later source replaces an earlier one of the same name. */
export type LayerSourceKind = 'built-in' | 'user' | 'project';

export interface LayerSource {
  kind: LayerSourceKind;
  /** The file it was read from; built-in layers have none. */
  file?: string;
}

export interface CatalogEntry {
  layer: Layer;
  source: LayerSource;
  /** Sources of the same name this one replaced, earliest first. */
  overrides: LayerSource[];
}

/** The workspace user code-server runs as and whose home holds the work. */
export const WORKSPACE_USER = 'porthole';
export const WORKSPACE_HOME = '/home/porthole';

/** Layer files may write only below these folders. */
export const ALLOWED_FILE_ROOTS = ['/home/porthole', '/etc/porthole', '/opt', '/usr/local'] as const;
