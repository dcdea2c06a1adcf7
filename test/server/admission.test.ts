import { describe, expect, it } from 'vitest';
import { AdmissionControl, peerKey } from '../../src/server/admission.js';

function controlAt(limits: ConstructorParameters<typeof AdmissionControl>[0]) {
  let now = 0;
  const control = new AdmissionControl(limits, () => now);
  return { control, advance: (ms: number) => (now += ms) };
}

describe('AdmissionControl', () => {
  it('admits up to the per-address limit at once, and one more when one leaves', () => {
    const { control } = controlAt({ maxClientsPerIp: 2, joinRate: 0, joinBurst: 1 });
    expect(control.admit('10.0.0.1')).toBe('admitted');
    expect(control.admit('10.0.0.1')).toBe('admitted');
    expect(control.admit('10.0.0.1')).toBe('too-many');
    expect(control.admit('10.0.0.2')).toBe('admitted');
    control.release('10.0.0.1');
    expect(control.admit('10.0.0.1')).toBe('admitted');
    control.stop();
  });

  it('allows a burst of joins, then the join rate', () => {
    const { control, advance } = controlAt({ maxClientsPerIp: 0, joinRate: 2, joinBurst: 3 });
    const joins = () => Array.from({ length: 5 }, () => control.admit('10.0.0.1'));
    expect(joins()).toEqual(['admitted', 'admitted', 'admitted', 'too-fast', 'too-fast']);
    advance(500);
    expect(joins()).toEqual(['admitted', 'too-fast', 'too-fast', 'too-fast', 'too-fast']);
    control.stop();
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as IPv4', () => {
    expect(peerKey('2001:db8:1:2:aaaa::1')).toBe(peerKey('2001:db8:1:2:bbbb::2'));
    expect(peerKey('2001:db8:1:3::1')).not.toBe(peerKey('2001:db8:1:2::1'));
    expect(peerKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(peerKey('::1')).toBe(peerKey('::2'));
    const { control } = controlAt({ maxClientsPerIp: 1, joinRate: 0, joinBurst: 1 });
    expect(control.admit('2001:db8::1')).toBe('admitted');
    expect(control.admit('2001:db8::2')).toBe('too-many');
    control.stop();
  });
});
