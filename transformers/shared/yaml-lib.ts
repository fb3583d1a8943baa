/**
 * The `yaml` library, loaded on first use. It is some seventy modules, and most commands
 * (`compare` over an index, `runs`, `diff`) never parse YAML: importing it statically made
 * each of them pay for loading it. Its Node build is CommonJS, so `require` loads the very
 * module an `import` would.
 */
import { createRequire } from 'node:module';

type YamlLib = typeof import('yaml');

const require = createRequire(import.meta.url);
let lib: YamlLib | undefined;

export function yamlLib(): YamlLib {
  lib ??= require('yaml') as YamlLib;
  return lib;
}
