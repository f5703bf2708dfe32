/** Thrown when `${VAR}` has no value and no default; names the key and the file. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*?))?\}/g;

/**
 * Fills `${VAR}` and `${VAR:-default}` in every string of a parsed YAML tree. `${VAR:-x}` takes x
 * when VAR is unset or empty (as in POSIX shells). Unresolved placeholders are collected and
 * reported together with their key paths.
 */
export function substitutePlaceholders(tree: unknown, env: Record<string, string>, file: string): unknown {
  const missing: string[] = [];
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        if (value === '') return '';
        missing.push(`${path} (\${${name}})`);
        return '';
      });
    }
    if (Array.isArray(node)) return node.map((v, i) => walk(v, `${path}[${i}]`));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)]));
    }
    return node;
  };
  const out = walk(tree, '');
  if (missing.length > 0) {
    throw new ConfigError(`${file}: unresolved placeholder${missing.length > 1 ? 's' : ''} at ${missing.join(', ')}; set the variable in the environment or .env`);
  }
  return out;
}
