import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../src/records/env.js';

describe('withoutSecrets', () => {
  it('drops variables whose names look like credentials, whatever their case', () => {
    const env = {
      AWS_SECRET_ACCESS_KEY: 'a',
      GITHUB_TOKEN: 'b',
      DB_PASSWORD: 'c',
      api_key: 'd',
      MYSQL_PASSWD: 'e',
      PATH: '/usr/bin',
      RUN_DIR: '/runs/x',
      FLAG_lr: '0.1',
    };
    expect(withoutSecrets(env)).toEqual({ PATH: '/usr/bin', RUN_DIR: '/runs/x', FLAG_lr: '0.1' });
  });

  it('drops unset variables and keeps the order of the rest', () => {
    expect(Object.keys(withoutSecrets({ B: '1', UNSET: undefined, A: '2' }))).toEqual(['B', 'A']);
  });
});

describe('secret names', () => {
  it.each(['GITHUB_TOKEN', 'Api_Key', 'secret', 'SSH_KEYFILE', 'password'])('%s is dropped', (name) => {
    expect(withoutSecrets({ [name]: 'x' })).toEqual({});
  });

  it.each(['PATH', 'HOME', 'LANG', 'FLAG_epochs'])('%s is kept', (name) => {
    expect(withoutSecrets({ [name]: 'x' })).toEqual({ [name]: 'x' });
  });
});
