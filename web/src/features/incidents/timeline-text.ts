// SPDX-License-Identifier: Apache-2.0
// What a timeline entry says, in the chosen language: the action's name and its note (for plan activations
// and dispatch orders, written from the entry's details rather than the server's English note).
import type { TimelineEntry } from '../../../../contracts/dispatch-incidents.ts';
import type { Translate } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';

const EVENTS = new Set([
  'reported', 'verify', 'reject', 'respond', 'resolve', 'evaluate', 'close', 'regraded', 'escalated', 'supervised', 'duplicate-linked', 'comment',
  'activated', 'stood-down', 'order-acknowledge', 'order-depart', 'order-arrive', 'order-release',
]);
const ORDER_STATUSES = new Set(['sent', 'acknowledged', 'en_route', 'on_scene', 'released']);
const GRADES = new Set(['I', 'II', 'III', 'IV']);

/** The name of the entry's action. */
export function timelineTitle(e: TimelineEntry, t: Translate): string {
  return EVENTS.has(e.action) ? t(`incident.event.${e.action}` as MessageKey) : e.action;
}

/** The entry's note; `resourceName` names an order's resource when the caller knows it. */
export function timelineNote(e: TimelineEntry, t: Translate, resourceName?: (orderId: string) => string | undefined): string | null {
  const d = e.details;
  if (e.action === 'activated' && typeof d.planCode === 'string' && typeof d.level === 'string' && GRADES.has(d.level)) {
    const base = t('incident.note.activated', { plan: d.planCode, version: String(d.version ?? ''), level: t(`activation.levelShort.${d.level}` as MessageKey) });
    return typeof d.shortfall === 'number' && d.shortfall > 0 ? `${base} · ${t('incident.note.shortfall', { n: d.shortfall })}` : base;
  }
  if (e.action.startsWith('order-') && typeof d.to === 'string' && ORDER_STATUSES.has(d.to)) {
    const name = typeof d.orderId === 'string' ? resourceName?.(d.orderId) : undefined;
    // the server's note starts with the resource's name: "<name>: en route"
    const fallback = e.note?.replace(/: [a-z ]+$/, '') ?? '';
    const status = t(`order.status.${d.to}` as MessageKey);
    const consumed = typeof d.consumed === 'number' && d.consumed > 0 ? ` · ${t('incident.note.consumed', { n: d.consumed })}` : '';
    return `${name ?? fallback} → ${status}${consumed}`;
  }
  return e.note;
}
