import { describe, expect, it } from 'vitest';
import { maskUrlCredentials, withoutSecrets } from '../../src/records/env.js';

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

  it.each([
    'PGPASSWORD',
    'REDIS_PASS',
    'MYSQL_PWD',
    'DB_PWD',
    'BASIC_AUTH',
    'HTTP_AUTHORIZATION',
    'XAUTHORITY',
    'AZURE_CREDENTIALS',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'SENTRY_DSN',
    'SESSION_COOKIE',
    'JUPYTER_SESSION',
    'SSH_PRIVATE',
  ])('%s is dropped (issue 15: PASS, PWD, AUTH, CRED, DSN, COOKIE, SESSION, PRIVATE)', (name) => {
    expect(withoutSecrets({ [name]: 'x' })).toEqual({});
  });

  it.each(['PWD', 'OLDPWD', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'AUTHORS'])(
    '%s is kept: a working directory or an author, no credential',
    (name) => {
      expect(withoutSecrets({ [name]: 'x' })).toEqual({ [name]: 'x' });
    },
  );
});

describe('URL credentials in values', () => {
  it.each([
    ['postgres://u:pw@host:5432/db', 'postgres://u:***@host:5432/db'],
    ['DATABASE=mysql://root:p@ss@db/x?ssl=1', 'DATABASE=mysql://root:***@db/x?ssl=1'],
    ['https://ghp_abc123@github.com/o/r.git', 'https://***@github.com/o/r.git'],
    ['a=redis://:pw@h:6379/0,b=amqp://guest:guest@mq/', 'a=redis://:***@h:6379/0,b=amqp://guest:***@mq/'],
    ['https://example.com/path?x=1', 'https://example.com/path?x=1'],
    ['user@example.com', 'user@example.com'],
    ['/home/u/data', '/home/u/data'],
  ])('%s is recorded as %s', (value, recorded) => {
    expect(maskUrlCredentials(value)).toBe(recorded);
  });

  it('masks them in every kept variable', () => {
    expect(
      withoutSecrets({ DATABASE_URL: 'postgres://u:pw@host/db', MLFLOW_TRACKING_URI: 'http://a:b@mlflow:5000' }),
    ).toEqual({ DATABASE_URL: 'postgres://u:***@host/db', MLFLOW_TRACKING_URI: 'http://a:***@mlflow:5000' });
  });
});
