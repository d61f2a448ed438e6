// SPDX-License-Identifier: Apache-2.0
// Calls of the service-task market: publishing, the market itself, bids and the award.
import type { AwardInput, Bid, BidInput, MarketItem, ServiceTaskInput, Task, TaskDetail } from '../../../../contracts/tasks.ts';
import { api, type Page } from '../../lib/api.ts';

export type Offer = 'open' | 'awarded' | 'all';
export type OfferStatus = NonNullable<Task['service']>['offerStatus'];
export type BidStatus = Bid['status'];

const path = (id: string) => `/api/service-tasks/${encodeURIComponent(id)}`;

export const marketApi = {
  list: (f: { offer: Offer; q?: string }, limit: number, offset: number, signal?: AbortSignal) =>
    api.get<Page<MarketItem>>('/api/service-tasks', { ...f, limit, offset }, signal),
  publish: (input: ServiceTaskInput) => api.post<TaskDetail>('/api/service-tasks', input),
  bids: (id: string, signal?: AbortSignal) => api.get<Bid[]>(`${path(id)}/bids`, undefined, signal),
  bid: (id: string, input: BidInput) => api.post<Bid>(`${path(id)}/bids`, input),
  award: (id: string, input: AwardInput) => api.post<TaskDetail>(`${path(id)}/award`, input),
  withdrawBid: (id: string) => api.post<Bid>(`${path(id)}/bids/withdraw`, {}),
  withdrawOffer: (id: string, note: string) => api.post<TaskDetail>(`${path(id)}/withdraw`, { note }),
};

/** Tag colour of each offer status. */
export const OFFER_STATUS_COLORS: Record<OfferStatus, string> = { open: 'blue', awarded: 'green', withdrawn: 'default' };

/** Tag colour of each bid status. */
export const BID_STATUS_COLORS: Record<BidStatus, string> = { submitted: 'processing', awarded: 'success', rejected: 'default', withdrawn: 'default' };
const BID_STATUS_LIST = Object.keys(BID_STATUS_COLORS) as BidStatus[];

/** A bid status the market sent as text (an unknown one reads as submitted). */
export function bidStatusOf(s: string): BidStatus {
  return BID_STATUS_LIST.find((x) => x === s) ?? 'submitted';
}

/** Whether bidding on `service` has closed by its deadline. */
export function biddingClosed(service: Pick<NonNullable<Task['service']>, 'bidDeadline'>, now = Date.now()): boolean {
  return Date.parse(service.bidDeadline) <= now;
}
