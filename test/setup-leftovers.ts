/**
 * After each test file (its tests may run concurrently, so not after each test): no CLI
 * process it started outlives it.
 */
import { afterAll } from 'vitest';
import { killLeftoverClis } from './helpers/cli.js';

afterAll(killLeftoverClis);
