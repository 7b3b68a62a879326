import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ServiceModel, loadLightsailModel } from './lightsail-model.js';
import { ModelValidator } from './model-validator.js';

/** A service of one operation, with a shape for each rule the validator enforces. */
const MODEL: ServiceModel = {
  metadata: { apiVersion: '2016-11-28', targetPrefix: 'Lightsail_20161128', protocol: 'json' },
  operations: {
    GetThing: {
      name: 'GetThing',
      input: { shape: 'GetThingRequest' },
      output: { shape: 'GetThingResult' },
      errors: [{ shape: 'NotFoundException' }, { shape: 'ServiceException' }],
    },
  },
  shapes: {
    GetThingRequest: {
      type: 'structure',
      required: ['thingName'],
      members: { thingName: { shape: 'ResourceName' }, period: { shape: 'MetricPeriod' }, colour: { shape: 'Colour' } },
    },
    GetThingResult: { type: 'structure', members: { thing: { shape: 'Thing' }, nextPageToken: { shape: 'string' } } },
    Thing: {
      type: 'structure',
      required: ['name', 'createdAt'],
      members: {
        name: { shape: 'ResourceName' },
        createdAt: { shape: 'IsoDate' },
        colour: { shape: 'Colour' },
        sizes: { shape: 'SizeList' },
        labels: { shape: 'LabelMap' },
        isShiny: { shape: 'boolean' },
      },
    },
    ResourceName: { type: 'string', pattern: '\\w[\\w\\-]*\\w', max: 20 },
    MetricPeriod: { type: 'integer', min: 60, max: 86400 },
    Colour: { type: 'string', enum: ['red', 'green'] },
    IsoDate: { type: 'timestamp' },
    SizeList: { type: 'list', member: { shape: 'integer' } },
    LabelMap: { type: 'map', key: { shape: 'string' }, value: { shape: 'Colour' } },
    string: { type: 'string' },
    integer: { type: 'integer' },
    boolean: { type: 'boolean' },
    NotFoundException: {
      type: 'structure',
      exception: true,
      members: { code: { shape: 'string' }, docs: { shape: 'string' }, message: { shape: 'string' }, tip: { shape: 'string' } },
    },
    ServiceException: {
      type: 'structure',
      exception: true,
      fault: true,
      members: { code: { shape: 'string' }, docs: { shape: 'string' }, message: { shape: 'string' }, tip: { shape: 'string' } },
    },
  },
};

const thing = { name: 'box-1', createdAt: 1_764_800_000, colour: 'red', sizes: [1, 2], labels: { a: 'green' }, isShiny: true };
const lightsailError = { code: 'DoesNotExist', docs: 'https://docs.aws.amazon.com/lightsail/', message: 'The Thing does not exist: box-1', tip: 'Check the name.' };

const paths = (violations: { path: string }[]) => violations.map((v) => v.path);

