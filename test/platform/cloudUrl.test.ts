/** Where a cloud may be: HTTPS anywhere, plain HTTP only on this machine. */
import { describe, expect, it } from 'vitest';
import { checkCloudUrl } from '../../src/platform/cloudUrl.ts';

describe('cloud URLs', () => {
  it('takes https anywhere and http on this machine, without trailing slashes', () => {
    expect(checkCloudUrl(' https://api.example.com/ ')).toEqual({ url: 'https://api.example.com' });
    for (const local of ['http://localhost:4173/demo-cloud', 'http://127.0.0.1:8080', 'http://[::1]:9000']) {
      expect(checkCloudUrl(local)).toEqual({ url: local });
    }
  });

  it('refuses plain http to another machine, where the refresh token would cross the network in clear', () => {
    expect(checkCloudUrl('http://cloud.example')).toEqual({
      problem: '"http://cloud.example" must use https: plain http is only for a cloud on this machine',
    });
    expect(checkCloudUrl('http://192.168.1.20:8080')).toMatchObject({ problem: expect.stringContaining('https') });
  });

  it('refuses what is not an http or https URL', () => {
    for (const value of ['nope', 'ftp://a.test', 'javascript:alert(1)', '']) {
      expect(checkCloudUrl(value)).toMatchObject({ problem: expect.stringContaining('is not an http or https URL') });
    }
  });
});
