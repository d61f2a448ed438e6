// SPDX-License-Identifier: Apache-2.0
// The CAP serializer's pure parts: escaping, CAP dateTime, polygons, circles and simplification.
import { describe, expect, it } from 'vitest';
import { CAP_MAX_POLYGON_POINTS, capCircle, capDateTime, capPolygon, capReference, escapeXml, simplifyRing } from './cap.ts';

describe('the CAP serializer', () => {
  it('escapes markup and drops what XML 1.0 cannot carry', () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
    expect(escapeXml('x\u0000y\u0007z\ud800')).toBe('xyz');
    expect(escapeXml('tab\tnew\nline 汉字 😀')).toBe('tab\tnew\nline 汉字 😀');
  });

  it('writes times as CAP dateTime in China Standard Time, without fractions', () => {
    expect(capDateTime(new Date('2026-07-14T01:30:05.987Z'))).toBe('2026-07-14T09:30:05+08:00');
    expect(capDateTime(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01T04:00:00+08:00');
    expect(capReference({ sender: 'a@b', identifier: 'yz-1', sent: new Date('2026-07-14T01:30:05Z') })).toBe('a@b,yz-1,2026-07-14T09:30:05+08:00');
  });

  it('writes polygons as closed "lat,lon" rings of at least four points, and refuses degenerate ones', () => {
    expect(capPolygon([[113, 28], [113.5, 28], [113.5, 28.5]])).toBe('28,113 28,113.5 28.5,113.5 28,113');
    expect(capPolygon([[113, 28], [113.5, 28], [113, 28], [113.5, 28]])).toBeNull();
    expect(capPolygon([[113, 28], [113, 28], [113.1, 28]])).toBeNull();
    expect(capCircle({ lon: 113.123456789, lat: 28.5, radiusKm: 2.5 })).toBe('28.5,113.12346 2.5');
  });

  it('simplifies large rings to the CAP profile limit, keeping them closed', () => {
    const ring = Array.from({ length: 2000 }, (_, i) => [113 + Math.cos((2 * Math.PI * i) / 2000), 28 + Math.sin((2 * Math.PI * i) / 2000)]);
    const out = simplifyRing(ring);
    expect(out.length).toBeLessThanOrEqual(CAP_MAX_POLYGON_POINTS);
    expect(out.length).toBeGreaterThanOrEqual(4);
    expect(out[0]).toEqual(out.at(-1));
    const small = [[113, 28], [114, 28], [114, 29]];
    expect(simplifyRing(small)).toEqual([[113, 28], [114, 28], [114, 29], [113, 28]]);
  });
});