describe('ModelValidator', () => {
  it('passes an answer that follows the model, and counts what it checked', () => {
    const validator = new ModelValidator(MODEL);
    expect(validator.output('GetThing', { thing, nextPageToken: 'abc' })).toEqual([]);
    expect(validator.checks).toBeGreaterThan(10);
  });

  it('catches a member the model does not know', () => {
    const violations = new ModelValidator(MODEL).output('GetThing', { thing: { ...thing, weight: 3 } });
    expect(violations).toEqual([{ path: 'thing.weight', problem: expect.stringContaining('is not a member of Thing') }]);
  });

  it('catches a missing required member', () => {
    const { createdAt: _, ...withoutDate } = thing;
    expect(paths(new ModelValidator(MODEL).output('GetThing', { thing: withoutDate }))).toEqual(['thing.createdAt']);
  });

  it('catches a value outside an enum, also inside lists and maps', () => {
    const violations = new ModelValidator(MODEL).output('GetThing', { thing: { ...thing, colour: 'Red', labels: { a: 'blue' } } });
    expect(violations).toEqual([
      { path: 'thing.colour', problem: "is 'Red', not one of Colour: red, green" },
      { path: 'thing.labels.a', problem: "is 'blue', not one of Colour: red, green" },
    ]);
  });

  it('catches an ISO timestamp, and milliseconds where seconds belong', () => {
    const validator = new ModelValidator(MODEL);
    expect(validator.output('GetThing', { thing: { ...thing, createdAt: '2025-12-04T05:00:00Z' } })).toEqual([
      { path: 'thing.createdAt', problem: expect.stringContaining('epoch seconds') },
    ]);
    expect(paths(validator.output('GetThing', { thing: { ...thing, createdAt: 1_764_800_000_000 } }))).toEqual(['thing.createdAt']);
  });

  it('catches wrong types and nulls in nested lists and structures', () => {
    const violations = new ModelValidator(MODEL).output('GetThing', { thing: { ...thing, sizes: [1, '2'], isShiny: 'yes', colour: null } });
    expect(paths(violations)).toEqual(['thing.colour', 'thing.sizes[1]', 'thing.isShiny']);
  });

  it('holds requests to the lengths, ranges and patterns the service enforces', () => {
    const validator = new ModelValidator(MODEL);
    expect(validator.input('GetThing', { thingName: 'box-1', period: 300, colour: 'green' })).toEqual([]);
    expect(paths(validator.input('GetThing', { period: 300 }))).toEqual(['thingName']);
    expect(validator.input('GetThing', { thingName: '!!', period: 30 })).toEqual([
      { path: 'thingName', problem: expect.stringContaining('does not match') },
      { path: 'period', problem: 'is 30, below the model\'s minimum 60' },
    ]);
    expect(paths(validator.input('GetThing', { thingName: 'a'.repeat(21) }))).toEqual(['thingName']);
  });

  it('accepts an error the operation declares in the body botocore parses, with Lightsail\'s members', () => {
    const validator = new ModelValidator(MODEL);
    expect(validator.error('GetThing', 404, { __type: 'NotFoundException', ...lightsailError })).toEqual([]);
    expect(validator.error('GetThing', 500, { __type: 'ServiceException', ...lightsailError })).toEqual([]);
    expect(validator.error('GetThing', 400, { __type: 'com.amazon.coral.service#ThrottlingException', message: 'Rate exceeded' })).toEqual([]);
  });

  it('catches an undeclared error, a missing __type, a lost member, a wrong status and extras on a common error', () => {
    const validator = new ModelValidator(MODEL);
    expect(paths(validator.error('GetThing', 400, { __type: 'OperationFailureException', ...lightsailError }))).toEqual(['__type']);
    expect(paths(validator.error('GetThing', 404, { ...lightsailError }))).toEqual(['__type']);
    const { tip: _, ...withoutTip } = lightsailError;
    expect(paths(validator.error('GetThing', 404, { __type: 'NotFoundException', ...withoutTip }))).toEqual(['tip']);
    expect(validator.error('GetThing', 400, { __type: 'ServiceException', ...lightsailError })).toEqual([
      { path: '', problem: 'ServiceException came with HTTP 400; the model makes it a 5xx service fault' },
    ]);
    expect(paths(validator.error('GetThing', 400, { __type: 'ThrottlingException', message: 'Rate exceeded', code: 'Throttling' }))).toEqual(['code']);
  });

  it('lets an allowance through, counts it, and names it stale once the model has it', () => {
    const validator = new ModelValidator(MODEL, { members: { Thing: ['weight'] }, enumValues: { Colour: ['blue', 'red'] } });
    expect(validator.output('GetThing', { thing: { ...thing, weight: 3, colour: 'blue' } })).toEqual([]);
    expect(validator.allowancesUsed).toBe(2);
    expect(validator.staleAllowances()).toEqual(["Colour 'red'"]);
  });
});

describe('loadLightsailModel', () => {
  it('reads the model plain or gzipped, and names the Debian package when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-'));
    try {
      expect(() => loadLightsailModel([dir])).toThrow(/Debian package awscli.*apt-get install awscli/);
      mkdirSync(join(dir, 'lightsail/2016-11-28'), { recursive: true });
      writeFileSync(join(dir, 'lightsail/2016-11-28/service-2.json.gz'), gzipSync(JSON.stringify(MODEL)));
      expect(loadLightsailModel([dir]).model.operations.GetThing?.name).toBe('GetThing');
      writeFileSync(join(dir, 'lightsail/2016-11-28/service-2.json'), JSON.stringify({ ...MODEL, operations: {} }));
      expect(loadLightsailModel([dir]).path).toBe(join(dir, 'lightsail/2016-11-28/service-2.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
